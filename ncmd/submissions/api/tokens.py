"""Making and checking API token secrets.

A token reads `ncmd_<prefix>_<secret>`: the prefix (public, indexed) finds the row, and the SHA-256
of the whole token is compared with the stored hash in constant time. The secret has 256 bits of
entropy, so a fast hash is enough; nothing stored lets anyone rebuild a token.
"""

import hashlib
import hmac
import re
import secrets

from django.utils import timezone

from .models import ApiToken

PREFIX_BYTES = 6
_PREFIX = re.compile(f"[0-9a-f]{{{PREFIX_BYTES * 2}}}")
SECRET_BYTES = 32


def new_token_text():
    """(the whole token, its prefix)."""
    prefix = secrets.token_hex(PREFIX_BYTES)
    return f"ncmd_{prefix}_{secrets.token_urlsafe(SECRET_BYTES)}", prefix


def hash_token(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def find_token(text, at=None):
    """The usable token `text` stands for, with its active user, or None."""
    parts = text.strip().split("_", 2) if isinstance(text, str) else []
    if len(parts) != 3 or parts[0] != "ncmd" or not _PREFIX.fullmatch(parts[1]) or not parts[2]:
        return None
    token = ApiToken.objects.select_related("user", "user__organisation").filter(
        prefix=parts[1]
    ).first()  # fmt: skip
    if token is None or not hmac.compare_digest(token.secret_hash, hash_token(text.strip())):
        return None
    at = at or timezone.now()
    if not token.is_usable(at) or not token.user.is_active:
        return None
    return token


def mark_used(token, at=None):
    """Note when a token was last used, at most once a minute per token."""
    at = at or timezone.now()
    if token.last_used_at is None or (at - token.last_used_at).total_seconds() >= 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=at)
        token.last_used_at = at
