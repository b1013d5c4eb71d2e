from django.db import models


class Snapshot(models.Model):
    """A frozen copy of the registry. The files are immutable; the row says where they are."""

    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150, blank=True)
    folder = models.CharField(max_length=500)
    content_hash = models.CharField(max_length=64)
    row_counts = models.JSONField(default=dict)
    dictionary_release = models.CharField(max_length=20)
    code_version = models.CharField(max_length=60)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deleted_at__isnull=True, deleted_by="")
                | models.Q(deleted_at__isnull=False) & ~models.Q(deleted_by=""),
                name="deleted_snapshots_say_who_deleted_them",
            )
        ]

    def __str__(self):
        return f"snapshot {self.pk} of {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def label(self):
        return f"{self.pk} ({self.created_at:%d %B %Y %H:%M})"
