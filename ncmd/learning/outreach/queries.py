"""Read-only questions the pages and actions ask: who a message would reach, and who would not."""

from django.db.models import Count, Q

from ncmd.learning.audiences import Audience

from .models import Contact, TopicProposal, TopicStatus


def members_of(audiences):
    """Every contact in at least one of `audiences`, whether or not they may be e-mailed."""
    wanted = set(audiences)
    return [c for c in Contact.objects.select_related("organisation") if wanted & set(c.audiences)]


def recipients_for(audiences):
    """The contacts a message to `audiences` goes to: consent recorded, not unsubscribed, and
    in one of the audiences they have not left. Ordered by e-mail address."""
    candidates = Contact.objects.filter(
        consent_given_on__isnull=False, unsubscribed_at__isnull=True
    ).select_related("organisation")
    return sorted((c for c in candidates if c.reachable_for(audiences)), key=lambda c: c.email)


def left_out(audiences):
    """Members of `audiences` a message will not reach, each with the reason."""
    reasons = []
    for contact in members_of(audiences):
        if not contact.consented:
            reasons.append((contact, "no consent recorded"))
        elif not contact.subscribed:
            reasons.append((contact, "unsubscribed from everything"))
        elif not contact.reachable_for(audiences):
            reasons.append((contact, "unsubscribed from these audiences"))
    return sorted(reasons, key=lambda pair: pair[0].email)


def audience_counts():
    """(value, label, members, reachable) for every audience."""
    contacts = list(Contact.objects.all())
    return [
        (
            value, label,
            sum(value in c.audiences for c in contacts),
            sum(c.reachable_for([value]) for c in contacts),
        )
        for value, label in Audience.choices
    ]  # fmt: skip


def open_topics():
    return (
        TopicProposal.objects.filter(status=TopicStatus.OPEN)
        .annotate(n_votes=Count("votes"))
        .order_by("-n_votes", "title")
    )


def topics_with_votes():
    return TopicProposal.objects.annotate(n_votes=Count("votes")).order_by(
        "status", "-n_votes", "-created_at"
    )


def search_contacts(text="", audience=""):
    contacts = Contact.objects.select_related("organisation")
    if text:
        contacts = contacts.filter(
            Q(name__icontains=text) | Q(email__icontains=text)
            | Q(organisation__name__icontains=text)
        )  # fmt: skip
    if audience:
        return [c for c in contacts if audience in c.audiences]
    return list(contacts)


def feedback_summary(event):
    """The survey's results for an event: counts, means and every comment."""
    from .models import FeedbackResponse

    responses = list(FeedbackResponse.objects.filter(registration__event=event))
    n = len(responses)
    attended = event.registrations.filter(attended=True).count()

    def mean(name):
        return round(sum(getattr(r, name) for r in responses) / n, 1) if n else None

    return {
        "responses": n,
        "attended": attended,
        "response_rate": round(100 * n / attended) if attended else None,
        "overall": mean("overall"),
        "usefulness": mean("usefulness"),
        "overall_counts": [(k, sum(r.overall == k for r in responses)) for k in range(1, 6)],
        "will_change": sum(r.will_change_practice for r in responses),
        "comments": [r.comments for r in responses if r.comments],
    }
