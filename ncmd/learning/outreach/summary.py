"""Events for the quarterly review: what was held, for whom, who came and what they thought.

`events_between` is the one function other apps (the learning app's quarterly review) call; it
returns plain frozen values, so they need not know this app's models.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Avg, Count, Q
from django.utils import timezone

from ncmd.learning.audiences import Audience

from .models import Event, EventStatus, FeedbackResponse


@dataclass(frozen=True)
class EventSummary:
    title: str
    kind: str
    date: datetime.date
    audiences: list
    registered: int
    attended: int
    feedback_responses: int
    mean_feedback_score: float | None


def audience_labels(values):
    labels = dict(Audience.choices)
    return [labels.get(value, value) for value in values]


def events_between(start: datetime.date, end: datetime.date) -> list[EventSummary]:
    """Every event not cancelled that starts on a day from `start` to `end` (both included),
    in date order. The mean feedback score is the mean of the "overall" rating (1 to 5)."""
    tz = timezone.get_current_timezone()
    begin = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    finish = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min,
                                       tzinfo=tz)  # fmt: skip
    events = (
        Event.objects.filter(starts_at__gte=begin, starts_at__lt=finish)
        .exclude(status=EventStatus.CANCELLED)
        .annotate(
            n_registered=Count("registrations", distinct=True),
            n_attended=Count(
                "registrations", filter=Q(registrations__attended=True), distinct=True
            ),  # fmt: skip
        )
        .order_by("starts_at", "pk")
    )
    feedback = {
        row["registration__event"]: row
        for row in FeedbackResponse.objects.filter(registration__event__in=events)
        .values("registration__event")
        .annotate(n=Count("pk"), mean=Avg("overall"))
    }
    return [
        EventSummary(
            title=event.title,
            kind=event.get_kind_display(),
            date=timezone.localtime(event.starts_at, tz).date(),
            audiences=audience_labels(event.audiences),
            registered=event.n_registered,
            attended=event.n_attended,
            feedback_responses=feedback.get(event.pk, {}).get("n", 0),
            mean_feedback_score=(
                round(feedback[event.pk]["mean"], 2) if event.pk in feedback else None
            ),
        )
        for event in events
    ]
