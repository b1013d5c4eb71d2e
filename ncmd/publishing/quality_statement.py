"""The data quality statement of a report: the national value of each quality indicator for the
report's year, read from the quality results of the same snapshot (computed first when that
snapshot has none yet, so the statement always describes the data the tables come from)."""

import datetime
import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from ncmd.analysis.years import parse_year
from ncmd.quality.compute import NATIONAL, compute_quality
from ncmd.quality.definitions import indicators
from ncmd.quality.results import Results

from .formatting import one_decimal


@dataclass(frozen=True)
class QualityLine:
    title: str
    description: str
    national: str  # "94.1% (3,366 of 3,577; 95% confidence interval 93.3 to 94.8)" or a reason
    local: str = ""  # the CDOP's value, in a CDOP pack
    better: str = "higher"


def quality_results(snapshot):
    """The quality results of `snapshot`, computing them if they are not there yet."""
    folder = Path(snapshot.folder) / "quality"
    if not (folder / "meta.json").exists():
        compute_quality(
            snapshot.folder,
            review_days_short=settings.NCMD_REVIEW_DAYS_SHORT,
            review_days_long=settings.NCMD_REVIEW_DAYS_LONG,
        )
    return Results(snapshot, folder, json.loads((folder / "meta.json").read_text()))


def _words(row):
    if row is None:
        return "No records in this year."
    if not row["scored"]:
        return f"Not scored: {(row['reason'] or 'too few records').rstrip('.')}."
    text = f"{one_decimal(row['value'] * 100)}%"
    if row["denominator"] is not None:
        text += f" ({int(row['numerator']):,} of {int(row['denominator']):,}"
        if row["lower"] is not None and row["upper"] is not None:
            text += (
                f"; 95% confidence interval {one_decimal(row['lower'] * 100)} to "
                f"{one_decimal(row['upper'] * 100)}"
            )
        text += ")"
    return text


def quality_lines(snapshot, year, cdop_code=None):
    """One line per indicator: its national value for `year` (and the CDOP's, when given)."""
    results = quality_results(snapshot)
    start = datetime.date(parse_year(year), 4, 1)
    codes = [NATIONAL] + ([cdop_code] if cdop_code else [])
    rows = {
        (row["indicator"], row["cdop"]): row
        for row in results.query(
            "SELECT * FROM \"values\" WHERE period_type = 'year' AND period = ? AND cdop IN "
            f"({', '.join('?' for _ in codes)})",
            start,
            *codes,
        )
    }
    lines = []
    for name, definition in indicators().items():
        lines.append(
            QualityLine(
                title=definition.title,
                description=definition.description,
                national=_words(rows.get((name, NATIONAL))),
                local=_words(rows.get((name, cdop_code))) if cdop_code else "",
                better=definition.better,
            )
        )
    return lines
