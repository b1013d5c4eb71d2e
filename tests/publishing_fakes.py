"""Hand-made analysis tables and a small stand-in for `ncmd.analysis.open_analysis`, for the
publishing tests: the figures are chosen so that disclosure control has work to do (small
regional counts, a small cell in a two-way table, a rate on few deaths)."""

from ncmd.analysis.tables import TOTAL, Column, Kind, Table

YEARS = ("2023-24", "2024-25")

REGION = Column("region", "Region", Kind.DIMENSION, geographic=True)
SEX = Column("sex", "Sex", Kind.DIMENSION)
DEATHS = Column("deaths", "Deaths", Kind.COUNT)
POPULATION = Column("population", "Children", Kind.DENOMINATOR)
RATE = Column("rate", "Rate", Kind.RATE, unit="per 100,000 children", of="deaths")
LOWER = Column("rate_lower", "Lower limit", Kind.LOWER, unit="per 100,000 children", of="rate")
UPPER = Column("rate_upper", "Upper limit", Kind.UPPER, unit="per 100,000 children", of="rate")

REGION_SEX = {
    ("North East", "Female"): 40,
    ("North East", "Male"): 5,
    ("London", "Female"): 30,
    ("London", "Male"): 33,
    ("South West", "Female"): 9,
    ("South West", "Male"): 12,
}
POPULATIONS = {"North East": 500_000, "London": 1_900_000, "South West": 1_000_000}


def _rate(deaths, population):
    rate = deaths / population * 100_000
    return (round(rate, 4), round(rate * 0.8, 4), round(rate * 1.2, 4))


def region_table(shift=0):
    rows = []
    for region in [*POPULATIONS, TOTAL]:
        deaths = sum(v for (r, _), v in REGION_SEX.items() if region in (r, TOTAL)) + shift
        population = sum(POPULATIONS.values()) if region == TOTAL else POPULATIONS[region]
        rows.append((region, deaths, population, *_rate(deaths, population)))
    rows.insert(0, ("Isles", 3, 20_000, *_rate(3, 20_000)))
    rows[-1] = (
        TOTAL,
        rows[-1][1] + 3,
        rows[-1][2] + 20_000,
        *_rate(rows[-1][1] + 3, rows[-1][2] + 20_000),
    )
    return Table(
        id="deaths-by-region",
        title="Deaths by region",
        description="Deaths of children aged 0 to 17 by region of residence, with rates.",
        columns=(REGION, DEATHS, POPULATION, RATE, LOWER, UPPER),
        rows=tuple(rows),
    )


def region_sex_table():
    rows = []
    for region in [*POPULATIONS, TOTAL]:
        for sex in ("Female", "Male", TOTAL):
            deaths = sum(
                v for (r, s), v in REGION_SEX.items() if region in (r, TOTAL) and sex in (s, TOTAL)
            )
            rows.append((region, sex, deaths))
    return Table(
        id="deaths-by-region-and-sex",
        title="Deaths by region and sex",
        description="Deaths of children by region of residence and sex.",
        columns=(REGION, SEX, DEATHS),
        rows=tuple(rows),
    )


def age_table(year):
    extra = 0 if year == YEARS[-1] else -10
    bands = (
        ("Under 28 days", 1200 + extra),
        ("28 to 364 days", 500),
        ("1 to 4 years", 300),
        ("5 to 9 years", 200),
        ("10 to 14 years", 250),
        ("15 to 17 years", 4),
    )
    rows = [(band, deaths) for band, deaths in bands]
    rows.append((TOTAL, sum(d for _, d in bands)))
    return Table(
        id="deaths-by-age-band",
        title="Deaths by age band",
        description="Deaths of children in England by age at death.",
        columns=(Column("age_band", "Age band", Kind.DIMENSION), DEATHS),
        rows=tuple(rows),
        notes=("Age at death in completed days or years.",),
    )


def modifiable_table():
    reviewed = Column("reviewed", "Reviewed deaths", Kind.COUNT)
    modifiable = Column("modifiable", "With modifiable factors", Kind.COUNT)
    share = Column(
        "share", "Share with modifiable factors", Kind.PROPORTION, unit="%", of="modifiable"
    )
    rows = (
        ("Perinatal/neonatal event", 1000, 120, 12.0),
        ("Trauma", 150, 90, 60.0),
        (TOTAL, 1150, 210, 18.2609),
    )
    return Table(
        id="modifiable-by-category",
        title="Modifiable factors by category of death",
        description="Reviewed deaths and the share in which the panel found modifiable factors.",
        columns=(
            Column("category", "Category of death", Kind.DIMENSION),
            reviewed,
            modifiable,
            share,
        ),
        rows=rows,
    )


def national_tables(year, theme=None):
    tables = [age_table(year), region_table(), region_sex_table(), modifiable_table()]
    if theme:
        return tables[:1]
    return tables


def cdop_tables(year, cdop_code):
    area = Column("area", "Area", Kind.DIMENSION, geographic=True)
    category = Column("category", "Category of death", Kind.DIMENSION)
    rows = (
        ("Perinatal/neonatal event", cdop_code, 12),
        ("Perinatal/neonatal event", "England", 1000),
        ("Trauma", cdop_code, 3),
        ("Trauma", "England", 150),
    )
    return [
        Table(
            id="cdop-deaths-by-category",
            title="Reviewed deaths by category, CDOP and England",
            description="Reviewed deaths in the CDOP beside England.",
            columns=(category, area, DEATHS),
            rows=rows,
        )
    ]


def headline(year="2024-25", **changes):
    """A headline as `ncmd.analysis` gives it, with round hand-made numbers."""
    from ncmd.analysis import Headline

    values = dict(  # noqa: C408 - the names of Headline, as keywords
        year=year,
        deaths=2450,
        population=8_218_000,
        rate=29.81,
        rate_lower=28.65,
        rate_upper=31.02,
        previous_year="2023-24",
        previous_deaths=2440,
        previous_rate=29.7,
        reviews_completed=1150,
        modifiable=210,
        modifiable_percent=18.26,
        modifiable_lower=16.1,
        modifiable_upper=20.6,
        infant_deaths=1700,
        live_births=430_000,
        infant_mortality_rate=3.95,
        infant_mortality_lower=3.77,
        infant_mortality_upper=4.14,
        median_days_to_review=301.0,
        denominator_name="Synthetic mid-year estimates (demonstration)",
        denominator_synthetic=True,
    )
    values.update(changes)
    return Headline(**values)


class FakeAnalysis:
    """The interface of `ncmd.analysis.Analysis`, over hand-made tables."""

    def __init__(self, snapshot=None):
        self.snapshot = snapshot
        self.closed = False

    def years(self):
        return list(YEARS)

    def national_tables(self, year, theme=None):
        return national_tables(year, theme)

    def cdop_tables(self, year, cdop_code):
        return cdop_tables(year, cdop_code)

    def headline(self, year):
        return headline(year)

    def close(self):
        self.closed = True
