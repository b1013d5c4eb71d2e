"""Stakeholders and the ways learning reaches them: messages, events and training.

Most stakeholder contacts (teachers, midwives, police officers) are not users of the platform:
they act through signed links in the e-mails they receive (see tokens.py). A contact is sent
anything only with recorded consent (date, source and lawful basis) and while subscribed.
Audiences are lists of `ncmd.learning.audiences.Audience` values.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

RATING = [MinValueValidator(1), MaxValueValidator(5)]


class Sector(models.TextChoices):
    NHS = "nhs", "NHS and health care"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    POLICE = "police", "Police"
    EDUCATION = "education", "Schools and education"
    EARLY_YEARS = "early_years", "Early years"
    VOLUNTARY = "voluntary", "Voluntary and charity sector"
    GOVERNMENT = "government", "National government and arm's-length bodies"
    PROFESSIONAL_BODY = "professional_body", "Professional bodies and royal colleges"
    ACADEMIC = "academic", "Universities and research"
    OTHER = "other", "Other"


class LawfulBasis(models.TextChoices):
    CONSENT = "consent", "Consent"
    PUBLIC_TASK = "public_task", "Public task"
    LEGITIMATE_INTERESTS = "legitimate_interests", "Legitimate interests"


class StakeholderOrganisation(models.Model):
    """An organisation we want learning to reach, with its place on the stakeholder map."""

    name = models.CharField(max_length=200, unique=True)
    sector = models.CharField(max_length=40, choices=Sector.choices)
    audiences = models.JSONField(default=list, blank=True)
    website = models.URLField(blank=True)
    notes = models.TextField(blank=True)
    influence = models.PositiveSmallIntegerField(default=3, validators=RATING)
    interest = models.PositiveSmallIntegerField(default=3, validators=RATING)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(influence__gte=1, influence__lte=5, interest__gte=1, interest__lte=5),
                name="outreach_org_ratings_1_to_5",
            )
        ]

    def __str__(self):
        return self.name


class Contact(models.Model):
    """A person at a stakeholder organisation. E-mail addresses are stored lower-case and are
    unique: one person, one record, one consent."""

    name = models.CharField(max_length=200)
    email = models.EmailField(unique=True)
    organisation = models.ForeignKey(
        StakeholderOrganisation, null=True, blank=True, on_delete=models.PROTECT,
        related_name="contacts",
    )  # fmt: skip
    job_title = models.CharField(max_length=200, blank=True)
    audiences = models.JSONField(default=list, blank=True)
    consent_given_on = models.DateField(null=True, blank=True)
    consent_source = models.CharField(max_length=200, blank=True)
    lawful_basis = models.CharField(max_length=30, choices=LawfulBasis.choices, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_audiences = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "email"]
        constraints = [
            models.CheckConstraint(
                condition=Q(consent_given_on__isnull=True)
                | (~Q(consent_source="") & ~Q(lawful_basis="")),
                name="outreach_consent_has_source_and_basis",
            )
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>"

    @property
    def consented(self):
        return self.consent_given_on is not None

    @property
    def subscribed(self):
        return self.unsubscribed_at is None

    def reachable_for(self, audiences):
        """Whether a message to `audiences` may go to this contact: consent recorded, not
        unsubscribed from everything, and in at least one of the audiences it has not left."""
        if not self.consented or not self.subscribed:
            return False
        wanted = set(audiences) - set(self.unsubscribed_audiences)
        return bool(wanted & set(self.audiences))


class MapTheme(models.Model):
    """A theme (say, water safety) with its own influence and interest ratings, so that the
    stakeholder map can be redrawn for it."""

    title = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    copied_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "title"]

    def __str__(self):
        return self.title


class ThemeRating(models.Model):
    theme = models.ForeignKey(MapTheme, on_delete=models.CASCADE, related_name="ratings")
    organisation = models.ForeignKey(StakeholderOrganisation, on_delete=models.CASCADE)
    influence = models.PositiveSmallIntegerField(validators=RATING)
    interest = models.PositiveSmallIntegerField(validators=RATING)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["theme", "organisation"], name="outreach_one_rating"),
            models.CheckConstraint(
                condition=Q(influence__gte=1, influence__lte=5, interest__gte=1, interest__lte=5),
                name="outreach_theme_ratings_1_to_5",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} on {self.theme}: {self.influence}, {self.interest}"


class MessageKind(models.TextChoices):
    BULLETIN = "bulletin", "Bulletin"
    SAFETY_MESSAGE = "safety_message", "Safety message"


class MessageStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    DISCARDED = "discarded", "Discarded"


class Message(models.Model):
    """A bulletin or safety message, composed once and sent to chosen audiences. Once sending
    starts it is frozen: subject, body and recipients no longer change."""

    kind = models.CharField(max_length=20, choices=MessageKind.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField(help_text="Markdown or plain text.")
    audiences = models.JSONField(default=list)
    public = models.BooleanField(default=False)
    status = models.CharField(
        max_length=20, choices=MessageStatus.choices, default=MessageStatus.DRAFT
    )
    web_key = models.CharField(max_length=40, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.subject


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Waiting to send"
    SENT = "sent", "Accepted by the mail server"
    FAILED = "failed", "Failed"


class Delivery(models.Model):
    """One recipient of one message: fixed when sending starts, so a message is sent to each
    person at most once however many times sending is started."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="deliveries")
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="deliveries")
    email = models.EmailField()
    status = models.CharField(
        max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(fields=["message", "contact"], name="outreach_one_delivery")
        ]

    def __str__(self):
        return f"{self.message} to {self.email}: {self.status}"


class TopicStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed, awaiting review"
    OPEN = "open", "Open for votes"
    SCHEDULED = "scheduled", "Scheduled as an event"
    DECLINED = "declined", "Declined"


class TopicProposal(models.Model):
    """A topic for a webinar or training day, proposed by a stakeholder or the team."""

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    audiences = models.JSONField(default=list, blank=True)
    proposer_name = models.CharField(max_length=200, blank=True)
    proposer_email = models.EmailField(blank=True)
    proposer_organisation = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=20, choices=TopicStatus.choices, default=TopicStatus.PROPOSED
    )
    decision_note = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.title


class TopicVote(models.Model):
    proposal = models.ForeignKey(TopicProposal, on_delete=models.CASCADE, related_name="votes")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="votes")
    voted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "contact"], name="outreach_one_vote")
        ]

    def __str__(self):
        return f"Vote for {self.proposal}"


class EventKind(models.TextChoices):
    WEBINAR = "webinar", "Webinar"
    TRAINING_DAY = "training_day", "Training day"


class EventStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class Event(models.Model):
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    description = models.TextField(blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    audiences = models.JSONField(default=list)
    topic = models.ForeignKey(
        TopicProposal, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    capacity = models.PositiveIntegerField(null=True, blank=True)
    location = models.CharField(max_length=200, blank=True)
    joining_details = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=EventStatus.choices, default=EventStatus.SCHEDULED
    )
    invitations_sent_at = models.DateTimeField(null=True, blank=True)
    feedback_requested_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="outreach_event_ends_after"
            )
        ]

    def __str__(self):
        return self.title


def material_path(instance, filename):
    """Under MEDIA_ROOT, which is never served directly: see views/event_link.py."""
    return f"outreach/events/{instance.event_id}/{filename}"


class EventMaterial(models.Model):
    """Slides, handouts or a recording: an uploaded file or a link."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(max_length=200)
    url = models.URLField(blank=True)
    file = models.FileField(upload_to=material_path, blank=True, max_length=300)
    content_type = models.CharField(max_length=100, blank=True)
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["added_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(url="") & ~Q(file="")) | (~Q(url="") & Q(file="")),
                name="outreach_material_file_or_link",
            )
        ]

    def __str__(self):
        return self.title


class _ByContactOrUser(models.Model):
    """Something a person did: a stakeholder contact (through their link) or a platform user,
    exactly one of them. Each kind has its own `contact` field, for its own related name."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip

    class Meta:
        abstract = True

    @property
    def person_name(self):
        if self.contact_id:
            return self.contact.name
        return self.user.get_full_name() or self.user.username

    @property
    def person_email(self):
        return self.contact.email if self.contact_id else self.user.email


def _one_per_person(parent, noun):
    """A `_ByContactOrUser`'s constraints: a contact or a user, never both nor neither, and one
    `noun` per `parent` for each contact and each user."""
    return [
        models.CheckConstraint(
            condition=Q(contact__isnull=True, user__isnull=False)
            | Q(contact__isnull=False, user__isnull=True),
            name=f"outreach_{noun}_contact_or_user",
        ),
        *(
            models.UniqueConstraint(
                fields=[parent, person],
                condition=Q(**{f"{person}__isnull": False}),
                name=f"outreach_one_{noun}_per_{person}",
            )
            for person in ("contact", "user")
        ),
    ]


class Registration(_ByContactOrUser):
    """A place at an event, for a contact (through their link) or a platform user."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.PROTECT, related_name="registrations"
    )
    registered_at = models.DateTimeField()
    attended = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["registered_at"]
        constraints = _one_per_person("event", "registration")

    def __str__(self):
        return f"{self.person_name} at {self.event}"


class FeedbackResponse(models.Model):
    """The short fixed survey after an event: one response per attendee."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="feedback"
    )
    overall = models.PositiveSmallIntegerField(validators=RATING)
    usefulness = models.PositiveSmallIntegerField(validators=RATING)
    will_change_practice = models.BooleanField()
    comments = models.TextField(blank=True)
    submitted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(overall__gte=1, overall__lte=5, usefulness__gte=1, usefulness__lte=5),
                name="outreach_feedback_scores_1_to_5",
            )
        ]

    def __str__(self):
        return f"Feedback on {self.registration.event}"


class TrainingModule(models.Model):
    title = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    audiences = models.JSONField(default=list)
    content_url = models.URLField(blank=True)
    duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    active = models.BooleanField(default=True)
    announced_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title


class Completion(_ByContactOrUser):
    """A training module completed by a contact or a platform user."""

    module = models.ForeignKey(TrainingModule, on_delete=models.CASCADE, related_name="completions")
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.PROTECT, related_name="completions"
    )
    completed_on = models.DateField()
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-completed_on"]
        constraints = _one_per_person("module", "completion")

    def __str__(self):
        return f"{self.module} completed on {self.completed_on}"
