"""API tokens (stored hashed) and the remembered responses that make retried requests safe.

Tokens are created and revoked through `ncmd.submissions.api.actions`, which audit both."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ApiToken(models.Model):
    """A user's credential for the API. Only a SHA-256 hash of the secret is kept: the secret is
    shown once, when the token is created. The token carries its user's role and organisation,
    so it can never reach further than the user can in the portal."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the token is for, in the user's words.")
    prefix = models.CharField(max_length=16, unique=True, help_text="The token's public part.")
    secret_hash = models.CharField(max_length=64, help_text="SHA-256 of the whole token, in hex.")
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True) | Q(expires_at__gt=models.F("created_at")),
                name="api_token_expires_after_creation",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}) for {self.user}"

    def is_usable(self, at=None):
        at = at or timezone.now()
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > at

    @property
    def state(self):
        if self.revoked_at is not None:
            return "Revoked"
        if self.expires_at is not None and self.expires_at <= timezone.now():
            return "Expired"
        return "Active"


class IdempotentResponse(models.Model):
    """The first response to a request that carried an `Idempotency-Key`: a repeat of the same
    request by the same user returns it again instead of doing the work twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.ForeignKey(ApiToken, null=True, on_delete=models.SET_NULL, related_name="+")
    key = models.CharField(max_length=200)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the method, path, "
                                   "query and body of the first request.")  # fmt: skip
    status_code = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_response_per_user_and_key")
        ]

    def __str__(self):
        return f"{self.method} {self.path} ({self.key})"
