"""The outreach home page: what there is, and what needs doing next."""

from django.shortcuts import render
from django.utils import timezone

from ..models import Contact, Event, EventStatus, Message, MessageStatus, TopicProposal, TopicStatus
from ..queries import audience_counts
from .common import manage


@manage
def home(request):
    now = timezone.now()
    return render(request, "outreach/home.html", {
        "contacts": Contact.objects.count(),
        "consenting": Contact.objects.filter(consent_given_on__isnull=False,
                                             unsubscribed_at__isnull=True).count(),
        "drafts": Message.objects.filter(status=MessageStatus.DRAFT).count(),
        "upcoming": Event.objects.filter(status=EventStatus.SCHEDULED, starts_at__gte=now)
        .order_by("starts_at")[:5],
        "to_review": TopicProposal.objects.filter(status=TopicStatus.PROPOSED).count(),
        "audiences": audience_counts(),
    })  # fmt: skip
