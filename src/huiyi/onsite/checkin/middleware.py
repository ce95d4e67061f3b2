"""The door scan's short way through the middleware (issue 10: ≥ 10 × a peer's throughput, p99 ≤ 25 ms).

A scan with an API token (``POST /api/v1/checkin/redeem/`` or ``…/checkout/`` with ``Authorization: Token …``)
needs none of what a page needs: no session, CSRF, messages, htmx, django-auditlog actor (a scan writes no
auditlog row, see ``services``), axes or URL resolution. Measured in-process on SQLite, that middleware and
the resolver were half of a redeem's time. :class:`ScanFastPath` sits right after Django's
SecurityMiddleware and WhiteNoise and hands such a request straight to the scan view, doing itself the little
the skipped middleware would have done for it:

* the language from the request (cookie, Accept-Language), as LocaleMiddleware, with its response headers;
* one read of the active rulebook for the request, as ``rulebook.middleware.OneRulebookPerRequest``;
* the Content-Security-Policy and X-Frame-Options headers (SecurityMiddleware, before it, adds the others);
* the Content-Length, as CommonMiddleware (without it the server would answer chunked).

It also spares the scan the ``SELECT 1`` health check before its first query (``core.fast_db``): the scan's
reads reconnect by themselves when PostgreSQL dropped the connection.

The view authenticates the token itself and answers 401/403 as on the long way. An exception is turned into
a response by Django's handler around this middleware (a database outage answers 503, ``core.resilience``).
Anything else — another path or method, a session-authenticated scan from the browser page — takes the long
way unchanged.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import resolve, reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from huiyi.core.fast_db import without_health_check
from huiyi.rulebook.services import one_active_version

FAST_ROUTES = ("api:checkin-redeem", "api:checkin-checkout")


@functools.cache
def _content_security_policy() -> str:
    from csp.utils import build_policy

    return build_policy()


@receiver(setting_changed)
def _forget_policy(setting, **kwargs):
    if setting == "CONTENT_SECURITY_POLICY":
        _content_security_policy.cache_clear()


class ScanFastPath:
    def __init__(self, get_response):
        self.get_response = get_response
        self._views = None

    def views(self) -> dict:
        """Path → view of the fast routes, resolved on the first request (the URLconf is loaded by then)."""
        if self._views is None:
            paths = [reverse(name) for name in FAST_ROUTES]
            self._views = {path: resolve(path).func for path in paths}
        return self._views

    def __call__(self, request):
        if request.method != "POST" or not request.META.get("HTTP_AUTHORIZATION", "").startswith("Token "):
            return self.get_response(request)
        view = self.views().get(request.path_info)
        if view is None:
            return self.get_response(request)
        language = translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        without_health_check()
        with one_active_version():
            response = view(request)
        if not response.streaming:  # as CommonMiddleware: a known length, not a chunked answer
            response.headers.setdefault("Content-Length", str(len(response.content)))
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", language)
        response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        policy = _content_security_policy()
        if policy:
            response.headers.setdefault("Content-Security-Policy", policy)
        return response
