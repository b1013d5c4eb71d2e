"""A per-token limit on requests per minute, counted in Django's cache.

The window is the calendar minute. Django's default cache (local memory) counts per process:
with several application processes, configure a shared cache (CACHES, e.g. Redis or the database
cache) so that the limit holds across them. See docs/api.md.
"""

import time

from django.conf import settings
from django.core.cache import cache

from .problems import RateLimited


def check_rate(token, now=None):
    """Count one request for `token`; raise RateLimited when it is over the limit."""
    limit = settings.NCMD_API_RATE_LIMIT
    if limit <= 0:
        return
    now = time.time() if now is None else now
    window = int(now // 60)
    key = f"ncmd-api-rate:{token.pk}:{window}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=120)
        count = 1
    if count > limit:
        raise RateLimited(retry_after=max(1, 60 - int(now % 60)), limit=limit)
