from django.db import models


class Bulletin(models.Model):
    """One monthly bulletin sent to one CDOP: a record that stops it going twice by mistake."""

    cdop = models.ForeignKey("registry.Organisation", on_delete=models.PROTECT)
    period = models.DateField(help_text="The first day of the month the bulletin reports.")
    snapshot_hash = models.CharField(max_length=64)
    recipients = models.JSONField(default=list)
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["-period", "cdop__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cdop", "period", "sent_at"], name="one_bulletin_a_send"
            )
        ]

    def __str__(self):
        return f"{self.cdop} bulletin for {self.period:%B %Y}"
