"""Creating and revoking API tokens: keyword-only, `by=`, atomic, audited like every action."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from ncmd.registry.actions import ActionRefused
from ncmd.registry.audit import record

from .models import ApiToken
from .tokens import hash_token, new_token_text


def _organisation(user):
    return user.organisation.code if user.organisation_id else ""


@transaction.atomic
def create_api_token(*, user, name, by, expires_in_days=None, at=None):
    """A new token for `user`. Returns (token, secret): the secret is never stored and cannot be
    shown again."""
    at = at or timezone.now()
    name = str(name or "").strip()
    if not name:
        raise ActionRefused("Give the token a name that says what it is for.")
    if len(name) > 100:
        raise ActionRefused("The token's name must be 100 characters or fewer.")
    if by != user:
        raise ActionRefused("People create their own API tokens.")
    if expires_in_days is not None and expires_in_days <= 0:
        raise ActionRefused("A token must expire in the future.")
    text, prefix = new_token_text()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=prefix,
        secret_hash=hash_token(text),
        created_at=at,
        expires_at=at + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    record(
        "create_api_token",
        by=by,
        obj=token,
        at=at,
        organisation=_organisation(user),
        changes={"name": [None, name]},
        detail={
            "prefix": prefix,
            "expires_at": token.expires_at.isoformat() if token.expires_at else None,
        },  # fmt: skip
    )
    return token, text


@transaction.atomic
def revoke_api_token(*, token, by, at=None):
    """Stop a token working, at once and for good."""
    at = at or timezone.now()
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if by != token.user:
        raise ActionRefused("Only the token's owner can revoke it.")
    if token.revoked_at is not None:
        raise ActionRefused("This token has already been revoked.")
    token.revoked_at = at
    token.save(update_fields=["revoked_at"])
    record(
        "revoke_api_token",
        by=by,
        obj=token,
        at=at,
        organisation=_organisation(token.user),
        changes={"revoked_at": [None, at.isoformat()]},
        detail={"prefix": token.prefix, "name": token.name},
    )
    return token
