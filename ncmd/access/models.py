"""Research data access: researchers, their requests (with every version), the reviewers'
Five Safes assessments, the extracts built and released, and the outputs checked before
publication. State changes go through `ncmd.access.actions`, never through these models."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class RequestStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    UNDER_REVIEW = "under_review", "Under review"
    MORE_INFORMATION = "more_information_requested", "More information requested"
    APPROVED = "approved", "Approved with conditions"
    REFUSED = "refused", "Refused"
    DATA_RELEASED = "data_released", "Data released"
    CLOSED = "closed", "Closed"
    DATA_DESTROYED = "data_destroyed", "Data destroyed"


class VersionKind(models.TextChoices):
    APPLICATION = "application", "Application"
    AMENDMENT = "amendment", "Amendment"
    EXTENSION = "extension", "Extension"


class Safe(models.TextChoices):
    PROJECTS = "projects", "Safe projects"
    PEOPLE = "people", "Safe people"
    SETTINGS = "settings", "Safe settings"
    DATA = "data", "Safe data"
    OUTPUTS = "outputs", "Safe outputs"


class Verdict(models.TextChoices):
    MET = "met", "Met"
    MET_WITH_CONDITIONS = "met_with_conditions", "Met with conditions"
    NOT_MET = "not_met", "Not met"


class LegalBasis(models.TextChoices):
    PUBLIC_TASK = "public_task", "UK GDPR Article 6(1)(e) public task"
    LEGITIMATE_INTERESTS = "legitimate_interests", "UK GDPR Article 6(1)(f) legitimate interests"
    CONSENT = "consent", "UK GDPR Article 6(1)(a) consent"


class Confidentiality(models.TextChoices):
    SECTION_251 = "section_251", "Section 251 support (Confidentiality Advisory Group)"
    CONSENT = "consent", "Consent of the parents or carers"
    NOT_CONFIDENTIAL = (
        "not_confidential",
        ("Not confidential patient information: pseudonymised, minimised data only"),
    )


class ResearcherStatus(models.TextChoices):
    PENDING = "pending", "Waiting for approval"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"


class ResearcherProfile(models.Model):
    """Safe people: who a researcher is, where they work, their training, and who accepted them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="researcher_profile"
    )
    institution = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200, blank=True)
    training_certificate = models.CharField(
        max_length=200, help_text="Safe researcher training: the course and certificate."
    )
    training_completed_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=ResearcherStatus.choices, default=ResearcherStatus.PENDING
    )
    registered_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.CharField(max_length=150, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-registered_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ResearcherStatus.PENDING, decided_at__isnull=True)
                | ~Q(status=ResearcherStatus.PENDING) & Q(decided_at__isnull=False),
                name="decided_researchers_say_when",
            )
        ]

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.username} ({self.institution})"


class AccessRequest(models.Model):
    reference = models.CharField(max_length=20, unique=True)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_requests"
    )
    status = models.CharField(
        max_length=30, choices=RequestStatus.choices, default=RequestStatus.DRAFT
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    # The key of this request's pseudonyms (HMAC-SHA256). Never shown, never released: it is
    # what makes two requests' pseudonyms for the same child impossible to link.
    pseudonym_key = models.CharField(max_length=64)
    expires_on = models.DateField(null=True, blank=True)
    destruction_due_on = models.DateField(null=True, blank=True)
    destroyed_on = models.DateField(null=True, blank=True)
    destruction_declaration = models.TextField(blank=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["status", "updated_at"])]

    def __str__(self):
        return self.reference

    @property
    def current(self):
        return self.versions.order_by("-number").first()

    @property
    def approved_version(self):
        return self.versions.filter(approved_at__isnull=False).order_by("-number").first()


class RequestVersion(models.Model):
    """One version of an application. Amendments and extensions are new versions; a version is
    edited only while it is a draft or more information has been asked for it."""

    request = models.ForeignKey(AccessRequest, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=VersionKind.choices)
    change_summary = models.TextField(blank=True)
    created_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The project
    title = models.CharField(max_length=300)
    lay_summary = models.TextField(blank=True)
    public_benefit = models.TextField(blank=True)
    funder = models.CharField(max_length=200, blank=True)
    # The law and ethics
    legal_basis = models.CharField(max_length=30, choices=LegalBasis.choices, blank=True)
    legal_basis_detail = models.TextField(blank=True)
    ethics_committee = models.CharField(max_length=200, blank=True)
    ethics_reference = models.CharField(max_length=100, blank=True)
    ethics_approved_on = models.DateField(null=True, blank=True)
    confidentiality = models.CharField(max_length=30, choices=Confidentiality.choices, blank=True)
    confidentiality_detail = models.TextField(blank=True)
    opt_out_handling = models.TextField(blank=True)
    # The data: [{"field": column, "reason": text, "coarsening": option}, ...]
    fields = models.JSONField(default=list)
    period_from = models.DateField(null=True, blank=True)
    period_to = models.DateField(null=True, blank=True)
    age_bands = models.JSONField(default=list)  # empty: every age
    regions = models.JSONField(default=list)  # region codes; empty: all of England
    population_notes = models.TextField(blank=True)
    # The setting
    storage_location = models.TextField(blank=True)
    security_assurance = models.TextField(blank=True)
    who_will_see = models.TextField(blank=True)
    needed_until = models.DateField(null=True, blank=True)
    # The decision on this version
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.CharField(max_length=150, blank=True)
    approved_fields = models.JSONField(default=dict)  # {column: coarsening}
    approved_until = models.DateField(null=True, blank=True)
    conditions = models.TextField(blank=True)

    class Meta:
        ordering = ["request", "number"]
        constraints = [
            models.UniqueConstraint(fields=["request", "number"], name="one_version_number"),
            models.CheckConstraint(
                condition=Q(approved_at__isnull=True, approved_by="")
                | Q(approved_at__isnull=False) & ~Q(approved_by=""),
                name="approved_versions_say_who_approved_them",
            ),
        ]

    def __str__(self):
        return f"{self.request.reference} version {self.number}"


class StatusChange(models.Model):
    """The request's history as its applicant and reviewers see it: every move, with the note
    that goes with it (what is asked, the response, the reasons for a decision)."""

    request = models.ForeignKey(AccessRequest, on_delete=models.PROTECT, related_name="history")
    version_number = models.PositiveIntegerField()
    transition = models.CharField(max_length=40)
    from_status = models.CharField(max_length=30, choices=RequestStatus.choices)
    to_status = models.CharField(max_length=30, choices=RequestStatus.choices)
    at = models.DateTimeField()
    by = models.CharField(max_length=150)
    by_role = models.CharField(max_length=20)  # applicant | reviewer | system
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.request.reference}: {self.from_status} to {self.to_status}"


class Assessment(models.Model):
    """A reviewer's assessment of one version against one of the Five Safes."""

    version = models.ForeignKey(
        RequestVersion, on_delete=models.PROTECT, related_name="assessments"
    )
    safe = models.CharField(max_length=20, choices=Safe.choices)
    verdict = models.CharField(max_length=30, choices=Verdict.choices)
    notes = models.TextField()
    assessed_at = models.DateTimeField()
    assessed_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["version", "safe"]
        constraints = [
            models.UniqueConstraint(fields=["version", "safe"], name="one_assessment_per_safe")
        ]

    def __str__(self):
        return f"{self.get_safe_display()}: {self.get_verdict_display()}"


class Extract(models.Model):
    """An extract built for an approved version from a named snapshot. Released only when its
    disclosure risk check has passed; every release and download is audited."""

    request = models.ForeignKey(AccessRequest, on_delete=models.PROTECT, related_name="extracts")
    version = models.ForeignKey(RequestVersion, on_delete=models.PROTECT, related_name="+")
    snapshot_id = models.BigIntegerField()
    snapshot_hash = models.CharField(max_length=64)
    dictionary_release = models.CharField(max_length=20)
    built_at = models.DateTimeField()
    built_by = models.CharField(max_length=150)
    fields = models.JSONField()  # {column: coarsening}, in the extract's column order
    quasi_identifiers = models.JSONField(default=list)
    row_count = models.PositiveIntegerField()
    smallest_group = models.PositiveIntegerField()
    minimum_group = models.PositiveIntegerField()
    small_groups = models.JSONField(default=list)  # the smallest groups: values and size
    folder = models.CharField(max_length=500)
    data_sha256 = models.CharField(max_length=64)
    package_sha256 = models.CharField(max_length=64)
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.CharField(max_length=150, blank=True)
    expires_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-built_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(released_at__isnull=True, released_by="")
                | Q(released_at__isnull=False) & ~Q(released_by=""),
                name="released_extracts_say_who_released_them",
            )
        ]

    def __str__(self):
        return f"extract {self.pk} of {self.request.reference}"

    @property
    def passes(self):
        return self.smallest_group >= self.minimum_group

    @property
    def package_name(self):
        return f"{self.request.reference}-extract-{self.pk}.zip"


class OutputStatus(models.TextChoices):
    SUBMITTED = "submitted", "Waiting for checking"
    CLEARED = "cleared", "Cleared for publication"
    REFUSED = "refused", "Not cleared"


class OutputCheck(models.Model):
    """A table a researcher means to publish, the disclosure checker's findings, and the
    reviewer's sign-off."""

    request = models.ForeignKey(AccessRequest, on_delete=models.PROTECT, related_name="outputs")
    title = models.CharField(max_length=300)
    purpose = models.TextField(blank=True)
    file_name = models.CharField(max_length=255)
    stored_path = models.CharField(max_length=500)
    sha256 = models.CharField(max_length=64)
    submitted_at = models.DateTimeField()
    submitted_by = models.CharField(max_length=150)
    tables = models.JSONField(default=list)  # parsed tables, as shown to the reviewer
    findings = models.JSONField(default=list)  # one per problem cell
    status = models.CharField(
        max_length=20, choices=OutputStatus.choices, default=OutputStatus.SUBMITTED
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    checked_by = models.CharField(max_length=150, blank=True)
    reviewer_notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=OutputStatus.SUBMITTED, checked_at__isnull=True)
                | ~Q(status=OutputStatus.SUBMITTED) & Q(checked_at__isnull=False),
                name="checked_outputs_say_when",
            )
        ]

    def __str__(self):
        return self.title


class Reminder(models.Model):
    """An e-mail sent by `ncmd access reminders`, so the same reminder is not sent twice."""

    request = models.ForeignKey(AccessRequest, on_delete=models.PROTECT, related_name="reminders")
    kind = models.CharField(max_length=30)
    due_on = models.DateField()
    sent_at = models.DateTimeField()
    sent_to = models.CharField(max_length=500)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["request", "kind", "due_on"], name="one_reminder_each")
        ]

    def __str__(self):
        return f"{self.kind} for {self.request.reference}"
