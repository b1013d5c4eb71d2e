"""The quarterly review: where the programme's learning stands at the end of a quarter.

Statuses are those in force on the quarter's last day, rebuilt from the responses' history, so a
past quarter's review reads the same later. Events come from the outreach app
(`ncmd.learning.outreach.summary.events_between`); the movement of linked indicators comes from
`series.movement_of` (statistics by `ncmd.stats`).
"""

import csv
import datetime
import io
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.utils import timezone

from ncmd.dictionary.exports import formula_safe
from ncmd.quality.definitions import indicators
from ncmd.quality.results import latest_results

from .audiences import Audience
from .models import (
    OPEN_STATUSES,
    Addressee,
    Consultation,
    Intervention,
    PlanAction,
    PlanActionStatus,
    RecommendationStatus,
    Theme,
)
from .series import movement_of

QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
STATUSES = list(RecommendationStatus)


class BadQuarter(ValueError):
    pass


class ReviewExport:
    """What the audit log names when a quarterly review is exported."""

    def __init__(self, quarter):
        self.pk = quarter


def quarter_bounds(text):
    """("2025-Q3") -> (1 July 2025, 30 September 2025)."""
    match = QUARTER.match(text or "")
    if not match:
        raise BadQuarter(f"{text!r} is not a quarter: write it like 2025-Q3.")
    year, number = int(match[1]), int(match[2])
    start = datetime.date(year, 3 * number - 2, 1)
    end_month = 3 * number
    following = datetime.date(year + (end_month == 12), end_month % 12 + 1, 1)
    return start, following - datetime.timedelta(days=1)


def quarter_of(day):
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def neighbour(quarter, step):
    start, end = quarter_bounds(quarter)
    return quarter_of(end + datetime.timedelta(days=1) if step > 0
                      else start - datetime.timedelta(days=1))  # fmt: skip


@dataclass
class ResponseRow:
    addressee: Addressee
    status: str
    since: datetime.datetime | None
    last_note: str
    overdue: bool

    @property
    def status_label(self):
        return RecommendationStatus(self.status).label


@dataclass
class QuarterlyReview:
    quarter: str
    start: datetime.date
    end: datetime.date
    responses: list = field(default_factory=list)
    themes: list = field(default_factory=list)
    by_audience: list = field(default_factory=list)
    by_organisation: list = field(default_factory=list)
    overdue: list = field(default_factory=list)
    overdue_actions: list = field(default_factory=list)
    updates_in_quarter: int = 0
    events: list = field(default_factory=list)
    events_available: bool = True
    interventions: list = field(default_factory=list)
    consultations: list = field(default_factory=list)
    indicators: list = field(default_factory=list)
    statuses: list = field(default_factory=lambda: STATUSES)

    @property
    def label(self):
        return f"{self.start:%B} to {self.end:%B %Y}"


def _status_at(addressee, end_at):
    """(status, since, last note) of a response at `end_at`, from its history."""
    updates = [u for u in addressee.updates.all() if u.at <= end_at]
    if not updates:
        return RecommendationStatus.ISSUED.value, addressee.recommendation.issued_at, ""
    last = max(updates, key=lambda u: (u.at, u.pk))
    return last.status_to, last.at, last.note


def _counts(rows):
    counts = Counter(r.status for r in rows)
    return {"counts": [counts.get(s.value, 0) for s in STATUSES], "total": len(rows),
            "open": sum(counts.get(s.value, 0) for s in OPEN_STATUSES),
            "overdue": sum(r.overdue for r in rows)}  # fmt: skip


def build_review(quarter):
    start, end = quarter_bounds(quarter)
    tz = timezone.get_current_timezone()
    end_at = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min,
                                       tzinfo=tz)  # fmt: skip
    start_at = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    review = QuarterlyReview(quarter, start, end)
    # Overdue at the quarter's end, or today for the quarter under way.
    cutoff = min(end + datetime.timedelta(days=1), timezone.localdate())
    addressees = (Addressee.objects.filter(recommendation__issued_at__lt=end_at)
                  .select_related("recommendation__report", "organisation")
                  .prefetch_related("updates")
                  .order_by("recommendation__report__published_on", "recommendation__report_id",
                            "recommendation__number", "organisation__name"))  # fmt: skip
    for addressee in addressees:
        status, since, note = _status_at(addressee, end_at)
        overdue = status in OPEN_STATUSES and addressee.recommendation.due_on < cutoff
        review.responses.append(ResponseRow(addressee, status, since, note, overdue))
    review.overdue = [r for r in review.responses if r.overdue]
    review.updates_in_quarter = sum(
        1 for r in review.responses for u in r.addressee.updates.all() if start_at <= u.at < end_at
    )

    by_theme = defaultdict(list)
    by_audience = defaultdict(list)
    by_organisation = defaultdict(list)
    for row in review.responses:
        recommendation = row.addressee.recommendation
        by_theme[recommendation.theme].append(row)
        for audience in recommendation.audiences:
            by_audience[audience].append(row)
        by_organisation[row.addressee.organisation].append(row)
    for theme in Theme:
        rows = by_theme.get(theme.value)
        if rows:
            recommendations = {r.addressee.recommendation_id for r in rows}
            issued_now = {r.addressee.recommendation_id for r in rows
                          if start_at <= r.addressee.recommendation.issued_at}  # fmt: skip
            review.themes.append(
                {
                    "label": theme.label,
                    "recommendations": len(recommendations),
                    "issued_in_quarter": len(issued_now),
                    **_counts(rows),
                }
            )
    for audience in Audience:
        rows = by_audience.get(audience.value)
        if rows:
            review.by_audience.append({"label": audience.label, **_counts(rows)})
    for organisation in sorted(by_organisation, key=lambda o: (o.type != "partner", o.name)):
        review.by_organisation.append(
            {"organisation": organisation, **_counts(by_organisation[organisation])}
        )

    review.overdue_actions = list(
        PlanAction.objects.exclude(status__in=[PlanActionStatus.COMPLETE, PlanActionStatus.STOPPED])
        .filter(next_review_on__lt=cutoff).select_related("workstream__goal")
        .prefetch_related("roles__organisation")
    )  # fmt: skip
    review.interventions = list(Intervention.objects.filter(held_on__range=(start, end))
                                .prefetch_related("cdops").order_by("held_on"))  # fmt: skip
    review.consultations = list(Consultation.objects.filter(consulted_on__range=(start, end))
                                .select_related("report", "recommendation"))  # fmt: skip
    review.events, review.events_available = _events(start, end)
    review.indicators = _indicator_movements(review, end_at)
    return review


def _events(start, end):
    if not apps.is_installed("ncmd.learning.outreach"):
        return [], False
    from ncmd.learning.outreach.summary import events_between

    return events_between(start, end), True


def _indicator_movements(review, end_at):
    results = latest_results()
    seen, movements = set(), []
    for row in review.responses:
        recommendation = row.addressee.recommendation
        if not recommendation.indicator or recommendation.pk in seen:
            continue
        seen.add(recommendation.pk)
        definition = indicators().get(recommendation.indicator)
        movements.append({
            "recommendation": recommendation,
            "indicator": definition.title if definition else recommendation.indicator,
            "movement": movement_of(recommendation.indicator,
                                    timezone.localtime(recommendation.issued_at).date(),
                                    results=results) if results else None,
        })  # fmt: skip
    return movements


CSV_COLUMNS = [
    "report", "recommendation", "text", "theme", "audiences", "organisation", "organisation_code",
    "status", "status_since", "due_on", "overdue", "last_note",
]  # fmt: skip


def progress_csv(review):
    """Recommendation progress as CSV, one row per addressed organisation, formula-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for row in review.responses:
        recommendation = row.addressee.recommendation
        writer.writerow([formula_safe(value) for value in (
            recommendation.report.title, recommendation.number, recommendation.text,
            recommendation.get_theme_display(), "; ".join(recommendation.audience_labels),
            row.addressee.organisation.name, row.addressee.organisation.code,
            row.status_label, timezone.localtime(row.since).date().isoformat() if row.since else "",
            recommendation.due_on.isoformat(), "yes" if row.overdue else "no", row.last_note,
        )])  # fmt: skip
    return buffer.getvalue()
