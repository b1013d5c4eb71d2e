"""Reading the precomputed quality results of the latest snapshot that has them.

Pages never compute indicators: they read the Parquet files `compute.py` wrote, with DuckDB.
"""

import json
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ncmd.snapshots.models import Snapshot

from .compute import NATIONAL
from .definitions import indicators


@dataclass
class Results:
    snapshot: Snapshot
    folder: Path
    meta: dict

    def query(self, sql, *parameters):
        """Rows (as dicts) of `sql` over the result tables, named values, spc_points, ..."""
        connection = duckdb.connect()
        for name in ("values", "spc_points", "spc_summary", "worklist", "field_completeness"):
            path = str(self.folder / f"{name}.parquet").replace("'", "''")
            connection.execute(f"CREATE VIEW \"{name}\" AS SELECT * FROM read_parquet('{path}')")
        cursor = connection.execute(sql, list(parameters))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    @property
    def as_of(self):
        return self.meta["as_of"]

    def latest_period(self, indicator, period_type="year"):
        """The most recent period in which at least two CDOPs were scored, so that every CDOP is
        shown the same period and can be compared with the others."""
        rows = self.query(
            'SELECT period FROM "values" WHERE indicator = ? AND period_type = ? AND scored '
            "AND cdop <> ? GROUP BY period HAVING count(*) >= 2 ORDER BY period DESC LIMIT 1",
            indicator, period_type, NATIONAL,
        )  # fmt: skip
        return rows[0]["period"] if rows else None

    def overview(self, cdop):
        """One row per indicator for `cdop`: its latest scored year, with the national figure,
        the top quartile, the funnel position, the SPC icons and the worklist count."""
        rows = []
        for name, definition in indicators().items():
            period = self.latest_period(name)
            value = self.query(
                'SELECT * FROM "values" WHERE indicator = ? AND period_type = \'year\' '
                "AND period = ? AND cdop = ?",
                name, period, cdop,
            )  # fmt: skip
            spc = self.query(
                "SELECT * FROM spc_summary WHERE indicator = ? AND cdop = ?", name, cdop
            )
            count = self.query(
                "SELECT count(*) AS n FROM worklist WHERE indicator = ? AND cdop = ?", name, cdop
            )[0]["n"]
            rows.append({"indicator": definition, "period": period,
                         "value": value[0] if value else None,
                         "spc": spc[0] if spc else None, "worklist": count})  # fmt: skip
        return rows


def latest_results():
    """The newest snapshot whose quality results have been computed, or None."""
    for snapshot in Snapshot.objects.filter(deleted_at__isnull=True):
        folder = Path(snapshot.folder) / "quality"
        if (folder / "meta.json").exists():
            return Results(snapshot, folder, json.loads((folder / "meta.json").read_text()))
    return None
