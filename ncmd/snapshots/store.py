"""Where snapshots live on disk, and DuckDB connections over their tables."""

import json
from pathlib import Path

import duckdb
from django.conf import settings

from .freeze import TABLES


def snapshot_root():
    root = Path(settings.NCMD_SNAPSHOT_DIR)
    root.mkdir(parents=True, exist_ok=True)
    return root


def connect(folder):
    """An in-memory DuckDB connection with one view per table of the snapshot in `folder`."""
    folder = Path(folder)
    connection = duckdb.connect()
    for name in TABLES:
        path = folder / f"{name}.parquet"
        connection.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{_quoted(path)}')")
    return connection


def _quoted(path):
    return str(path).replace("'", "''")


def read_manifest(folder):
    return json.loads((Path(folder) / "manifest.json").read_text())
