"""A fixed-window counter in Django's cache (Redis when configured, local memory otherwise): a flood of
answers through one link or from one address is refused with 429 (Bad input, issue 7)."""

from django.conf import settings
from django.core.cache import cache

#: (requests, seconds) per link and per address; an organisation may set HUIYI_SURVEY_RATE.
DEFAULT_RATE = (20, 600)


def rate() -> tuple[int, int]:
    return tuple(getattr(settings, "HUIYI_SURVEY_RATE", DEFAULT_RATE))


def allow(scope: str, ident: str) -> bool:
    """Count one hit of ``ident`` in ``scope``; False once the window's allowance is used up."""
    limit, window = rate()
    key = f"surveys:rate:{scope}:{ident}"[:200]
    if cache.add(key, 1, timeout=window):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return True
    return count <= limit


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"
