"""English financial years, the reporting year of child death review: "2024-25" runs from
1 April 2024 to 31 March 2025."""

import datetime
import re

_LABEL = re.compile(r"^(\d{4})-(\d{2})$")


def parse_year(label):
    """The first calendar year of a financial year label ("2024-25" gives 2024).

    Raises ValueError with the expected form when the label is not a financial year."""
    match = _LABEL.match(str(label).strip())
    if not match or (int(match[1]) + 1) % 100 != int(match[2]):
        raise ValueError(
            f"{label!r} is not a financial year: write it as 2024-25 (1 April 2024 to 31 March "
            "2025)."
        )
    return int(match[1])


def year_label(start):
    """The label of the financial year starting on 1 April of `start` (2024 gives "2024-25")."""
    return f"{start}-{(start + 1) % 100:02d}"


def year_bounds(label):
    """(first day, last day) of a financial year, both inclusive."""
    start = parse_year(label)
    return datetime.date(start, 4, 1), datetime.date(start + 1, 3, 31)


def year_of(day):
    """The label of the financial year holding `day`."""
    return year_label(day.year if day.month >= 4 else day.year - 1)


def previous_year(label):
    return year_label(parse_year(label) - 1)
