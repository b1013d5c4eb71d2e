"""Reading the precomputed quality results of the latest snapshot that has them.

Pages never compute indicators: they read the Parquet files `compute.py` wrote, with DuckDB.
"""

import json
from dataclasses import dataclass
from functools import cached_property
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

    @cached_property
    def connection(self):
        """One DuckDB connection for the page, with a view per result table."""
        connection = duckdb.connect()
        for name in ("values", "spc_points", "spc_summary", "worklist", "field_completeness"):
            path = str(self.folder / f"{name}.parquet").replace("'", "''")
            connection.execute(f"CREATE VIEW \"{name}\" AS SELECT * FROM read_parquet('{path}')")
        return connection

    def query(self, sql, *parameters):
        """Rows (as dicts) of `sql` over the result tables, named values, spc_points, ..."""
        cursor = self.connection.execute(sql, list(parameters))
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
        latest = self.query(
            'SELECT indicator, max(period) AS period FROM (SELECT indicator, period FROM "values" '
            "WHERE period_type = 'year' AND scored AND cdop <> ? GROUP BY indicator, period "
            "HAVING count(*) >= 2) GROUP BY indicator", NATIONAL,
        )  # fmt: skip
        periods = {row["indicator"]: row["period"] for row in latest}
        values = {
            (row["indicator"], row["period"]): row
            for row in self.query(
                "SELECT * FROM \"values\" WHERE period_type = 'year' AND cdop = ?", cdop
            )
        }
        spc = {r["indicator"]: r for r in self.query(
            "SELECT * FROM spc_summary WHERE cdop = ?", cdop)}  # fmt: skip
        counts = {r["indicator"]: r["n"] for r in self.query(
            "SELECT indicator, count(*) AS n FROM worklist WHERE cdop = ? GROUP BY indicator",
            cdop)}  # fmt: skip
        return [
            {"indicator": definition, "period": periods.get(name),
             "value": values.get((name, periods.get(name))), "spc": spc.get(name),
             "worklist": counts.get(name, 0)}
            for name, definition in indicators().items()
        ]  # fmt: skip


def latest_results():
    """The newest snapshot whose quality results have been computed, or None."""
    for snapshot in Snapshot.objects.filter(deleted_at__isnull=True):
        folder = Path(snapshot.folder) / "quality"
        if (folder / "meta.json").exists():
            return Results(snapshot, folder, json.loads((folder / "meta.json").read_text()))
    return None
