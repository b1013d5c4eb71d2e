"""One record per file imported: who, when, which file (name and SHA-256), into which form, how,
the counts and the problem report. Runs change only through `ncmd.submissions.imports.actions`."""

from django.conf import settings
from django.db import models


class ImportMode(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", "Import nothing if any row has a problem"
    VALID_ROWS = "valid_rows", "Import the valid rows and report the rest"


class ImportStatus(models.TextChoices):
    RUNNING = "running", "Running"
    IMPORTED = "imported", "Imported"
    PARTLY_IMPORTED = "partly_imported", "Valid rows imported, others refused"
    REFUSED = "refused", "Refused: nothing imported"
    FAILED = "failed", "Stopped by an unexpected error: nothing further imported"


class ImportRun(models.Model):
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.CharField(max_length=150, help_text="The user name, kept if the user goes.")
    cdop = models.ForeignKey(
        "registry.Organisation", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text="The CDOP chosen for the whole file, if one was.",
    )  # fmt: skip
    file_name = models.CharField(max_length=255)
    file_kind = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    form_name = models.CharField(max_length=60)
    mode = models.CharField(max_length=20, choices=ImportMode.choices)
    status = models.CharField(
        max_length=20, choices=ImportStatus.choices, default=ImportStatus.RUNNING
    )
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0, help_text="Rows that made a new record.")
    unchanged = models.PositiveIntegerField(
        default=0, help_text="Rows already recorded (by an earlier import or call)."
    )
    refused = models.PositiveIntegerField(default=0)
    possible_duplicates = models.PositiveIntegerField(default=0)
    problems = models.PositiveIntegerField(default=0)
    warnings = models.PositiveIntegerField(default=0)
    report = models.CharField(
        max_length=255, blank=True, help_text="The problem report's file under VAR_DIR/imports."
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="running", finished_at__isnull=True)
                | (~models.Q(status="running") & models.Q(finished_at__isnull=False)),
                name="finished_runs_have_a_finish_time",
            )
        ]

    def __str__(self):
        return f"{self.file_name} into the {self.form_name} form ({self.status})"
