"""Sign-in links for reporting-form requests, and the reminders sent about them.

A `RequestLink` is e-mailed to an agency's named contact. Only the SHA-256 hash of its token is
stored, so a copy of the database cannot be used to sign in. A link signs its contact in once,
until it expires, and then gives access to the one form requested of them. Sending a reminder to
a named contact replaces their link with a new one.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from ncmd.registry.models import FormRequest


class RequestLink(models.Model):
    request = models.ForeignKey(FormRequest, on_delete=models.CASCADE, related_name="links")
    email = models.EmailField()
    name = models.CharField(max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The contact's account: chosen when the link was made, or created at sign-in.",
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    replaced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["request", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")), name="link_expires_after_creation"
            ),
            models.CheckConstraint(
                condition=Q(used_at__isnull=True) | Q(used_at__gte=F("created_at")),
                name="link_used_after_creation",
            ),
        ]

    def __str__(self):
        return f"sign-in link for {self.email} to {self.request}"


class Reminder(models.Model):
    """One reminder e-mail about an outstanding request."""

    request = models.ForeignKey(FormRequest, on_delete=models.CASCADE, related_name="reminders")
    sent_at = models.DateTimeField(db_index=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    recipients = models.JSONField(default=list)

    class Meta:
        ordering = ["sent_at", "id"]

    def __str__(self):
        return f"reminder about {self.request} at {self.sent_at:%Y-%m-%d %H:%M}"
