"""What was published, from which snapshot, by whom, with the checksum of every file."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class ReportKind(models.TextChoices):
    ANNUAL = "annual", "Annual report"
    CDOP = "cdop", "CDOP report pack"


class Report(models.Model):
    """An annual report or a CDOP's report pack: files written once, never changed."""

    kind = models.CharField(max_length=10, choices=ReportKind.choices)
    year = models.CharField(max_length=7, help_text='A financial year, like "2024-25".')
    theme = models.CharField(max_length=60, blank=True)
    cdop = models.ForeignKey(
        "registry.Organisation", null=True, blank=True, on_delete=models.PROTECT
    )
    snapshot = models.ForeignKey("snapshots.Snapshot", on_delete=models.PROTECT)
    snapshot_hash = models.CharField(max_length=64)
    folder = models.CharField(max_length=500)
    files = models.JSONField(default=list, help_text="[{name, media_type, bytes, sha256}]")
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_by_name = models.CharField(max_length=150)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=ReportKind.CDOP, cdop__isnull=False)
                | Q(kind=ReportKind.ANNUAL, cdop__isnull=True),
                name="a_cdop_pack_names_its_cdop",
            )
        ]

    def __str__(self):
        what = f"{self.cdop} report pack" if self.cdop_id else "Annual report"
        return f"{what} {self.year}" + (f" ({self.theme})" if self.theme else "")

    def file(self, name):
        """The recorded file called `name`, or None."""
        return next((f for f in self.files if f["name"] == name), None)


class ReleaseStatus(models.TextChoices):
    BUILT = "built", "Built, not yet published"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"
    DELETED = "deleted", "Deleted"


class Release(models.Model):
    """A disclosure-controlled data release: its tables as CSV and XLSX files."""

    identifier = models.CharField(max_length=40, unique=True)
    title = models.CharField(max_length=200)
    year = models.CharField(max_length=7)
    theme = models.CharField(max_length=60, blank=True)
    snapshot = models.ForeignKey("snapshots.Snapshot", on_delete=models.PROTECT)
    snapshot_hash = models.CharField(max_length=64)
    status = models.CharField(
        max_length=10, choices=ReleaseStatus.choices, default=ReleaseStatus.BUILT
    )
    rule = models.JSONField(default=dict, help_text="The disclosure rule applied.")
    tables = models.JSONField(
        default=list, help_text="[{id, title, description, sheet, suppressed}] in release order."
    )
    folder = models.CharField(max_length=500)
    synthetic_denominators = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by_name = models.CharField(max_length=150)
    published_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=[ReleaseStatus.PUBLISHED, ReleaseStatus.WITHDRAWN])
                | Q(published_at__isnull=False),
                name="a_published_release_says_when",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReleaseStatus.WITHDRAWN)
                | Q(withdrawn_at__isnull=False) & ~Q(withdrawn_reason=""),
                name="a_withdrawn_release_says_when_and_why",
            ),
        ]

    def __str__(self):
        return f"{self.identifier}: {self.title}"

    @property
    def is_public(self):
        return self.status == ReleaseStatus.PUBLISHED


class ReleaseFile(models.Model):
    """One file of a release, served by its id only after checking its checksum."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=120)
    table_id = models.CharField(max_length=80, blank=True, help_text="Blank for the workbook.")
    media_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["release", "id"]
        constraints = [
            models.UniqueConstraint(fields=["release", "name"], name="file_names_unique_in_release")
        ]

    def __str__(self):
        return f"{self.release.identifier}/{self.name}"
