"""Numbers as published: fixed decimal places by kind of column, and headline figures written as
sentences from the numbers, with the right singular or plural. No Django import."""

from decimal import ROUND_HALF_UP, Decimal

from ncmd.analysis.tables import Kind

from .disclosure import SYMBOLS

DECIMALS = {
    Kind.COUNT: 0,
    Kind.DENOMINATOR: 0,
    Kind.RATE: 1,
    Kind.PROPORTION: 1,
    Kind.LOWER: 1,
    Kind.UPPER: 1,
    Kind.STATISTIC: 1,
}


def rounded(value, decimals):
    """Round half up (as published tables do, never to even), as a Decimal."""
    quantum = Decimal(1).scaleb(-decimals)
    return Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP)


def cell_text(column, value, *, grouping=False):
    """A published cell as text: symbols and labels as given, numbers with the column's decimals.

    Integral statistics (a median in days) keep no decimals."""
    if value is None:
        return "[x]"
    if isinstance(value, str):
        return value
    if column.kind is Kind.DIMENSION:
        return str(value)
    decimals = DECIMALS.get(column.kind, 1)
    if column.kind is Kind.STATISTIC and float(value).is_integer():
        decimals = 0
    number = rounded(value, decimals)
    return f"{number:,}" if grouping else f"{number}"


def cell_number(column, value):
    """A published cell for a spreadsheet: a number rounded as in `cell_text`, or text."""
    if value is None or isinstance(value, str) or column.kind is Kind.DIMENSION:
        return value if value is not None else "[x]"
    decimals = DECIMALS.get(column.kind, 1)
    if column.kind is Kind.STATISTIC and float(value).is_integer():
        decimals = 0
    number = rounded(value, decimals)
    return int(number) if decimals == 0 else float(number)


def is_symbol(text):
    return text in SYMBOLS


def count(number, singular, plural):
    """'1 child', '3,577 children'."""
    return f"{int(number):,} {singular if int(number) == 1 else plural}"


def one_decimal(value):
    return f"{rounded(value, 1):,}"


def interval(lower, upper):
    return f"95% confidence interval {one_decimal(lower)} to {one_decimal(upper)}"


def headline_sentences(headline):
    """The annual report's headline figures, each a sentence built from the numbers."""
    h = headline
    year, previous_year = h.year, h.previous_year
    sentences = []
    died = "child died" if h.deaths == 1 else "children died"
    first = f"In {year}, {h.deaths:,} {died} in England"
    if h.rate is not None:
        first += f", {one_decimal(h.rate)} per 100,000 children"
        if h.rate_lower is not None and h.rate_upper is not None:
            first += f" ({interval(h.rate_lower, h.rate_upper)})"
    if h.previous_deaths:  # 0: no deaths recorded in the previous year (no data)
        if h.previous_rate is not None:
            then = f"{h.previous_deaths:,} ({one_decimal(h.previous_rate)} per 100,000)"
        else:
            then = f"{h.previous_deaths:,}"
        first += f", compared with {then} in {previous_year}"
    sentences.append(first + ".")
    if h.previous_deaths:
        change = (h.deaths - h.previous_deaths) / h.previous_deaths * 100
        if h.deaths == h.previous_deaths:
            sentences.append(f"The number of deaths was the same as in {previous_year}.")
        else:
            direction = "more" if change > 0 else "fewer"
            difference = abs(h.deaths - h.previous_deaths)
            sentences.append(
                f"That is {count(difference, 'death', 'deaths')} {direction} than in "
                f"{previous_year} ({one_decimal(abs(change))}% {direction})."
            )
    if h.infant_mortality_rate is not None:
        infant = (
            f"The infant mortality rate was {one_decimal(h.infant_mortality_rate)} deaths per "
            "1,000 live births"
        )
        if h.infant_mortality_lower is not None and h.infant_mortality_upper is not None:
            infant += f" ({interval(h.infant_mortality_lower, h.infant_mortality_upper)})"
        sentences.append(infant + ".")
    completed = count(h.reviews_completed, "review", "reviews")
    reviews = f"Child death overview panels completed {completed}"
    if not h.reviews_completed:
        reviews = f"No child death reviews were completed in {year}"
    if h.median_days_to_review is not None and h.reviews_completed:
        days = count(round(h.median_days_to_review), "day", "days")
        reviews += f"; the median time from death to completed review was {days}"
    sentences.append(reviews + ".")
    if h.modifiable_percent is not None and h.reviews_completed:
        share = (
            f"Panels identified modifiable factors in {one_decimal(h.modifiable_percent)}% of "
            "reviewed deaths"
        )
        if h.modifiable_lower is not None and h.modifiable_upper is not None:
            share += f" ({interval(h.modifiable_lower, h.modifiable_upper)})"
        sentences.append(share + ".")
    if h.denominator_name:
        sentence = f"Rates use the population and birth figures “{h.denominator_name}”."
        if h.denominator_synthetic:
            sentence += (
                " These denominators are synthetic, made for the demonstration: the rates are "
                "not real."
            )
        sentences.append(sentence)
    return sentences
