"""Demonstration outreach data: stakeholder organisations across the audiences, contacts at
example.org (some without consent, one unsubscribed), a theme on the stakeholder map, a sent
safety message, a past webinar with attendance and feedback, an upcoming one, topic proposals
with votes, and a training module with completions. Idempotent: a second run changes nothing.

Nothing is e-mailed: the demo sends through Django's dummy mail backend."""

import datetime

from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone

from . import actions
from .models import (
    Contact,
    Event,
    EventStatus,
    Message,
    StakeholderOrganisation,
    TopicProposal,
    TopicStatus,
    TrainingModule,
)

ORGANISATIONS = [
    # name, sector, audiences, influence, interest
    ("NHS England Maternity Programme", "nhs", ["maternity_commissioners", "midwives"], 5, 5),
    ("Tees Valley Integrated Care Board", "nhs", ["maternity_commissioners", "gps"], 4, 4),
    ("Royal College of Midwives", "professional_body", ["midwives"], 4, 5),
    ("North East Health Visiting Service", "nhs", ["health_visitors"], 2, 5),
    ("Cleveland Police", "police", ["police", "safeguarding"], 4, 3),
    ("Department for Education", "government", ["teachers", "policy_makers"], 5, 3),
    ("Middlesbrough Primary Schools Partnership", "education", ["teachers"], 2, 4),
    ("Stockton Early Years Network", "early_years", ["early_years"], 2, 3),
    ("Tees Safeguarding Children Partnership", "local_authority", ["safeguarding"], 3, 5),
    ("The Lullaby Trust", "voluntary", ["charities", "families"], 3, 5),
    ("Royal College of General Practitioners", "professional_body", ["gps"], 4, 2),
    ("Local Medical Committee", "professional_body", ["gps"], 2, 2),
]

CONTACTS = [
    # name, e-mail, organisation (index), audiences, consent given (days ago) or None
    ("Asha Patel", "asha.patel@example.org", 0, ["maternity_commissioners"], 400),
    ("Ben Okafor", "ben.okafor@example.org", 1, ["maternity_commissioners", "gps"], 300),
    ("Carys Jones", "carys.jones@example.org", 2, ["midwives"], 250),
    ("Deepa Shah", "deepa.shah@example.org", 2, ["midwives"], None),
    ("Eilidh Fraser", "eilidh.fraser@example.org", 3, ["health_visitors"], 200),
    ("Farhan Ali", "farhan.ali@example.org", 3, ["health_visitors"], 180),
    ("Grace Thompson", "grace.thompson@example.org", 4, ["police", "safeguarding"], 150),
    ("Harry Wilson", "harry.wilson@example.org", 4, ["police"], None),
    ("Imogen Clarke", "imogen.clarke@example.org", 5, ["policy_makers", "teachers"], 365),
    ("Jamal Hussain", "jamal.hussain@example.org", 6, ["teachers"], 90),
    ("Katie Brown", "katie.brown@example.org", 6, ["teachers"], 60),
    ("Leah Green", "leah.green@example.org", 7, ["early_years"], 120),
    ("Mo Ahmed", "mo.ahmed@example.org", 8, ["safeguarding", "social_care"], 220),
    ("Nia Roberts", "nia.roberts@example.org", 9, ["charities", "families"], 30),
    ("Oliver Hughes", "oliver.hughes@example.org", 10, ["gps"], 45),
    ("Priya Nair", "priya.nair@example.org", 11, ["gps"], None),
]


def load_outreach_demo(*, by=None):
    """Create the demonstration data if it is not there yet. Returns True if it created it."""
    if StakeholderOrganisation.objects.filter(name=ORGANISATIONS[0][0]).exists():
        return False
    connection = get_connection("django.core.mail.backends.dummy.EmailBackend")
    with transaction.atomic():
        today = timezone.localdate()
        organisations = [
            actions.save_stakeholder_organisation(
                by=by, name=name, sector=sector, audiences=audiences, influence=influence,
                interest=interest, notes="Demonstration organisation.",
            )
            for name, sector, audiences, influence, interest in ORGANISATIONS
        ]  # fmt: skip
        contacts = {}
        for name, email, index, audiences, days in CONTACTS:
            contact = actions.save_contact(
                by=by, name=name, email=email, organisation=organisations[index],
                job_title="", audiences=audiences,
            )  # fmt: skip
            if days is not None:
                actions.record_consent(
                    contact=contact, given_on=today - datetime.timedelta(days=days), by=by,
                    source="Sign-up form at the regional child death review conference",
                )  # fmt: skip
            contacts[email.split("@")[0]] = contact
        actions.unsubscribe(contact=contacts["farhan.ali"], by=actions.ContactActor(
            contacts["farhan.ali"].pk), via="link")  # fmt: skip
        theme = actions.create_map_theme(
            title="Water safety", by=by,
            description="Drowning in open water and in the home, summer 2026 campaign.",
        )  # fmt: skip
        actions.rate_stakeholders(theme=theme, by=by, ratings={
            organisations[5]: (5, 5), organisations[6]: (3, 5), organisations[7]: (2, 4),
        })  # fmt: skip

        message = actions.save_message(
            by=by, kind="safety_message", public=True,
            subject="Safer sleep: babies sleep safest on their backs, in their own cot",
            audiences=["midwives", "health_visitors", "gps"],
            body=(
                "Child Death Overview Panels continue to review sudden and unexpected deaths of "
                "infants where **unsafe sleeping arrangements** were a modifiable factor.\n\n"
                "## What to do\n\n"
                "- Talk about safer sleep at every contact, and again when circumstances change.\n"
                "- Ask where the baby sleeps at night and during the day, including on sofas.\n"
                "- Give extra support to families where the baby is premature or of low birth "
                "weight, or where parents smoke.\n\n"
                "Resources for families: [The Lullaby Trust](https://www.lullabytrust.org.uk/)."
            ),
        )  # fmt: skip
        actions.send_message(message=message, by=by, connection=connection)
        actions.save_message(
            by=by, kind="bulletin", subject="Quarterly learning bulletin (draft)",
            audiences=["cdops", "safeguarding"], public=False,
            body="Themes from this quarter's reviews, and what changed as a result.",
        )  # fmt: skip

        batteries = actions.propose_topic(
            title="Button batteries and magnets in the home", audiences=["early_years"],
            description="What early years staff should tell parents.",
            proposer_name="Leah Green", proposer_organisation="Stockton Early Years Network",
        )  # fmt: skip
        cold = actions.propose_topic(
            title="Cold water shock", audiences=["teachers", "police"],
            description="Open water safety before the summer holidays.",
            proposer_name="Jamal Hussain",
        )  # fmt: skip
        actions.propose_topic(title="Recognising neglect in teenagers",
                              audiences=["teachers", "safeguarding"])  # fmt: skip
        for topic in (batteries, cold):
            actions.decide_topic(topic=topic, status=TopicStatus.OPEN, by=by)
        for key in ("leah.green", "jamal.hussain", "katie.brown", "mo.ahmed"):
            actions.vote_for_topic(topic=cold, contact=contacts[key])
        actions.vote_for_topic(topic=batteries, contact=contacts["leah.green"])

        soon = timezone.now() + datetime.timedelta(days=1)
        past = actions.save_event(
            by=by, title="Safeguarding and water safety for schools", kind="webinar",
            description="What child death reviews have taught us about drowning.",
            starts_at=soon, ends_at=soon + datetime.timedelta(hours=1),
            audiences=["teachers", "safeguarding", "police"], capacity=100, location="Online",
            joining_details="Join online at https://meet.example.org/water-safety",
        )  # fmt: skip
        registered = ["jamal.hussain", "katie.brown", "grace.thompson", "mo.ahmed"]
        registrations = [
            actions.register_for_event(event=past, contact=contacts[k], by=by) for k in registered
        ]
        actions.add_material(event=past, title="Recording and slides", by=by,
                             url="https://example.org/webinars/water-safety")  # fmt: skip
        # The webinar took place six weeks ago.
        held_at = (timezone.localtime() - datetime.timedelta(days=42)).replace(
            hour=14, minute=0, second=0, microsecond=0
        )
        Event.objects.filter(pk=past.pk).update(
            starts_at=held_at, ends_at=held_at + datetime.timedelta(hours=1)
        )
        actions.move_event(event=past, status=EventStatus.HELD, by=by)
        actions.record_attendance(event=past, attended=registrations[:3], by=by)
        actions.request_feedback(event=past, by=by, connection=connection)
        for registration, scores in zip(registrations, [(5, 5, True), (4, 4, True)],
                                        strict=False):  # fmt: skip
            actions.submit_feedback(
                registration=registration,
                overall=scores[0],
                usefulness=scores[1],
                will_change_practice=scores[2],
                comments="Clear and practical." if scores[0] == 5 else "",
            )
        start = (timezone.localtime() + datetime.timedelta(days=21)).replace(
            hour=15, minute=30, second=0, microsecond=0)  # fmt: skip
        actions.save_event(
            by=by, title="Button batteries and magnets: what to tell parents", kind="webinar",
            starts_at=start, ends_at=start + datetime.timedelta(hours=1),
            audiences=["early_years", "health_visitors"], topic=batteries, capacity=200,
            location="Online", joining_details="Join online at https://meet.example.org/batteries",
        )  # fmt: skip

        module = actions.save_training_module(
            by=by, title="Safer sleep conversations with families", active=True,
            description="A 30-minute module for professionals who visit families at home.",
            audiences=["health_visitors", "midwives", "gps"], duration_minutes=30,
            content_url="https://example.org/training/safer-sleep",
        )  # fmt: skip
        for key, days in (("carys.jones", 20), ("eilidh.fraser", 12), ("oliver.hughes", 3)):
            actions.record_completion(
                module=module,
                contact=contacts[key],
                by=by,
                completed_on=today - datetime.timedelta(days=days),
            )
    return True


def demo_counts():
    return {
        "organisations": StakeholderOrganisation.objects.count(),
        "contacts": Contact.objects.count(),
        "messages": Message.objects.count(),
        "events": Event.objects.count(),
        "topics": TopicProposal.objects.count(),
        "modules": TrainingModule.objects.count(),
    }
