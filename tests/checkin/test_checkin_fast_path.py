"""Issue 10: a door scan with an API token takes the short way through the middleware
(``huiyi.onsite.checkin.middleware.ScanFastPath``) and answers exactly as the long way would: the same body,
the same security and language headers, the same 401/403, and a 503 when the database is gone."""

from types import SimpleNamespace
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls.resolvers import URLResolver
from rest_framework.test import APIClient
from tests.checkin.conftest import redeem, token_client

from huiyi.onsite.checkin import services

pytestmark = pytest.mark.django_db


def test_issue_10_token_scan_skips_url_resolution_and_session(scanner_api, meeting, add_attendee):
    ticket = add_attendee(meeting["project"])
    redeem(scanner_api, "warm-up")  # the fast routes are resolved once, on the first request
    with mock.patch.object(URLResolver, "resolve", side_effect=AssertionError("took the long way")):
        response = redeem(scanner_api, ticket.code)
    assert response.status_code == 200
    assert response.json()["result"] == "ok"
    assert "sessionid" not in response.cookies


def test_issue_10_fast_path_answers_carry_the_security_and_language_headers(
    scanner_api, meeting, add_attendee
):
    ticket = add_attendee(meeting["project"])
    body = {"code": ticket.code, "device": "door-1"}
    response = scanner_api.post("/api/v1/checkin/redeem/", body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "Accept-Language" in response["Vary"]
    assert response["Content-Language"] == "en"
    assert response["Content-Length"] == str(len(response.content))


@pytest.mark.parametrize(
    ("language", "message"), [("en", "This field is required."), ("zh-hans", "此项为必填项。")]
)
def test_issue_10_fast_path_speaks_the_scanners_language(scanner_api, language, message):
    response = scanner_api.post(
        "/api/v1/checkin/redeem/", {"device": "door-1"}, format="json", HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["code"] == [message]
    assert response["Content-Language"] == language


def test_issue_10_fast_path_refuses_as_the_long_way(meeting, add_attendee, make_user, org):
    ticket = add_attendee(meeting["project"])
    assert redeem(APIClient(HTTP_AUTHORIZATION="Token nope"), ticket.code).status_code == 401
    outsider = make_user("reception", org["north_events"], username="not-on-the-team")
    answer = redeem(token_client(outsider), ticket.code, project=meeting["project"].pk)
    assert answer.status_code == 403
    checkout = token_client(meeting["reception"]).get("/api/v1/checkin/checkout/")
    assert checkout.status_code == 405  # a GET takes the long way: the view answers it


def test_issue_10_fast_path_answers_503_when_the_database_is_gone(meeting, add_attendee):
    ticket = add_attendee(meeting["project"])
    client = token_client(meeting["reception"])
    client.raise_request_exception = False
    gone = OperationalError("connection to server at 127.0.0.1 failed: Connection refused")
    with mock.patch.object(services, "scan", side_effect=gone):
        response = redeem(client, ticket.code)
    assert response.status_code == 503
    assert response["Retry-After"]
    assert response.json()["error"]["code"]


def test_issue_10_a_session_scan_still_takes_the_long_way_with_csrf(meeting, add_attendee):
    ticket = add_attendee(meeting["project"])
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(meeting["reception"])
    response = browser.post(
        "/api/v1/checkin/redeem/", {"code": ticket.code, "device": "d"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["error"]["message"]


def test_issue_10_scanner_permissions_expire_spread_out_never_later_than_the_bound(monkeypatch):
    """Sixteen gates signing in together must not reload their permissions together 30 s later (a stall of
    every worker thread at once); and none is reused longer than AUTH_CACHE_SECONDS."""
    from huiyi.onsite.checkin import api

    now = 1000.0
    monkeypatch.setattr(api, "time", SimpleNamespace(monotonic=lambda: now))
    loads = []
    for n in range(16):
        api._cached("token", f"gate-{n}", lambda n=n: loads.append(n) or services.Scanner(n, True))
    expiries = [api._auth_cache[("token", f"gate-{n}")][0] - now for n in range(16)]
    assert len(loads) == 16
    assert all(
        api.AUTH_CACHE_SECONDS * api.AUTH_CACHE_SPREAD_FROM <= e <= api.AUTH_CACHE_SECONDS for e in expiries
    )
    assert len({round(e, 3) for e in expiries}) > 8  # spread, not one moment
    api._cached("token", "gate-0", lambda: loads.append("again"))
    assert loads[-1] == 15  # still cached: not reloaded
    now += api.AUTH_CACHE_SECONDS + 0.001
    api._cached("token", "gate-0", lambda: loads.append("again") or services.Scanner(0, True))
    assert loads[-1] == "again"  # past the bound: always reloaded
