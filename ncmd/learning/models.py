"""Learning into action: published reports and their recommendations, each addressed
organisation's response, QI packs, the programme's QI plan, improvement interventions and patient
and public involvement.

A recommendation is addressed to organisations and audiences. Each addressed organisation has its
own response (`Addressee`), which moves through the recommendation lifecycle in
`ncmd.learning.lifecycles`: a recommendation to every CDOP is implemented CDOP by CDOP. State
changes go through `ncmd.learning.actions`, never through these models directly.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .audiences import Audience


class ReportKind(models.TextChoices):
    ANNUAL = "annual", "Annual report"
    NATIONAL = "national", "National report"
    THEMATIC = "thematic", "Thematic report"


class Theme(models.TextChoices):
    SAFER_SLEEP = "safer_sleep", "Sudden unexpected death in infancy and safer sleep"
    SUICIDE = "suicide", "Suicide and self-harm"
    ASTHMA = "asthma", "Asthma and long-term conditions"
    INFECTION = "infection", "Infection and sepsis"
    PERINATAL = "perinatal", "Perinatal events and prematurity"
    TRAUMA = "trauma", "Road traffic and other trauma"
    DROWNING = "drowning", "Drowning and water safety"
    CHILD_PROTECTION = "child_protection", "Abuse, neglect and child protection"
    INEQUALITIES = "inequalities", "Deprivation and inequalities"
    BEREAVEMENT = "bereavement", "Bereavement support for families"
    DATA_QUALITY = "data_quality", "Child death review data quality"


class Report(models.Model):
    """A published report: an annual report, a national report or a thematic report."""

    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=ReportKind.choices)
    published_on = models.DateField()
    summary = models.TextField(help_text="What the report found, in a paragraph.")
    key_findings = models.TextField(blank=True, help_text="One finding a line.")
    url = models.URLField(blank=True, help_text="Where the published report can be read.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-published_on", "title"]

    def __str__(self):
        return self.title

    @property
    def findings(self):
        return [line.strip() for line in self.key_findings.splitlines() if line.strip()]


class Recommendation(models.Model):
    """One recommendation of a report. A draft can still change; issuing it gives every
    addressed organisation a response to report progress on."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="recommendations")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    theme = models.CharField(max_length=30, choices=Theme.choices)
    audiences = models.JSONField(default=list, help_text="Codes of ncmd.learning.Audience.")
    organisations = models.ManyToManyField(
        "registry.Organisation", through="Addressee", related_name="recommendations"
    )
    owner = models.CharField(
        max_length=200, help_text="Who in the programme owns the recommendation."
    )
    due_on = models.DateField(help_text="When it should be implemented.")
    indicator = models.CharField(
        max_length=60, blank=True, help_text="The quality indicator it should move, if any."
    )
    review_interval_days = models.PositiveSmallIntegerField(
        default=90, help_text="How often addressed organisations are asked for an update."
    )
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="one_number_a_report"),
        ]

    def __str__(self):
        return f"{self.report.title}, recommendation {self.number}"

    @property
    def is_draft(self):
        return self.issued_at is None

    @property
    def audience_labels(self):
        return [Audience(code).label for code in self.audiences if code in Audience.values]


class RecommendationStatus(models.TextChoices):
    ISSUED = "issued", "Issued"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    IN_PROGRESS = "in_progress", "In progress"
    IMPLEMENTED = "implemented", "Implemented"
    NOT_ACCEPTED = "not_accepted", "Not accepted"
    CLOSED = "closed", "Closed"


OPEN_STATUSES = (
    RecommendationStatus.ISSUED,
    RecommendationStatus.ACKNOWLEDGED,
    RecommendationStatus.IN_PROGRESS,
)


class Addressee(models.Model):
    """One organisation's response to a recommendation addressed to it."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="addressees"
    )
    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="addressed"
    )
    status = models.CharField(
        max_length=20, choices=RecommendationStatus.choices, default=RecommendationStatus.ISSUED
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True, help_text="Why it was not accepted, or reopened.")
    next_update_due = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["recommendation", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "organisation"], name="addressed_once"
            ),
            models.CheckConstraint(
                condition=~Q(status=RecommendationStatus.NOT_ACCEPTED) | ~Q(reason=""),
                name="not_accepted_needs_a_reason",
            ),
        ]

    def __str__(self):
        return f"{self.recommendation} to {self.organisation}"

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES


class StoredFile(models.Model):
    """An uploaded file, kept under the var directory with a random name and served only
    through a view that checks who may read it."""

    stored_name = models.CharField(max_length=80, unique=True)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    def __str__(self):
        return self.original_name


class _Update(models.Model):
    """A step in something's progress, newest first: who and when, a note and links. Each kind
    adds what it is about, its statuses (from and to) and its files."""

    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField()
    links = models.JSONField(default=list)

    class Meta:
        abstract = True
        ordering = ["-at", "-pk"]


class ProgressUpdate(_Update):
    """A step in an organisation's response: a status change or a progress report, with its
    evidence (a note, links and files)."""

    addressee = models.ForeignKey(Addressee, on_delete=models.CASCADE, related_name="updates")
    status_from = models.CharField(max_length=20, choices=RecommendationStatus.choices)
    status_to = models.CharField(max_length=20, choices=RecommendationStatus.choices)
    files = models.ManyToManyField(StoredFile, blank=True, related_name="progress_updates")

    def __str__(self):
        return f"{self.addressee}: {self.status_from} to {self.status_to}"


class QIPack(models.Model):
    """A quality improvement pack: a report's learning for one audience, with a QI plan
    template and a one-page summary."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="packs")
    audience = models.CharField(max_length=40, choices=Audience.choices)
    title = models.CharField(max_length=300)
    summary = models.TextField(help_text="The one-page summary: why this matters to you.")
    key_findings = models.TextField(help_text="One finding a line.")
    recommendations = models.ManyToManyField(Recommendation, related_name="packs")
    aim = models.TextField(help_text="The QI plan template's suggested aim.")
    measures = models.TextField(help_text="Outcome, process and balancing measures, one a line.")
    change_ideas = models.TextField(help_text="One change idea a line.")
    pdsa_cycles = models.TextField(help_text="Suggested plan-do-study-act cycles, one a line.")
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["report", "audience"]
        constraints = [
            models.UniqueConstraint(fields=["report", "audience"], name="one_pack_an_audience"),
        ]

    def __str__(self):
        return self.title

    @property
    def audience_label(self):
        return Audience(self.audience).label

    @staticmethod
    def lines(text):
        return [line.strip() for line in text.splitlines() if line.strip()]


class PackMaterial(models.Model):
    """A learning material in a pack: an uploaded document or a link."""

    pack = models.ForeignKey(QIPack, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(max_length=300)
    url = models.URLField(blank=True)
    file = models.ForeignKey(StoredFile, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(url="") & Q(file__isnull=False)) | (~Q(url="") & Q(file__isnull=True)),
                name="a_material_is_a_link_or_a_file",
            )
        ]

    def __str__(self):
        return self.title


class Goal(models.Model):
    """A goal of the programme's QI plan."""

    number = models.PositiveSmallIntegerField(unique=True)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return f"Goal {self.number}: {self.title}"


class Workstream(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="workstreams")
    title = models.CharField(max_length=300)
    lead = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["goal__number", "pk"]

    def __str__(self):
        return self.title


class PlanActionStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    AT_RISK = "at_risk", "At risk"
    COMPLETE = "complete", "Complete"
    STOPPED = "stopped", "Stopped"


class PartnerRole(models.TextChoices):
    LEAD = "lead", "Lead"
    SUPPORT = "support", "Support"


class PlanAction(models.Model):
    """An action of the QI plan, with the partner organisations responsible for it."""

    workstream = models.ForeignKey(Workstream, on_delete=models.PROTECT, related_name="actions")
    reference = models.CharField(max_length=20, unique=True, help_text="Like 1.2.3")
    text = models.TextField()
    partners = models.ManyToManyField(
        "registry.Organisation", through="ActionPartner", related_name="plan_actions"
    )
    status = models.CharField(
        max_length=20, choices=PlanActionStatus.choices, default=PlanActionStatus.PLANNED
    )
    evidence = models.TextField(blank=True, help_text="The latest evidence of progress.")
    next_review_on = models.DateField()
    due_on = models.DateField(null=True, blank=True)
    recommendation = models.ForeignKey(
        Recommendation, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="plan_actions",
    )  # fmt: skip
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["reference"]

    def __str__(self):
        return f"{self.reference} {self.text[:60]}"


class ActionPartner(models.Model):
    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="roles")
    organisation = models.ForeignKey("registry.Organisation", on_delete=models.PROTECT)
    role = models.CharField(max_length=10, choices=PartnerRole.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["action", "organisation"], name="a_partner_once")
        ]

    def __str__(self):
        return f"{self.organisation} ({self.role}) for {self.action}"


class ActionUpdate(_Update):
    """A step in a QI plan action: a status change or a progress report, with its evidence."""

    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="updates")
    status_from = models.CharField(max_length=20, choices=PlanActionStatus.choices)
    status_to = models.CharField(max_length=20, choices=PlanActionStatus.choices)
    files = models.ManyToManyField(StoredFile, blank=True, related_name="action_updates")

    def __str__(self):
        return f"{self.action}: {self.status_from} to {self.status_to}"


class InterventionKind(models.TextChoices):
    TRAINING = "training", "Training day"
    GUIDANCE = "guidance", "Guidance update"
    CRIB_SHEET = "crib_sheet", "Crib-sheet update"
    WEBINAR = "webinar", "Webinar"
    SYSTEM_CHANGE = "system_change", "Change to the system or forms"


class Intervention(models.Model):
    """An improvement intervention, shown on the data quality SPC charts of the CDOPs it
    reached."""

    kind = models.CharField(max_length=20, choices=InterventionKind.choices)
    title = models.CharField(max_length=200)
    held_on = models.DateField()
    description = models.TextField(blank=True)
    cdops = models.ManyToManyField("registry.Organisation", related_name="interventions")
    audiences = models.JSONField(default=list)
    indicators = models.JSONField(
        default=list, help_text="Quality indicators it aims to move; empty for all of them."
    )
    plan_action = models.ForeignKey(
        PlanAction, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="interventions",
    )  # fmt: skip
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-held_on", "title"]

    def __str__(self):
        return f"{self.title} ({self.held_on:%-d %b %Y})"


class PPIGroupKind(models.TextChoices):
    PPI_GROUP = "ppi_group", "Patient and public involvement group"
    BEREAVEMENT_CHARITY = "bereavement_charity", "Bereavement charity"
    YOUNG_PEOPLE = "young_people", "Young people's group"
    PARENTS = "parents", "Bereaved parents"


class Consultation(models.Model):
    """Patient and public involvement: who was consulted on a report or recommendation, and
    what changed as a result."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="consultations")
    recommendation = models.ForeignKey(
        Recommendation, null=True, blank=True, on_delete=models.PROTECT,
        related_name="consultations",
    )  # fmt: skip
    group = models.CharField(max_length=200, help_text="Like 'Child Bereavement UK'.")
    group_kind = models.CharField(max_length=30, choices=PPIGroupKind.choices)
    consulted_on = models.DateField()
    asked = models.TextField(help_text="What the group was asked.")
    changed = models.TextField(help_text="What changed as a result.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-consulted_on", "pk"]

    def __str__(self):
        return f"{self.group} on {self.report}"


class ReminderKind(models.TextChoices):
    RECOMMENDATION = "recommendation", "Recommendation update"
    PLAN_ACTION = "plan_action", "Plan action review"


class Reminder(models.Model):
    """One reminder e-mail sent to one organisation on one day: what makes the reminders
    command safe to run more than once a day."""

    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    object_id = models.PositiveIntegerField()
    organisation = models.ForeignKey("registry.Organisation", on_delete=models.PROTECT)
    sent_on = models.DateField()
    recipients = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "organisation", "sent_on"],
                name="one_reminder_a_day",
            )
        ]

    def __str__(self):
        return f"{self.kind} reminder to {self.organisation} on {self.sent_on}"
