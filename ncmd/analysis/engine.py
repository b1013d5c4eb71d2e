"""An analysis of one snapshot: its DuckDB connection, the denominators, and the queries every
table is built from.

`open_analysis(snapshot)` gives an `Analysis`; its `national_tables`, `cdop_tables` and
`headline` are the figures the annual report, the CDOP report packs and the data releases
publish. Everything is computed from the snapshot's Parquet files and the recorded denominator
datasets, so the same snapshot and datasets give the same tables, value for value.

Which deaths: every case except a notification confirmed as a duplicate of another ("linked").
Deaths are counted in the financial year of the date of death; reviews in the financial year of
the CDOP review (the analysis form's review date).
"""

import re
from dataclasses import dataclass
from typing import NamedTuple

import pyarrow as pa
from django.conf import settings

from ncmd.snapshots.store import connect

from . import cells
from .denominators import Denominators
from .dimensions import dimensions
from .thematic import get_theme, themes
from .years import parse_year, year_label

_FINANCIAL_YEAR = "CASE WHEN month({0}) >= 4 THEN year({0}) ELSE year({0}) - 1 END"
#: The case columns the analyses read; with the year columns (and the columns the themes'
#: filters read) they are copied once into an in-memory table, so the many small queries do not
#: re-read the Parquet.
ANALYSED_COLUMNS = ("reference", "cdop", "region", "date_of_death", "review_date",
                    "days_to_review", "age_days", "age_band", "sex", "ethnicity",
                    "ethnicity_group", "imd_decile", "expected_death", "category_of_death",
                    "modifiable_factors")  # fmt: skip
_IDENTIFIER = re.compile(r'"([A-Za-z0-9_]+)"')


def _theme_columns(available):
    """The snapshot columns the themes' filters read that the analyses do not copy already
    (the filters quote every column they name: `"notification__circumstances"`)."""
    named = {name for theme in themes() for name in _IDENTIFIER.findall(theme.sql)}
    return sorted(name for name in named if name in available and name not in ANALYSED_COLUMNS)


def _cases_sql(extra_columns=()):
    """The counted cases, copied once (`analysis_counted`), and `analysis_cases`: the same with
    one flag per theme, as a view, so a flag is only evaluated by a query that asks for it (over
    a million cases the themes' filters cost more than the copy itself, and the national tables
    never read them)."""
    columns = ", ".join((*ANALYSED_COLUMNS, *(f'"{name}"' for name in extra_columns)))
    flags = "".join(
        f',\n       COALESCE({theme.sql}, FALSE) AS "theme__{theme.name}"' for theme in themes()
    )
    return f"""
CREATE TEMP TABLE analysis_counted AS
SELECT {columns},
       {_FINANCIAL_YEAR.format("date_of_death")} AS death_year,
       {_FINANCIAL_YEAR.format("review_date")} AS review_year,
       CASE WHEN imd_decile IS NULL THEN NULL ELSE (imd_decile + 1) // 2 END AS imd_quintile
FROM cases
WHERE duplicate_status IS DISTINCT FROM 'linked';
CREATE TEMP VIEW analysis_cases AS
SELECT *{flags}
FROM analysis_counted;
"""


class Duration(NamedTuple):
    reviews: int
    lower_quartile: float | None
    median: float | None
    upper_quartile: float | None
    within_short: int
    within_long: int


@dataclass(frozen=True)
class Headline:
    """The numbers the annual report's headline sentences are written from."""

    year: str
    deaths: int
    population: int | None
    rate: float | None  # per 100,000 children aged 0-17
    rate_lower: float | None
    rate_upper: float | None
    previous_year: str
    previous_deaths: int
    previous_rate: float | None
    reviews_completed: int
    modifiable: int  # reviews completed in the year that identified modifiable factors
    modifiable_percent: float | None
    modifiable_lower: float | None
    modifiable_upper: float | None
    infant_deaths: int
    live_births: int | None
    infant_mortality_rate: float | None  # per 1,000 live births
    infant_mortality_lower: float | None
    infant_mortality_upper: float | None
    median_days_to_review: float | None
    denominator_name: str
    denominator_synthetic: bool


def open_analysis(snapshot, *, population=None, births=None):
    """Open an analysis of `snapshot` (an `ncmd.snapshots.models.Snapshot`) with the given
    denominator datasets, by default the most recently imported of each kind."""
    return Analysis(snapshot, population=population, births=births)


class Analysis:
    def __init__(self, snapshot, *, population=None, births=None):
        if snapshot.deleted_at is not None:
            raise ValueError(f"Snapshot {snapshot.pk} was deleted; choose another snapshot.")
        self.snapshot = snapshot
        self.db = connect(snapshot.folder)
        self._memo = {}
        available = {row[0] for row in self.db.execute("DESCRIBE cases").fetchall()}
        self.db.execute(_cases_sql(_theme_columns(available)))
        organisations = self.db.execute(
            "SELECT code, type, parent, name FROM organisations ORDER BY code"
        ).fetchall()
        self.names = {code: name for code, _, _, name in organisations}
        self.nation = next((code for code, kind, _, _ in organisations if kind == "nation"),
                           "E92000001")  # fmt: skip
        self.regions = [(code, name) for code, kind, _, name in organisations if kind == "region"]
        self.cdops = [(code, name) for code, kind, _, name in organisations if kind == "cdop"]
        triples = [(code, kind, parent) for code, kind, parent, _ in organisations]
        if population is None and births is None:
            self.denominators = Denominators.latest(triples)
        else:
            self.denominators = Denominators(triples, population, births)
        self.dimensions = dimensions(self.regions)
        self.review_days_short = settings.NCMD_REVIEW_DAYS_SHORT
        self.review_days_long = settings.NCMD_REVIEW_DAYS_LONG
        self._load_denominators()

    def _load_denominators(self):
        """The resolved populations and births as DuckDB tables, for anyone querying further."""
        years = [parse_year(y) for y in self.years()] or []
        rows = self.denominators.table_rows(years)
        names = ("year", "unit", "unit_type", "age_from", "age_to", "sex", "population")
        self.db.register("population_arrow", pa.table(
            {name: [r[i] for r in rows] for i, name in enumerate(names)},
            schema=pa.schema([("year", pa.int64()), ("unit", pa.string()),
                              ("unit_type", pa.string()), ("age_from", pa.int64()),
                              ("age_to", pa.int64()), ("sex", pa.string()),
                              ("population", pa.int64())]),
        ))  # fmt: skip
        self.db.execute("CREATE TEMP TABLE population AS SELECT * FROM population_arrow")
        self.db.unregister("population_arrow")
        births = []
        for year in years:
            for code, kind in self.denominators.units:
                count, period = self.denominators.births(year, code)
                if count is not None:
                    births.append((year, code, kind, period, count))
        names = ("year", "unit", "unit_type", "period", "live_births")
        self.db.register("births_arrow", pa.table(
            {name: [r[i] for r in births] for i, name in enumerate(names)},
            schema=pa.schema([("year", pa.int64()), ("unit", pa.string()),
                              ("unit_type", pa.string()), ("period", pa.string()),
                              ("live_births", pa.int64())]),
        ))  # fmt: skip
        self.db.execute("CREATE TEMP TABLE births AS SELECT * FROM births_arrow")
        self.db.unregister("births_arrow")

    def close(self):
        self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- what there is ---------------------------------------------------------------------------

    def years(self):
        """Financial years with a death or a review in the snapshot, ascending."""
        rows = self.db.execute(
            "SELECT death_year FROM analysis_cases WHERE death_year IS NOT NULL UNION "
            "SELECT review_year FROM analysis_cases WHERE review_year IS NOT NULL ORDER BY 1"
        ).fetchall()
        return [year_label(int(y)) for (y,) in rows]

    def death_years(self):
        """Financial years with a death in the snapshot, ascending."""
        rows = self.db.execute(
            "SELECT DISTINCT death_year FROM analysis_cases WHERE death_year IS NOT NULL ORDER BY 1"
        ).fetchall()
        return [year_label(int(y)) for (y,) in rows]

    def themes(self):
        """The themes `national_tables` accepts (the same as `ncmd.analysis.themes()`)."""
        return themes()

    def notes(self):
        """Notes every table carries: the snapshot, the denominators and the rounding."""
        return (
            f"Source: snapshot {self.snapshot.pk} of the registry, frozen "
            f"{self.snapshot.created_at:%d %B %Y %H:%M} UTC (content SHA-256 "
            f"{self.snapshot.content_hash}).",
            *self.denominators.notes(),
            cells.ROUNDING_NOTE,
        )

    # -- queries ---------------------------------------------------------------------------------

    def where(self, *, theme=None):
        if theme is None:
            return "TRUE"
        return f'"theme__{get_theme(theme).name}"'

    def _query(self, sql, parameters):
        """Rows of a query, remembered: the snapshot never changes, and the CDOP packs ask for
        the same figures once per CDOP."""
        key = (sql, tuple(parameters))
        if key not in self._memo:
            self._memo[key] = self.db.execute(sql, parameters).fetchall()
        return self._memo[key]

    def _counts_sql(self, by, column, theme, extra):
        return (f"SELECT cdop, {by} AS value, count(*) FROM analysis_cases WHERE {column} = ? "
                f"AND {self.where(theme=theme)} AND ({extra}) GROUP BY ALL")  # fmt: skip

    def counts(self, by, *, year, basis="death", theme=None, cdop=None, extra="TRUE"):
        """{value of `by`: number of cases} for deaths (basis="death") or reviews ("review") in
        the financial year `year`, in England or in one CDOP.

        A CDOP's counts are taken from one query grouped by CDOP, remembered, so a report pack
        for every CDOP reads the cases once per figure rather than once per CDOP."""
        column = "death_year" if basis == "death" else "review_year"
        sql = self._counts_sql(by, column, theme, extra)
        counts = {}
        for unit, value, n in self._query(sql, [parse_year(year)]):
            if cdop is None or unit == cdop:
                counts[value] = counts.get(value, 0) + int(n)
        return counts

    def prefetch_counts(self, bys, *, year, basis="death", theme=None, extras=("TRUE",)):
        """Count the cases by each of `bys` (and within each of `extras`) in one scan, with
        GROUPING SETS, and remember the rows exactly as `counts` would have read them, one
        query each: the same groups (none with no case) with the same counts."""
        column = "death_year" if basis == "death" else "review_year"
        parameters = (parse_year(year),)
        bys = list(dict.fromkeys(bys))
        wanted = [
            (i, j, (self._counts_sql(by, column, theme, extra), parameters))
            for i, by in enumerate(bys)
            for j, extra in enumerate(extras)
        ]
        if all(key in self._memo for _, _, key in wanted):
            return
        values = ", ".join(f"{by} AS v{i}" for i, by in enumerate(bys))
        flags = ", ".join(f"({extra}) AS x{j}" for j, extra in enumerate(extras))
        sets = ", ".join(f"(cdop, v{i})" for i in range(len(bys)))
        tallies = ", ".join(f"count_if(x{j})" for j in range(len(extras)))
        grouping = ", ".join(f"grouping(v{i})" for i in range(len(bys)))
        rows = self.db.execute(
            f"WITH c AS (SELECT cdop, {values}, {flags} FROM analysis_cases WHERE {column} = ? "
            f"AND {self.where(theme=theme)}) SELECT cdop, "
            f"{', '.join(f'v{i}' for i in range(len(bys)))}, {grouping}, {tallies} FROM c "
            f"GROUP BY GROUPING SETS ({sets})",
            list(parameters),
        ).fetchall()
        found = {key: [] for _, _, key in wanted}
        width = len(bys)
        for row in rows:
            unit, groups, tallies_of = row[0], row[1 + width : 1 + 2 * width], row[1 + 2 * width :]
            i = groups.index(0)
            for j in range(len(extras)):
                if tallies_of[j]:
                    found[wanted[i * len(extras) + j][2]].append((unit, row[1 + i], tallies_of[j]))
        for key, value in found.items():
            self._memo.setdefault(key, value)

    def total(self, *, year, basis="death", theme=None, cdop=None, extra="TRUE"):
        return sum(self.counts("1", year=year, basis=basis, theme=theme, cdop=cdop,
                               extra=extra).values())  # fmt: skip

    def review_duration(self, *, year, theme=None, cdop=None, extra="TRUE"):
        """Days from death to review of the reviews completed in `year`: (reviews, lower
        quartile, median, upper quartile, within 6 months, within 12 months). Quartiles
        interpolate linearly between order statistics (R's type 7) and are not yet rounded."""
        unit, group = ("cdop", "GROUP BY cdop") if cdop else ("NULL", "")
        sql = (f"SELECT {unit}, count(*), quantile_cont(days_to_review, 0.25), "
               f"quantile_cont(days_to_review, 0.5), quantile_cont(days_to_review, 0.75), "
               f"count_if(days_to_review <= {int(self.review_days_short)}), "
               f"count_if(days_to_review <= {int(self.review_days_long)}) "
               f"FROM analysis_cases WHERE review_year = ? AND days_to_review IS NOT NULL AND "
               f"{self.where(theme=theme)} AND ({extra}) {group}")  # fmt: skip
        for unit, n, q1, median, q3, short, long in self._query(sql, [parse_year(year)]):
            if cdop is None or unit == cdop:
                return Duration(int(n), q1, median, q3, int(short or 0), int(long or 0))
        return Duration(0, None, None, None, 0, 0)

    def review_days(self, *, year, theme=None, cdop=None, extra="TRUE"):
        """Days from death to review of the reviews completed in `year`, ascending."""
        sql = (f"SELECT cdop, days_to_review FROM analysis_cases WHERE review_year = ? AND "
               f"days_to_review IS NOT NULL AND {self.where(theme=theme)} AND ({extra}) "
               "ORDER BY 2, 1")  # fmt: skip
        return [int(d) for unit, d in self._query(sql, [parse_year(year)])
                if cdop is None or unit == cdop]  # fmt: skip

    def population(self, year, unit=None, age_from=0, age_to=17, **breakdown):
        return self.denominators.population(
            parse_year(year), unit or self.nation, age_from, age_to, **breakdown
        )

    def births(self, year, unit=None):
        return self.denominators.births(parse_year(year), unit or self.nation)

    # -- the published figures -------------------------------------------------------------------

    def national_tables(self, year, theme=None):
        from .national import national_tables

        return national_tables(self, year, theme)

    def cdop_tables(self, year, cdop_code):
        from .cdop import cdop_tables

        return cdop_tables(self, year, cdop_code)

    def headline(self, year):
        from .national import headline

        return headline(self, year)
