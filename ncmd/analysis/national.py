"""The standard national analyses of one financial year, as `Table`s, in a fixed order.

Each function takes the open `Analysis`; `theme` restricts every table to a theme's deaths
(`themes/*.yaml`) and prefixes its id and title.
"""

from . import cells
from .dimensions import AGE_BANDS
from .gradient import GradientNotEstimable, deprivation_gradient
from .tables import TOTAL, Column, Kind, Table
from .thematic import get_theme
from .years import parse_year, previous_year, year_bounds

DEATHS = "Deaths of children aged 0 to 17 whose date of death fell in"
REVIEWS = "CDOP reviews completed (by the date of the review) in"


class _Context:
    """What every table of one call shares: the year, the theme, the notes."""

    def __init__(self, analysis, year, theme):
        parse_year(year)
        self.analysis = analysis
        self.year = year
        self.theme = get_theme(theme) if theme else None
        start, end = year_bounds(year)
        self.period = f"{year} (1 April {start.year} to 31 March {end.year})"
        self.notes = analysis.notes() + ((f"Theme: {self.theme.title}. {self.theme.description}",
                                          *self.theme.notes) if self.theme else ())  # fmt: skip

    @property
    def theme_name(self):
        return self.theme.name if self.theme else None

    def table(self, id, title, description, columns, rows, notes=()):
        if self.theme:
            id, title = f"{self.theme.name}-{id}", f"{self.theme.title}: {title}"
            description += f" Restricted to the theme: {self.theme.title.lower()}."
        return Table(id=id, title=title, description=description, columns=tuple(columns),
                     rows=tuple(tuple(r) for r in rows), notes=(*self.notes, *notes))  # fmt: skip

    def counts(self, by, basis="death", year=None, extra="TRUE"):
        return self.analysis.counts(by, year=year or self.year, basis=basis,
                                    theme=self.theme_name, extra=extra)  # fmt: skip


INFANTS = "age_band IN ('0-27d', '28-364d')"
MODIFIABLE = "modifiable_factors = 'identified'"
INSUFFICIENT = "modifiable_factors = 'insufficient_information'"


def prefetch(analysis, year, theme=None):
    """Count what the national tables and the headline count, by every dimension at once: one
    scan of the year's deaths and one of its reviews (GROUPING SETS) instead of one query per
    table and dimension. The tables then read these counts as they would their own queries."""
    dims = analysis.dimensions
    names = ("age_band", "sex", "ethnicity", "deprivation", "region", "category")
    bys = ["1", "age_band", "imd_decile", *(dims[name].sql for name in names)]
    analysis.prefetch_counts(bys, year=year, theme=theme, extras=("TRUE", INFANTS))
    analysis.prefetch_counts(
        bys, year=year, basis="review", theme=theme, extras=("TRUE", MODIFIABLE, INSUFFICIENT)
    )


def national_tables(analysis, year, theme=None):
    context = _Context(analysis, year, theme)
    dims = analysis.dimensions
    prefetch(analysis, year, context.theme_name)
    tables = [
        deaths_by_year(context),
        *(deaths_by(context, dims[name]) for name in ("age_band", "sex", "ethnicity",
                                                      "deprivation", "region")),
        infant_mortality(context),
        reviews_by_category(context),
        *(modifiable_by(context, dims[name]) for name in ("category", "age_band", "sex",
                                                          "ethnicity", "deprivation")),
        time_to_review(context),
        change_from_previous_year(context),
        *deprivation_tables(context),
    ]  # fmt: skip
    return tables


# -- deaths and rates ------------------------------------------------------------------------------


def _rate_table_columns(dimension_column):
    return (
        dimension_column,
        Column("deaths", "Deaths", Kind.COUNT),
        Column("population", "Children (population estimate)", Kind.DENOMINATOR),
        *cells.rate_columns("deaths"),
    )


def deaths_by_year(context):
    analysis = context.analysis
    end = parse_year(context.year)
    years = [y for y in analysis.death_years() if parse_year(y) <= end]
    if context.year not in years:
        years.append(context.year)
    rows = []
    for year in years:
        deaths = analysis.total(year=year, theme=context.theme_name)
        population = analysis.population(year)
        rows.append((year, deaths, population, *cells.rate_values(deaths, population)))
    return context.table(
        "deaths-by-year", "Deaths and death rate by year",
        f"{DEATHS} each financial year up to {context.period}, and the rate per 100,000 "
        "children aged 0 to 17 (mid-year population estimate of the year's first calendar year).",
        _rate_table_columns(Column("year", "Year (April to March)", Kind.DIMENSION)), rows,
    )  # fmt: skip


def _population_of(context, dimension, code, year=None):
    """The population each group of a dimension is divided by, or None."""
    analysis, year = context.analysis, year or context.year
    if code is None:
        return None
    if dimension.key == "age_band":
        low, high = next(r for c, _, r in AGE_BANDS if c == code)
        return analysis.population(year, age_from=low, age_to=high)
    if dimension.key == "sex":
        return analysis.population(year, sex=code) if code in ("M", "F") else None
    if dimension.key == "ethnic_group":
        return None if code == "not_stated" else analysis.population(year, ethnicity=code)
    if dimension.key == "deprivation_quintile":
        parts = [analysis.population(year, decile=d) for d in (2 * code - 1, 2 * code)]
        return None if None in parts else sum(parts)
    if dimension.key == "region":
        return analysis.population(year, unit=code)
    return None


def deaths_by(context, dimension):
    counts = dimension.fold(context.counts(dimension.sql))
    rows = []
    for code, label in dimension.ordered(counts):
        deaths = counts.get(code, 0)
        population = _population_of(context, dimension, code)
        rows.append((label, deaths, population, *cells.rate_values(deaths, population)))
    deaths = sum(counts.values())
    population = context.analysis.population(context.year)
    rows.append((TOTAL, deaths, population, *cells.rate_values(deaths, population)))
    notes = []
    if dimension.key == "age_band":
        notes.append("Both infant age bands (under 28 days, 28 to 364 days) are divided by the "
                     "population aged under 1; rates per 1,000 live births are in the infant "
                     "mortality table.")  # fmt: skip
    if dimension.key == "deprivation_quintile":
        notes.append(
            "Deprivation is the Index of Multiple Deprivation decile of the home "
            "postcode's area (1 = most deprived); quintile 1 is deciles 1 and 2."
        )
    if dimension.key == "ethnic_group":
        notes.append("Rates by ethnic group need a population by ethnic group in the "
                     "denominators; where there is none the rate is left blank.")  # fmt: skip
    column = Column(dimension.key, dimension.label, Kind.DIMENSION,
                    geographic=dimension.geographic)  # fmt: skip
    return context.table(
        f"deaths-by-{dimension.slug}", f"Deaths and death rate by {dimension.label.lower()}",
        f"{DEATHS} {context.period}, by {dimension.label.lower()}, with the rate per 100,000 "
        "children of that group.", _rate_table_columns(column), rows, notes,
    )  # fmt: skip


def infant_mortality(context):
    counts = context.counts("age_band", extra=INFANTS)
    births, period = context.analysis.births(context.year)
    rows = []
    for code, label in (("0-27d", "Neonatal (under 28 days)"),
                        ("28-364d", "Post-neonatal (28 to 364 days)"), (None, TOTAL)):  # fmt: skip
        deaths = sum(counts.values()) if code is None else counts.get(code, 0)
        rows.append((label, deaths, births, *cells.rate_values(
            deaths, births, multiplier=1000, decimals=cells.BIRTH_RATE_DECIMALS)))  # fmt: skip
    notes = ["The Total row is infant mortality: deaths under 1 year per 1,000 live births."]
    if period == "calendar":
        notes.append(f"Live births are those of the calendar year {parse_year(context.year)} "
                     "(nine months of which fall in the financial year), as ONS publishes "
                     "them.")  # fmt: skip
    return context.table(
        "infant-mortality", "Infant mortality per 1,000 live births",
        f"Deaths of infants (under 1 year) whose date of death fell in {context.period}, per "
        "1,000 live births.",
        (Column("age_at_death", "Age at death", Kind.DIMENSION),
         Column("deaths", "Deaths", Kind.COUNT),
         Column("live_births", "Live births", Kind.DENOMINATOR),
         *cells.rate_columns("deaths", unit="per 1,000 live births")),
        rows, notes,
    )  # fmt: skip


# -- reviews -------------------------------------------------------------------------------------


def reviews_by_category(context):
    dimension = context.analysis.dimensions["category"]
    counts = dimension.fold(context.counts(dimension.sql, basis="review"))
    total = sum(counts.values())
    rows = [(label, counts.get(code, 0), *cells.percent_values(counts.get(code, 0), total))
            for code, label in dimension.ordered(counts)]  # fmt: skip
    rows.append((TOTAL, total, *cells.percent_values(total, total)))
    return context.table(
        "reviews-by-category", "Reviewed deaths by category of death",
        f"{REVIEWS} {context.period}, by the category of death the panel assigned, as a "
        "percentage of all reviews completed.",
        (Column("category", "Category of death", Kind.DIMENSION),
         Column("reviews", "Reviews completed", Kind.COUNT),
         *cells.percent_columns("reviews", label="Percentage of reviews")),
        rows,
    )  # fmt: skip


def modifiable_by(context, dimension):
    reviews = dimension.fold(context.counts(dimension.sql, basis="review"))
    modifiable = dimension.fold(context.counts(
        dimension.sql, basis="review", extra=MODIFIABLE))  # fmt: skip
    insufficient = dimension.fold(context.counts(dimension.sql, basis="review", extra=INSUFFICIENT))
    rows = []
    for code, label in [*dimension.ordered(reviews), (TOTAL, TOTAL)]:
        if code == TOTAL:
            n, x, i = (sum(d.values()) for d in (reviews, modifiable, insufficient))
        else:
            n, x, i = reviews.get(code, 0), modifiable.get(code, 0), insufficient.get(code, 0)
        rows.append((label, n, x, i, *cells.percent_values(x, n)))
    column = Column(dimension.key, dimension.label, Kind.DIMENSION,
                    geographic=dimension.geographic)  # fmt: skip
    return context.table(
        f"modifiable-factors-by-{dimension.slug}",
        f"Reviews with modifiable factors by {dimension.label.lower()}",
        f"{REVIEWS} {context.period}, by {dimension.label.lower()}: how many identified "
        "modifiable factors, as a percentage of all reviews completed (reviews with "
        "insufficient information to decide are in the denominator).",
        (column, Column("reviews", "Reviews completed", Kind.COUNT),
         Column("modifiable", "With modifiable factors", Kind.COUNT),
         Column("insufficient_information", "Insufficient information to decide", Kind.COUNT),
         *cells.percent_columns("modifiable", label="Percentage with modifiable factors")),
        rows,
    )  # fmt: skip


def duration_columns(prefix="", short=183, long=365):
    return (
        Column(f"{prefix}reviews", "Reviews completed", Kind.COUNT),
        Column(f"{prefix}median_days", "Median days from death to review", Kind.STATISTIC,
               unit="days", of=f"{prefix}reviews"),
        Column(f"{prefix}lower_quartile_days", "Lower quartile (days)", Kind.STATISTIC,
               unit="days", of=f"{prefix}reviews"),
        Column(f"{prefix}upper_quartile_days", "Upper quartile (days)", Kind.STATISTIC,
               unit="days", of=f"{prefix}reviews"),
        Column(f"{prefix}within_6_months", f"Reviewed within 6 months ({short} days)", Kind.COUNT),
        *cells.percent_columns(f"{prefix}within_6_months", prefix=f"{prefix}within_6_months_",
                               label="Percentage within 6 months"),
        Column(f"{prefix}within_12_months", f"Reviewed within 12 months ({long} days)",
               Kind.COUNT),
        *cells.percent_columns(f"{prefix}within_12_months", prefix=f"{prefix}within_12_months_",
                               label="Percentage within 12 months"),
    )  # fmt: skip


def duration_values(duration):
    """The cells of `duration_columns` for an `engine.Duration`."""
    n, within_short, within_long = duration.reviews, duration.within_short, duration.within_long
    return (n, cells.half_day(duration.median), cells.half_day(duration.lower_quartile),
            cells.half_day(duration.upper_quartile), within_short,
            *cells.percent_values(within_short, n), within_long,
            *cells.percent_values(within_long, n))  # fmt: skip


def time_to_review(context):
    analysis = context.analysis
    dimension = analysis.dimensions["expected"]
    short, long = analysis.review_days_short, analysis.review_days_long
    theme = context.theme_name
    rows = []
    for code, label in dimension.values:
        duration = analysis.review_duration(year=context.year, theme=theme,
                                            extra=f"expected_death = '{code}'")  # fmt: skip
        rows.append((label, *duration_values(duration)))
    unknown = analysis.review_duration(
        year=context.year, theme=theme,
        extra="expected_death IS NULL OR expected_death NOT IN ("
        + ", ".join(f"'{c}'" for c, _ in dimension.values) + ")",
    )  # fmt: skip
    if unknown.reviews:
        rows.append(("Not known", *duration_values(unknown)))
    rows.append((TOTAL, *duration_values(analysis.review_duration(year=context.year,
                                                                  theme=theme))))  # fmt: skip
    return context.table(
        "time-to-review", "Time from death to review",
        f"{REVIEWS} {context.period}: days from the death to the CDOP review, by whether the "
        f"death was expected. Six months is {short} days and 12 months {long} days; there is no "
        "statutory timescale for a review.",
        (Column("expected_death", dimension.label, Kind.DIMENSION),
         *duration_columns(short=short, long=long)),
        rows,
    )  # fmt: skip


# -- change --------------------------------------------------------------------------------------


def change_from_previous_year(context):
    analysis, before = context.analysis, previous_year(context.year)
    current = context.counts("age_band")
    previous = context.counts("age_band", year=before)
    rows = []
    groups = [(code, label, ages) for code, label, ages in AGE_BANDS] + [(TOTAL, TOTAL, (0, 17))]
    for code, label, (low, high) in groups:
        if code == TOTAL:
            x1, x0 = sum(current.values()), sum(previous.values())
        else:
            x1, x0 = current.get(code, 0), previous.get(code, 0)
        n1 = analysis.population(context.year, age_from=low, age_to=high)
        n0 = analysis.population(before, age_from=low, age_to=high)
        change = x1 - x0
        percent = cells.rounded(100 * change / x0, cells.RATE_DECIMALS) if x0 else None
        rows.append((label, x0, x1, change, percent, n0, n1,
                     cells.rate_values(x0, n0)[0], cells.rate_values(x1, n1)[0],
                     *cells.ratio_values(x1, n1, x0, n0)))  # fmt: skip
    unit = "per 100,000 children"
    return context.table(
        "change-from-previous-year", "Change from the previous year",
        f"{DEATHS} {context.period} and in {before}, by age at death: the change in the number "
        "of deaths and the ratio of this year's rate to last year's.",
        (Column("age_band", "Age at death", Kind.DIMENSION),
         Column("previous_deaths", f"Deaths in {before}", Kind.COUNT),
         Column("deaths", f"Deaths in {context.year}", Kind.COUNT),
         Column("change", "Change in deaths", Kind.STATISTIC, of="deaths"),
         Column("percent_change", "Change in deaths (%)", Kind.STATISTIC, unit="%", of="deaths"),
         Column("previous_population", f"Children in {before}", Kind.DENOMINATOR),
         Column("population", f"Children in {context.year}", Kind.DENOMINATOR),
         Column("previous_rate", f"Rate in {before}", Kind.RATE, unit=unit, of="previous_deaths"),
         Column("rate", f"Rate in {context.year}", Kind.RATE, unit=unit, of="deaths"),
         Column("rate_ratio", "Rate ratio (this year / last year)", Kind.STATISTIC, of="deaths"),
         Column("rate_ratio_lower", "Lower 95% limit", Kind.LOWER, of="rate_ratio"),
         Column("rate_ratio_upper", "Upper 95% limit", Kind.UPPER, of="rate_ratio")),
        rows,
        ("The rate ratio's interval is the Wald interval on the log scale when both years have "
         "deaths, and the exact conditional (Clopper-Pearson) interval when either has none.",),
    )  # fmt: skip


# -- deprivation ---------------------------------------------------------------------------------


def deprivation_tables(context):
    analysis = context.analysis
    counts = context.counts("imd_decile")
    deciles = list(range(1, 11))
    populations = [analysis.population(context.year, decile=d) for d in deciles]
    deaths = [counts.get(d, 0) for d in deciles]
    known = [(d, x, n) for d, x, n in zip(deciles, deaths, populations, strict=True) if n]
    least = next(((x, n) for d, x, n in known if d == 10), None)
    rows = []
    for decile, x, n in zip(deciles, deaths, populations, strict=True):
        label = {1: "1 (most deprived)", 10: "10 (least deprived)"}.get(decile, str(decile))
        ratio = cells.ratio_values(x, n, *least) if least and n else (None, None, None)
        rows.append((label, x, n, *cells.rate_values(x, n), *ratio))
    unknown = sum(v for k, v in counts.items() if k not in deciles)
    total = sum(counts.values())
    population = analysis.population(context.year)
    rows.append((TOTAL, total, population, *cells.rate_values(total, population), None, None,
                 None))  # fmt: skip
    by_decile = context.table(
        "deaths-by-deprivation-decile", "Deaths and death rate by deprivation decile",
        f"{DEATHS} {context.period}, by the Index of Multiple Deprivation decile of the home "
        "postcode (1 = most deprived), with the rate per 100,000 children of the decile and the "
        "ratio of each decile's rate to the least deprived decile's.",
        (*_rate_table_columns(Column("imd_decile", "Deprivation decile (IMD)", Kind.DIMENSION)),
         Column("rate_ratio", "Rate ratio to the least deprived decile", Kind.STATISTIC,
                of="deaths"),
         Column("rate_ratio_lower", "Lower 95% limit", Kind.LOWER, of="rate_ratio"),
         Column("rate_ratio_upper", "Upper 95% limit", Kind.UPPER, of="rate_ratio")),
        rows,
        (f"{unknown} death(s) with no known deprivation decile are in the Total only.",
         "Each decile's rate ratio equals that of a Poisson model with one term per decile and "
         "the log population as offset (a saturated model): the Wald interval on the log "
         "scale, or the exact conditional interval where a decile has no deaths."),
    )  # fmt: skip
    gradient_row, note = _gradient_row(known)
    gradient = context.table(
        "deprivation-gradient", "The deprivation gradient",
        f"{DEATHS} {context.period} with a known deprivation decile: the rate ratio for each "
        "decile more deprived, from a Poisson regression of deaths on decile with the log of "
        "the decile's population as offset.",
        (Column("measure", "Measure", Kind.DIMENSION),
         Column("deaths", "Deaths in the model", Kind.COUNT),
         Column("deciles", "Deciles in the model", Kind.STATISTIC),
         Column("rate_ratio", "Rate ratio per decile more deprived", Kind.STATISTIC,
                of="deaths"),
         Column("rate_ratio_lower", "Lower 95% limit", Kind.LOWER, of="rate_ratio"),
         Column("rate_ratio_upper", "Upper 95% limit", Kind.UPPER, of="rate_ratio"),
         Column("dispersion", "Pearson dispersion (chi-squared / df)", Kind.STATISTIC),
         Column("p_value", "p-value (no gradient)", Kind.STATISTIC)),
        [gradient_row], (note,) if note else (),
    )  # fmt: skip
    return by_decile, gradient


def _gradient_row(known):
    label = "Rate ratio per decile more deprived"
    try:
        fit = deprivation_gradient([d for d, _, _ in known], [x for _, x, _ in known],
                                   [n for _, _, n in known])  # fmt: skip
    except GradientNotEstimable as reason:
        deaths = sum(x for _, x, _ in known)
        return (label, deaths, len(known), None, None, None, None, None), (
            f"The gradient is not estimated: the model {reason}.")  # fmt: skip
    return (label, fit.deaths, fit.deciles, cells.rounded(fit.rate_ratio, cells.RATIO_DECIMALS),
            cells.rounded(fit.lower, cells.RATIO_DECIMALS),
            cells.rounded(fit.upper, cells.RATIO_DECIMALS),
            cells.rounded(fit.dispersion, 2), cells.rounded(fit.p_value, 4)), (
        "A dispersion well above 1 means the deaths vary between deciles more than a Poisson "
        "model allows, and the interval is then too narrow.")  # fmt: skip


# -- headline ------------------------------------------------------------------------------------


def headline(analysis, year):
    from .engine import Headline

    parse_year(year)
    before = previous_year(year)
    deaths = analysis.total(year=year)
    previous = analysis.total(year=before)
    population = analysis.population(year)
    rate, lower, upper = cells.rate_values(deaths, population)
    reviews = analysis.total(year=year, basis="review")
    modifiable = analysis.total(year=year, basis="review",
                                extra=MODIFIABLE)  # fmt: skip
    percent = cells.percent_values(modifiable, reviews)
    infants = analysis.total(year=year, extra=INFANTS)
    births, _ = analysis.births(year)
    infant_rate = cells.rate_values(infants, births, multiplier=1000,
                                    decimals=cells.BIRTH_RATE_DECIMALS)  # fmt: skip
    median = cells.half_day(analysis.review_duration(year=year).median)
    dataset = analysis.denominators.population_dataset
    return Headline(
        year=year, deaths=deaths, population=population, rate=rate, rate_lower=lower,
        rate_upper=upper, previous_year=before, previous_deaths=previous,
        previous_rate=cells.rate_values(previous, analysis.population(before))[0],
        reviews_completed=reviews, modifiable=modifiable, modifiable_percent=percent[0],
        modifiable_lower=percent[1], modifiable_upper=percent[2], infant_deaths=infants,
        live_births=births, infant_mortality_rate=infant_rate[0],
        infant_mortality_lower=infant_rate[1], infant_mortality_upper=infant_rate[2],
        median_days_to_review=median,
        denominator_name=dataset.name if dataset else "none imported",
        denominator_synthetic=analysis.denominators.synthetic,
    )  # fmt: skip
