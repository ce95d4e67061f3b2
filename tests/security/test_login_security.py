"""Login security (issue 10): brute force is locked out on the sign-in page and on the API token endpoint;
the lockout message is clear in Chinese and English; password reset links work once; session fixation is
impossible; sign-out and password changes end sessions on the server.

Brute force: django-axes counts failures per username *and* address (AXES_LOCKOUT_PARAMETERS), so the
counter is shared by the page and the API (an attacker cannot double the attempts by switching channel),
while a colleague elsewhere is not locked out by a stranger.
"""

from __future__ import annotations

import re
from datetime import timedelta
from importlib import import_module

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.django_db

LIMIT = settings.AXES_FAILURE_LIMIT
NEW_PASSWORD = "a fresh secret for issue 10"
ELSEWHERE = "203.0.113.9"
CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=|"X-CSRFToken": )"[^"]+"')


@pytest.fixture(autouse=True)
def _fresh(db):
    AccessAttempt.objects.all().delete()
    cache.clear()  # the token endpoint's throttle counts in the cache


@pytest.fixture
def lin(make_user, org):
    return make_user("planner", org["north"], username="lin", email="lin@example.com")


def sign_in(client, username, password, **extra):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, **extra)


def token(client, username, password, **extra):
    return client.post(
        reverse("api:token"),
        {"username": username, "password": password},
        content_type="application/json",
        **extra,
    )


def signed_in(client) -> bool:
    return client.get(reverse("core:dashboard")).status_code == 200


def session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


# -- brute force ---------------------------------------------------------------------------------------------


def test_issue_10_sign_in_locks_out_at_the_configured_failure_and_not_before(lin):
    """AXES_FAILURE_LIMIT − 1 failures still let the right password in (and reset the count); the limit-th
    failure locks the account from this address, even with the right password and a fresh browser."""
    client = Client()
    for _ in range(LIMIT - 1):
        assert sign_in(client, "lin", "wrong").status_code == 200
    assert sign_in(client, "lin", TEST_PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))

    for attempt in range(LIMIT):
        response = sign_in(client, "lin", f"guess {attempt}")
    assert response.status_code == 403  # the limit-th failure already answers with the lockout
    response = sign_in(client, "lin", TEST_PASSWORD)
    assert response.status_code == 403
    assert 'id="lockout"' in response.content.decode()
    assert not signed_in(client)

    fresh = Client()  # new cookies, same address: still locked
    assert sign_in(fresh, "lin", TEST_PASSWORD).status_code == 403
    assert not signed_in(fresh)
    # by username and address together: a colleague signing in from elsewhere is not locked out
    elsewhere = Client(REMOTE_ADDR=ELSEWHERE)
    assert sign_in(elsewhere, "lin", TEST_PASSWORD).status_code == 302


def test_issue_10_api_token_endpoint_locks_out_and_issues_no_token(lin):
    for _ in range(LIMIT):
        token(Client(), "lin", "wrong")
    response = token(Client(), "lin", TEST_PASSWORD)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "locked_out"
    assert "token" not in response.json()
    assert not Token.objects.filter(user=lin).exists()


def test_issue_10_page_and_api_share_one_failure_count(lin):
    """Alternating the sign-in page and the token endpoint does not buy more guesses."""
    client = Client()
    for attempt in range(LIMIT):
        if attempt % 2:
            token(client, "lin", "wrong")
        else:
            sign_in(client, "lin", "wrong")
    assert sign_in(client, "lin", TEST_PASSWORD).status_code == 403
    assert token(client, "lin", TEST_PASSWORD).status_code == 403


def test_issue_10_unknown_usernames_are_locked_out_alike(lin):
    """A locked-out unknown name answers exactly like a locked-out real one (no account enumeration)."""
    pages = {}
    for username in ("lin", "nobody-here"):
        client = Client()
        for _ in range(LIMIT):
            sign_in(client, username, "wrong")
        response = sign_in(client, username, "wrong")
        assert response.status_code == 403
        pages[username] = CSRF.sub("", response.content.decode())
    assert pages["lin"].replace('value="lin"', 'value="nobody-here"') == pages["nobody-here"]


@pytest.mark.parametrize(
    "language, page_text, api_text",
    [
        (
            "zh-hans",
            "登录失败次数过多，请{minutes}分钟后重试。",
            "登录失败次数过多，该账号已被暂时锁定，请稍后重试。",
        ),
        (
            "en",
            "Too many failed sign-ins. Please wait {minutes} minutes and try again.",
            "Too many failed sign-ins. This account is locked for a while; try again later.",
        ),
    ],
)
def test_issue_10_lockout_message_is_clear_in_both_languages(lin, language, page_text, api_text):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for _ in range(LIMIT):
        sign_in(client, "lin", "wrong")
    page = sign_in(client, "lin", TEST_PASSWORD)
    assert page.status_code == 403
    assert page_text.format(minutes=minutes) in page.content.decode()
    api = token(client, "lin", TEST_PASSWORD)
    assert api.status_code == 403
    assert api.json()["error"]["message"] == api_text


def test_issue_10_lockout_ends_after_the_cool_off(lin):
    client = Client()
    for _ in range(LIMIT):
        sign_in(client, "lin", "wrong")
    assert sign_in(client, "lin", TEST_PASSWORD).status_code == 403
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1)
    )
    assert sign_in(client, "lin", TEST_PASSWORD).status_code == 302
    assert signed_in(client)


def test_issue_10_sign_in_never_redirects_off_site(lin):
    client = Client()
    response = client.post(
        reverse("accounts:login"),
        {"username": "lin", "password": TEST_PASSWORD, "next": "https://evil.example/phish"},
    )
    assert response.status_code == 302
    assert response.url == reverse("core:dashboard")


@pytest.mark.parametrize(
    "target", ["/\\evil.example/phish", "//evil.example/", "https://evil.example/", "/\t/x"]
)
def test_issue_10_back_links_stay_on_the_site(make_user, make_project, org, settings, tmp_path, target):
    """A form's "next" is followed only to a page of this site: "/\\evil.example" passed the old check
    (starts with "/" and not "//") and a browser goes to evil.example."""
    from huiyi.documents import services as documents

    settings.MEDIA_ROOT = tmp_path / "media"
    admin = make_user(username="root", is_superuser=True, is_staff=True)
    document = documents.create_document(project=make_project(), doc_type="agenda", title="议程", by=admin)
    client = Client()
    client.force_login(admin)
    response = client.post(
        reverse("disposition:request_new", args=[document.pk]), {"reason": "", "next": target}
    )
    assert response.status_code == 302
    assert response.url.startswith("/") and not response.url.startswith(("//", "/\\"))
    assert "evil.example" not in response.url


# -- password reset ------------------------------------------------------------------------------------------


def request_reset(client, email: str, **extra):
    return client.post(reverse("accounts:password_reset"), {"email": email}, **extra)


def reset_link(settings_base: str) -> str:
    assert len(mail.outbox) == 1, [m.subject for m in mail.outbox]
    links = re.findall(r"https?://\S+", mail.outbox[0].body)
    assert len(links) == 1, mail.outbox[0].body
    assert links[0].startswith(settings_base + "/accounts/password/reset/")
    return links[0][len(settings_base) :]


def set_password(client, link: str, password: str = NEW_PASSWORD):
    """Open the e-mailed link, then post the new password on the page it leads to."""
    opened = client.get(link)
    if opened.status_code != 302:
        return opened
    return client.post(opened.url, {"new_password1": password, "new_password2": password})


@pytest.fixture
def base_url(settings):
    settings.HUIYI_BASE_URL = "https://huiyi.example.com"
    return settings.HUIYI_BASE_URL


def test_issue_10_reset_link_works_once(lin, base_url):
    """The link sets a new password once; opened again it is refused with a clear page and changes nothing.
    A session signed in with the old password ends."""
    old_session = Client()
    old_session.force_login(lin)
    assert signed_in(old_session)

    response = request_reset(Client(), "LIN@example.com", HTTP_HOST="localhost")
    assert response.status_code == 302 and response.url == reverse("accounts:password_reset_done")
    link = reset_link(base_url)  # built from HUIYI_BASE_URL, not from the request's Host header
    assert "/set-password/" not in link

    browser = Client()
    opened = browser.get(link)
    assert opened.status_code == 302 and opened.url.endswith("/set-password/")  # the token leaves the URL
    done = browser.post(opened.url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done.url == reverse("accounts:password_reset_complete")
    lin.refresh_from_db()
    assert lin.check_password(NEW_PASSWORD)
    assert not signed_in(old_session)

    for client in (browser, Client()):
        again = set_password(client, link, "yet another secret 1234")
        assert again.status_code == 200
        assert 'id="reset-invalid"' in again.content.decode()
    lin.refresh_from_db()
    assert lin.check_password(NEW_PASSWORD)
    assert sign_in(Client(), "lin", NEW_PASSWORD).status_code == 302


def test_issue_10_reset_link_is_refused_after_a_password_change(lin, base_url):
    request_reset(Client(), "lin@example.com")
    link = reset_link(base_url)
    client = Client()
    client.force_login(lin)
    changed = client.post(
        reverse("accounts:password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert changed.status_code == 302
    response = set_password(Client(), link, "the attacker's choice 99")
    assert 'id="reset-invalid"' in response.content.decode()
    lin.refresh_from_db()
    assert lin.check_password(NEW_PASSWORD)


def test_issue_10_reset_link_is_refused_after_the_user_signs_in(lin, base_url):
    """The token covers the last sign-in: a link lying in a mailbox dies once the owner signs in."""
    request_reset(Client(), "lin@example.com")
    link = reset_link(base_url)
    assert sign_in(Client(), "lin", TEST_PASSWORD).status_code == 302
    response = set_password(Client(), link)
    assert 'id="reset-invalid"' in response.content.decode()
    lin.refresh_from_db()
    assert lin.check_password(TEST_PASSWORD)


def test_issue_10_reset_token_is_bound_to_its_user(lin, make_user, org, base_url):
    other = make_user("planner", org["north"], username="mei", email="mei@example.com")
    request_reset(Client(), "lin@example.com")
    link = reset_link(base_url)
    _prefix, uid, token_value, _rest = link.rsplit("/", 3)
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    forged = link.replace(f"/{uid}/", f"/{urlsafe_base64_encode(force_bytes(other.pk))}/")
    response = set_password(Client(), forged)
    assert 'id="reset-invalid"' in response.content.decode()
    other.refresh_from_db()
    assert other.check_password(TEST_PASSWORD)


def test_issue_10_reset_request_does_not_reveal_accounts(lin):
    """An unknown address gets the same answer and no e-mail is sent."""
    known = request_reset(Client(), "lin@example.com")
    unknown = request_reset(Client(), "nobody@example.com")
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["lin@example.com"]


@pytest.fixture
def reset_limits(settings):
    settings.HUIYI_PASSWORD_RESET_PER_EMAIL = 2
    settings.HUIYI_PASSWORD_RESET_PER_IP = 4
    settings.HUIYI_PASSWORD_RESET_WINDOW_MINUTES = 60
    return settings


@pytest.mark.parametrize("email", ["lin@example.com", "nobody@example.com"])
def test_issue_10_reset_requests_are_limited_per_email_address(lin, reset_limits, email, caplog):
    """Issue 10: HUIYI_PASSWORD_RESET_PER_EMAIL requests per address and window, whatever the client address
    (case does not matter); beyond it the same "sent" page, no e-mail, a warning in the log — for a known
    and an unknown address alike, so the limit reveals nothing either."""
    answers = [
        request_reset(Client(), email.upper() if n % 2 else email, REMOTE_ADDR=f"198.51.100.{n}")
        for n in range(1, 4)
    ]
    assert {a.status_code for a in answers} == {302}
    assert {a.url for a in answers} == {reverse("accounts:password_reset_done")}
    assert len(mail.outbox) == (2 if email.startswith("lin") else 0)
    assert "Password reset not sent: too many requests per email" in caplog.text
    assert email in caplog.text
    # another address is not affected
    request_reset(Client(), "mei@example.com", REMOTE_ADDR="198.51.100.9")
    assert "mei@example.com" not in caplog.text


def test_issue_10_reset_requests_are_limited_per_client_address(lin, reset_limits, caplog):
    """Issue 10: HUIYI_PASSWORD_RESET_PER_IP requests per client address and window over all e-mail
    addresses; the next one from there is answered alike and sends nothing, another client is unaffected."""
    for n in range(4):
        request_reset(Client(), f"nobody{n}@example.com", REMOTE_ADDR=ELSEWHERE)
    limited = request_reset(Client(), "lin@example.com", REMOTE_ADDR=ELSEWHERE)
    assert limited.status_code == 302 and limited.url == reverse("accounts:password_reset_done")
    assert mail.outbox == []
    assert f"too many requests per ip (e-mail lin@example.com, client address {ELSEWHERE})" in caplog.text

    request_reset(Client(), "lin@example.com", REMOTE_ADDR="192.0.2.1")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["lin@example.com"]


def test_issue_10_limited_reset_shows_the_same_sent_page(lin, reset_limits):
    """Issue 10: the page after a limited request is the page after a sent one."""
    sent = request_reset(Client(), "lin@example.com", follow=True)
    request_reset(Client(), "lin@example.com")
    limited = request_reset(Client(), "lin@example.com", follow=True)
    assert len(mail.outbox) == 2
    assert sent.status_code == limited.status_code == 200
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"|nonce="[^"]+"')
    assert strip.sub("", sent.content.decode()) == strip.sub("", limited.content.decode())


def test_issue_10_reset_limits_are_configuration():
    """Issue 10: the thresholds are settings read from the environment, not values of the standard."""
    import os
    import subprocess
    import sys

    code = (
        "from huiyi import settings as s;"
        "print(s.HUIYI_PASSWORD_RESET_PER_EMAIL, s.HUIYI_PASSWORD_RESET_PER_IP,"
        " s.HUIYI_PASSWORD_RESET_WINDOW_MINUTES)"
    )
    env = {
        **os.environ,
        "HUIYI_PASSWORD_RESET_PER_EMAIL": "7",
        "HUIYI_PASSWORD_RESET_PER_IP": "70",
        "HUIYI_PASSWORD_RESET_WINDOW_MINUTES": "30",
    }
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["7", "70", "30"]


def test_issue_10_sign_in_page_offers_the_reset(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert f'href="{reverse("accounts:password_reset")}"' in page


# -- sessions ------------------------------------------------------------------------------------------------


def test_issue_10_session_fixation_is_impossible(lin):
    """An attacker plants a session id they know (a real, server-side session) before the victim signs in:
    signing in issues a new id, the planted one is destroyed, and replaying it is not signed in."""
    store = session_store()()
    store["planted"] = True
    store.save()
    planted = store.session_key
    victim = Client()
    victim.cookies[settings.SESSION_COOKIE_NAME] = planted
    victim.get(reverse("accounts:login"))
    assert sign_in(victim, "lin", TEST_PASSWORD).status_code == 302
    after = victim.cookies[settings.SESSION_COOKIE_NAME].value
    assert after and after != planted
    assert not session_store()().exists(planted)
    assert SESSION_KEY not in session_store()(session_key=planted).load()
    attacker = Client()
    attacker.cookies[settings.SESSION_COOKIE_NAME] = planted
    assert not signed_in(attacker)
    assert signed_in(victim)


def test_issue_10_sign_out_ends_the_session_on_the_server(lin):
    client = Client()
    assert sign_in(client, "lin", TEST_PASSWORD).status_code == 302
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert session_store()().exists(key)
    # a link or image cannot sign anyone out: only a POST (with the CSRF token) does
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert signed_in(client)
    client.post(reverse("accounts:logout"))
    assert not session_store()().exists(key)
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = key  # a copy of the cookie taken before sign-out
    assert not signed_in(replay)


def test_issue_10_password_change_ends_the_other_sessions(lin):
    here, there = Client(), Client(REMOTE_ADDR=ELSEWHERE)
    for client in (here, there):
        assert sign_in(client, "lin", TEST_PASSWORD).status_code == 302
    changed = here.post(
        reverse("accounts:password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert changed.status_code == 302
    assert signed_in(here)
    assert not signed_in(there)


def test_issue_10_session_cookie_is_http_only_and_same_site(lin):
    client = Client()
    sign_in(client, "lin", TEST_PASSWORD)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"].lower() in {"lax", "strict"}
    assert settings.SESSION_COOKIE_AGE <= 24 * 3600
