"""The CDOP report pack: the figures a CDOP's annual report needs, each beside the same figure
for England, in the standard layout of CDOP annual reports (deaths and reviews, the duration of
reviews, categories, modifiable factors, age, sex and ethnicity)."""

from . import cells
from .dimensions import AGE_BANDS
from .national import DEATHS, REVIEWS, duration_columns, duration_values
from .tables import TOTAL, Column, Kind, Table
from .years import parse_year, year_bounds


def cdop_tables(analysis, year, cdop_code):
    parse_year(year)
    names = dict(analysis.cdops)
    if cdop_code not in names:
        raise ValueError(f"{cdop_code!r} is not a CDOP of snapshot {analysis.snapshot.pk}.")
    pack = _Pack(analysis, year, cdop_code, names[cdop_code])
    dims = analysis.dimensions
    return [
        pack.deaths_and_reviews(),
        pack.review_duration(),
        pack.shares(dims["category"], "review", "categories", "Reviewed deaths by category"),
        pack.modifiable(),
        pack.shares(dims["age_band"], "death", "age-band", "Deaths by age at death"),
        pack.shares(dims["sex"], "death", "sex", "Deaths by sex"),
        pack.shares(dims["ethnicity"], "death", "ethnicity", "Deaths by ethnic group"),
    ]


class _Pack:
    def __init__(self, analysis, year, code, name):
        self.analysis, self.year, self.code, self.name = analysis, year, code, name
        start, end = year_bounds(year)
        self.period = f"{year} (1 April {start.year} to 31 March {end.year})"
        self.notes = analysis.notes() + (
            f"{name} ({code}) beside England: the CDOP's figures count the deaths and reviews "
            "of its own panel.",
        )

    def column(self):
        return Column("cdop", "CDOP", Kind.DIMENSION, geographic=True)

    def table(self, slug, title, description, columns, rows, notes=()):
        return Table(
            id=f"cdop-{slug}", title=f"{self.name}: {title}", description=description,
            columns=(self.column(), *columns), rows=tuple((self.name, *r) for r in rows),
            notes=(*self.notes, *notes),
        )  # fmt: skip

    def deaths_and_reviews(self):
        analysis, rows = self.analysis, []
        for label, basis in (("Deaths (by date of death)", "death"),
                             ("Reviews completed (by date of review)", "review")):  # fmt: skip
            row = [label]
            for unit in (self.code, None):
                count = analysis.total(year=self.year, basis=basis, cdop=unit)
                population = analysis.population(self.year, unit=unit or analysis.nation)
                rate = cells.rate_values(count, population) if basis == "death" else (None,) * 3
                row += [count, population if basis == "death" else None, *rate]
            rows.append(row)
        columns = []
        for prefix, where in (("cdop_", "CDOP"), ("england_", "England")):
            columns += [
                Column(f"{prefix}count", f"{where}: number", Kind.COUNT),
                Column(f"{prefix}population", f"{where}: children aged 0 to 17", Kind.DENOMINATOR),
                *cells.rate_columns(f"{prefix}count", prefix=prefix, label=f"{where}: rate"),
            ]  # fmt: skip
        return self.table(
            "deaths-and-reviews", "Deaths and reviews",
            f"{DEATHS} {self.period}, and {REVIEWS[0].lower() + REVIEWS[1:]} the same year, in "
            "the CDOP and in England; death rates per 100,000 children aged 0 to 17.",
            [Column("measure", "Measure", Kind.DIMENSION), *columns], rows,
        )  # fmt: skip

    def review_duration(self):
        analysis = self.analysis
        short, long = analysis.review_days_short, analysis.review_days_long
        dimension = analysis.dimensions["expected"]
        rows = []
        for code, label in [*dimension.values, (None, TOTAL)]:
            extra = f"expected_death = '{code}'" if code else "TRUE"
            row = [label]
            for unit in (self.code, None):
                duration = analysis.review_duration(year=self.year, cdop=unit, extra=extra)
                row += duration_values(duration)
            rows.append(row)
        return self.table(
            "review-duration", "Duration of reviews",
            f"{REVIEWS} {self.period}: days from the death to the CDOP review, in the CDOP and "
            f"in England, by whether the death was expected. Six months is {short} days, 12 "
            f"months {long} days.",
            [Column("expected_death", dimension.label, Kind.DIMENSION),
             *duration_columns("cdop_", short, long), *duration_columns("england_", short, long)],
            rows, ("The Total includes reviews whose expected or unexpected status is not "
                   "known.",),
        )  # fmt: skip

    def _columns(self, noun):
        columns = []
        for prefix, where in (("cdop_", "CDOP"), ("england_", "England")):
            columns += [
                Column(f"{prefix}count", f"{where}: {noun}", Kind.COUNT),
                *cells.percent_columns(f"{prefix}count", prefix=prefix,
                                       label=f"{where}: percentage"),
            ]  # fmt: skip
        return columns

    def shares(self, dimension, basis, slug, title, extra="TRUE"):
        analysis = self.analysis
        local = dimension.fold(analysis.counts(dimension.sql, year=self.year, basis=basis,
                                               cdop=self.code, extra=extra))  # fmt: skip
        england = dimension.fold(analysis.counts(dimension.sql, year=self.year, basis=basis,
                                                 extra=extra))  # fmt: skip
        local_total, england_total = sum(local.values()), sum(england.values())
        rows = []
        for code, label in [*dimension.ordered({**england, **local}), (TOTAL, TOTAL)]:
            x = local_total if code == TOTAL else local.get(code, 0)
            y = england_total if code == TOTAL else england.get(code, 0)
            rows.append((label, x, *cells.percent_values(x, local_total), y,
                         *cells.percent_values(y, england_total)))  # fmt: skip
        noun = "deaths" if basis == "death" else "reviews"
        what = f"{DEATHS} {self.period}" if basis == "death" else f"{REVIEWS} {self.period}"
        notes = ()
        if dimension.key == "age_band":
            notes = (f"Age bands: {', '.join(label for _, label, _ in AGE_BANDS)}.",)
        return self.table(
            slug, title,
            f"{what}, by {dimension.label.lower()}, in the CDOP and in England, each as a "
            f"percentage of its {noun}.",
            [Column(dimension.key, dimension.label, Kind.DIMENSION), *self._columns(noun)],
            rows, notes,
        )  # fmt: skip

    def modifiable(self):
        table = self.shares(self.analysis.dimensions["modifiable"], "review",
                            "modifiable-factors", "Reviews by modifiable factors")  # fmt: skip
        return Table(
            id=table.id, title=table.title,
            description=f"{REVIEWS} {self.period}: whether the panel identified modifiable "
            "factors, in the CDOP and in England, each as a percentage of its reviews.",
            columns=table.columns, rows=table.rows, notes=table.notes,
        )  # fmt: skip
