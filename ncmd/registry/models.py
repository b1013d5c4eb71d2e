"""The registry: organisations, people, cases, form submissions, identifiers and the audit log.

Answers live as JSON on `FormSubmission` together with the dictionary release they were checked
against; a few facts are promoted to indexed columns on `Case` for fast lists and filters. Direct
identifiers live only in `Identifiers`, never in the answers. State changes go through
`ncmd.registry.actions`, never through these models directly.
"""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q


class OrganisationType(models.TextChoices):
    NATION = "nation", "Nation"
    REGION = "region", "Region"
    CDOP = "cdop", "Child Death Overview Panel"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    AGENCY = "agency", "Agency"
    PARTNER = "partner", "Partner organisation"


class Organisation(models.Model):
    """One model for every kind of organisation, with a parent: benchmarking at any level is
    one grouping. A CDOP's parent is its region; a local authority's parent is its CDOP; an
    agency's parent is the region it serves."""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=200)
    type = models.CharField(max_length=20, choices=OrganisationType.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    agency_type = models.CharField(
        max_length=40, blank=True, help_text="For agencies: a code of the agency_type code list."
    )
    child_population = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["type", "name"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(type=OrganisationType.AGENCY) | Q(agency_type=""),
                name="agency_type_only_for_agencies",
            ),
            models.CheckConstraint(
                condition=Q(type=OrganisationType.NATION) | Q(parent__isnull=False),
                name="only_a_nation_has_no_parent",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def region(self):
        """The region this organisation sits in, or None for the nation."""
        node = self
        while node is not None and node.type != OrganisationType.REGION:
            node = node.parent
        return node


class Role(models.TextChoices):
    NATIONAL_ADMIN = "national_admin", "National administrator"
    NATIONAL_ANALYST = "national_analyst", "National analyst"
    CDOP_ADMIN = "cdop_admin", "CDOP administrator"
    CDOP_MEMBER = "cdop_member", "CDOP member"
    AGENCY_REPORTER = "agency_reporter", "Agency reporter"
    RESEARCHER = "researcher", "Researcher"
    DATA_ACCESS_REVIEWER = "data_access_reviewer", "Data access reviewer"
    QI_LEAD = "qi_lead", "Quality improvement lead"
    PARTNER_CONTACT = "partner_contact", "Partner organisation contact"


# Roles held by people who belong to no CDOP, agency or partner organisation.
NATIONAL_ROLES = [
    Role.NATIONAL_ADMIN,
    Role.NATIONAL_ANALYST,
    Role.RESEARCHER,
    Role.DATA_ACCESS_REVIEWER,
    Role.QI_LEAD,
]


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    role = models.CharField(max_length=30, choices=Role.choices, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(role="") | Q(role__in=NATIONAL_ROLES) | Q(organisation__isnull=False),
                name="cdop_and_agency_roles_need_an_organisation",
            )
        ]


class AgeBand(models.TextChoices):
    NEONATAL = "0-27d", "Under 28 days"
    POST_NEONATAL = "28-364d", "28 to 364 days"
    ONE_TO_FOUR = "1-4", "1 to 4 years"
    FIVE_TO_NINE = "5-9", "5 to 9 years"
    TEN_TO_FOURTEEN = "10-14", "10 to 14 years"
    FIFTEEN_TO_SEVENTEEN = "15-17", "15 to 17 years"


class CaseStatus(models.TextChoices):
    NOTIFIED = "notified", "Notified"
    GATHERING = "gathering_information", "Gathering information"
    READY = "ready_for_review", "Ready for review"
    REVIEWED = "reviewed", "Reviewed"
    CLOSED = "closed", "Closed"


class DuplicateStatus(models.TextChoices):
    NONE = "", "Not a possible duplicate"
    POSSIBLE = "possible", "Possible duplicate, to be confirmed"
    DISTINCT = "distinct", "Confirmed as a different death"
    LINKED = "linked", "Confirmed duplicate, linked to the original"


class Case(models.Model):
    reference = models.CharField(max_length=20, unique=True)
    cdop = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="cases")
    client_reference = models.CharField(
        max_length=100,
        blank=True,
        help_text="The notifying system's own identifier for the case (API, bulk import); "
        "a repeated notification with the same one returns the first case.",
    )
    region = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=30, choices=CaseStatus.choices, default=CaseStatus.NOTIFIED
    )
    notified_at = models.DateTimeField()
    # Promoted from the forms (canonical codes of the latest dictionary release).
    date_of_birth = models.DateField(null=True)
    date_of_death = models.DateField(null=True)
    age_days = models.PositiveIntegerField(null=True)
    age_band = models.CharField(max_length=10, choices=AgeBand.choices, blank=True)
    sex = models.CharField(max_length=20, blank=True)
    ethnicity = models.CharField(max_length=20, blank=True)
    ethnicity_group = models.CharField(max_length=20, blank=True)
    imd_decile = models.PositiveSmallIntegerField(
        null=True, help_text="Index of Multiple Deprivation decile, 1 = most deprived."
    )
    imd_edition = models.CharField(max_length=20, blank=True)
    expected_death = models.CharField(max_length=20, blank=True)
    category_of_death = models.CharField(max_length=40, blank=True)
    modifiable_factors = models.CharField(max_length=40, blank=True)
    review_date = models.DateField(null=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates"
    )
    duplicate_status = models.CharField(
        max_length=10, choices=DuplicateStatus.choices, blank=True, default=""
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-date_of_death", "reference"]
        indexes = [
            models.Index(fields=["cdop", "status"]),
            models.Index(fields=["cdop", "date_of_death"]),
            models.Index(fields=["date_of_death"]),
            models.Index(fields=["age_band"]),
            models.Index(fields=["category_of_death"]),
            models.Index(fields=["duplicate_status"]),
            models.Index(fields=["date_of_birth", "sex", "date_of_death"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["cdop", "client_reference"],
                condition=~Q(client_reference=""),
                name="one_case_per_client_reference",
            ),
            models.CheckConstraint(
                condition=Q(imd_decile__isnull=True) | Q(imd_decile__gte=1, imd_decile__lte=10),
                name="imd_decile_1_to_10",
            ),
            models.CheckConstraint(
                condition=Q(date_of_death__isnull=True)
                | Q(date_of_birth__isnull=True)
                | Q(date_of_death__gte=models.F("date_of_birth")),
                name="death_not_before_birth",
            ),
            models.CheckConstraint(
                condition=Q(
                    duplicate_status__in=[DuplicateStatus.POSSIBLE, DuplicateStatus.LINKED],
                    duplicate_of__isnull=False,
                )
                | Q(
                    duplicate_status__in=[DuplicateStatus.NONE, DuplicateStatus.DISTINCT],
                    duplicate_of__isnull=True,
                ),
                name="linked_duplicate_names_its_original",
            ),
        ]

    def __str__(self):
        return self.reference


class FormRequest(models.Model):
    """A CDOP's request to an agency for a reporting form about a case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="requests")
    form_name = models.CharField(max_length=60)
    agency = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="requests")
    contact = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="requests"
    )
    requested_at = models.DateTimeField()
    due_date = models.DateField()
    returned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "form_name", "agency"], name="one_request_per_agency_and_form"
            )
        ]

    def __str__(self):
        return f"{self.form_name} form from {self.agency} for {self.case}"


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    AMENDED = "amended", "Amended"


class FormSubmission(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="submissions")
    form_name = models.CharField(max_length=60)
    agency = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="submissions"
    )
    release = models.CharField(max_length=20, help_text="The dictionary release checked against.")
    answers = models.JSONField(default=dict)
    status = models.CharField(
        max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    revision = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    submitted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["form_name", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "form_name"],
                condition=Q(agency__isnull=True),
                name="one_submission_per_form",
            ),
            models.UniqueConstraint(
                fields=["case", "form_name", "agency"],
                condition=Q(agency__isnull=False),
                name="one_submission_per_form_and_agency",
            ),
            models.CheckConstraint(
                condition=Q(status=SubmissionStatus.DRAFT, submitted_at__isnull=True)
                | (~Q(status=SubmissionStatus.DRAFT) & Q(submitted_at__isnull=False)),
                name="submitted_forms_have_a_submission_time",
            ),
        ]

    def __str__(self):
        return f"{self.form_name} form for {self.case} ({self.status})"


class Identifiers(models.Model):
    """The direct identifiers given on one form, held apart from its answers.

    Nothing that reads answers for analysis touches this table; reading it for a person is
    audited (`actions.view_identifiers`)."""

    submission = models.OneToOneField(
        FormSubmission, on_delete=models.CASCADE, related_name="identifiers"
    )
    values = models.JSONField(default=dict)
    nhs_number = models.CharField(max_length=10, blank=True, db_index=True)
    postcode_district = models.CharField(max_length=4, blank=True, db_index=True)

    def __str__(self):
        return f"identifiers on submission {self.submission_id}"


class PostcodeLookup(models.Model):
    """Postcode to LSOA and Index of Multiple Deprivation decile (1 = most deprived)."""

    postcode = models.CharField(max_length=8, primary_key=True)
    lsoa_code = models.CharField(max_length=9)
    imd_decile = models.PositiveSmallIntegerField()
    imd_edition = models.CharField(max_length=20)

    def __str__(self):
        return self.postcode


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Audit events cannot be changed.")

    def delete(self):
        raise PermissionError("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    """Append-only: who did what to which object, when, with the values before and after.

    No foreign keys, so nothing ever blocks or cascades from a deletion elsewhere. The
    application refuses updates and deletes, and database triggers refuse them too."""

    at = models.DateTimeField(db_index=True)
    actor_id = models.BigIntegerField(null=True)
    actor = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=60)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=60)
    case_reference = models.CharField(max_length=20, blank=True, db_index=True)
    organisation = models.CharField(max_length=20, blank=True, db_index=True)
    changes = models.JSONField(default=dict, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_type}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit events cannot be deleted.")


class NotificationDraft(models.Model):
    """A notification typed into the portal and saved before it is complete: no case exists
    yet, nothing has been checked beyond each answer's type, and no duplicate search has run.
    It belongs to a CDOP, whose people may resume, submit (through `notify_death`, which makes
    the case) or discard it. Saved, changed and discarded through `actions`, each audited.

    Like a form's, its direct identifiers are held apart, in `NotificationDraftIdentifiers`."""

    cdop = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="notification_drafts"
    )
    release = models.CharField(max_length=20, help_text="The dictionary release checked against.")
    answers = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    updated_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["cdop", "updated_at"])]

    def __str__(self):
        return f"draft notification {self.pk} for {self.cdop}"


class NotificationDraftIdentifiers(models.Model):
    """The direct identifiers typed into a draft notification, held apart from its answers as
    `Identifiers` are for a form: listing drafts never reads them, and reading them to resume
    a draft is audited. Deleted with the draft when it is submitted or discarded."""

    draft = models.OneToOneField(
        NotificationDraft, on_delete=models.CASCADE, related_name="identifiers"
    )
    values = models.JSONField(default=dict, blank=True)

    def __str__(self):
        return f"identifiers on draft notification {self.draft_id}"
