"""Fixed-window rate limits counted in Django's cache (issue 7 "Bad input", issue 10 "Security").

The cache is Redis when ``REDIS_URL`` is set and local memory otherwise; while Redis is down the counters go
on in each process's memory (:class:`huiyi.core.resilience.FallbackRedisCache`), so a limit is never simply
lifted by an outage. A counter is an integer under ``ratelimit:<scope>:<ident>`` that lives ``window``
seconds from its first hit. Limits are settings (configuration), not values of the standard.

Used by the public survey and complaint forms and by the password-reset request.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache


def hit(scope: str, ident: str, limit: int, window: int) -> bool:
    """Count one hit of ``ident`` in ``scope``; True while the window's allowance of ``limit`` holds."""
    key = f"ratelimit:{scope}:{ident}"
    if len(key) > 200 or not key.isascii() or any(c.isspace() for c in key):
        key = f"ratelimit:{scope}:sha256:{hashlib.sha256(ident.encode()).hexdigest()}"
    if cache.add(key, 1, timeout=window):
        return limit >= 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        count = 1
    return count <= limit
