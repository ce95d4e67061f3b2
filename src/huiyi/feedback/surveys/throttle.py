"""Fixed-window counters in Django's cache (Redis when configured, local memory otherwise; the counter itself
is :func:`huiyi.core.ratelimit.hit`): a flood of answers is refused with 429 (Bad input, issue 7).

* a personal link: per link (one person; a second answer only updates the first);
* the anonymous link: per survey and address. A meeting's guests often share one address (the venue's Wi-Fi
  behind NAT), so that allowance is much larger.

Both are settings (``HUIYI_SURVEY_RATE``, ``HUIYI_SURVEY_ADDRESS_RATE`` as (requests, seconds)) or
environment variables ("20/600"), not values of the standard.
"""

import os

from django.conf import settings

from huiyi.core import ratelimit

DEFAULT_RATE = (20, 600)
DEFAULT_ADDRESS_RATE = (300, 600)


def _setting(name: str, default: tuple[int, int]) -> tuple[int, int]:
    value = getattr(settings, name, None)
    if value is None and os.environ.get(name):
        try:
            count, seconds = os.environ[name].split("/")
            value = (int(count), int(seconds))
        except ValueError:
            value = None
    return tuple(value) if value else default


def rate() -> tuple[int, int]:
    return _setting("HUIYI_SURVEY_RATE", DEFAULT_RATE)


def address_rate() -> tuple[int, int]:
    return _setting("HUIYI_SURVEY_ADDRESS_RATE", DEFAULT_ADDRESS_RATE)


def allow(scope: str, ident: str, limits: tuple[int, int] | None = None) -> bool:
    """Count one hit of ``ident`` in ``scope``; False once the window's allowance is used up."""
    limit, window = limits or rate()
    return ratelimit.hit(f"surveys:{scope}", ident, limit, window)


def allow_link(invitation_pk: int) -> bool:
    return allow("invitation", str(invitation_pk))


def allow_address(survey_pk: int, address: str) -> bool:
    return allow("public", f"{survey_pk}:{address}", address_rate())


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"
