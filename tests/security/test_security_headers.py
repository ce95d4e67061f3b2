"""Security headers and deployment settings in production (issue 10, REQ-DOC-07).

The settings read the environment at import, and the test run itself is not production (DEBUG is off but
HTTPS is off and the test hashers are on). So the production checks run in a subprocess with the environment
of a real deployment (no HUIYI_DEBUG, no HUIYI_HTTPS, a real secret key, a public host name): it imports the
settings, serves a handful of pages through Django's test client over HTTPS, and prints the headers, cookies
and settings as JSON. `manage.py check --deploy` runs in the same environment and must find nothing.

Signed-in pages need a database, so they are checked in this process: the headers that do not depend on
HTTPS (CSP, frame-ancestors, Referrer-Policy, nosniff) come from the same middleware in every environment.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
HOST = "huiyi.example.com"

# Production keeps CompressedManifestStaticFilesStorage, which needs `collectstatic` first; the subprocess
# swaps only the static storage for the plain one so that pages render without it. Nothing about security
# changes.
PRODUCTION_SETTINGS = """
from huiyi.settings import *  # noqa: F403

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
"""

PROBE = r"""
import json
import django

django.setup()
from django.conf import settings
from django.test import Client

client = Client()
pages = {}
for url in [
    "/accounts/login/",
    "/",
    "/healthz",
    "/api/v1/",
    "/api/v1/schema/",
    "/api/v1/docs/",
    "/no-such-page/",
    "/admin/login/",
]:
    response = client.get(url, secure=True, HTTP_HOST=HOST)
    pages[url] = {
        "status": response.status_code,
        "headers": {k.lower(): v for k, v in response.headers.items()},
        "cookies": {
            name: {
                "secure": bool(morsel["secure"]),
                "httponly": bool(morsel["httponly"]),
                "samesite": morsel["samesite"],
            }
            for name, morsel in response.cookies.items()
        },
    }
plain = client.get("/accounts/login/", HTTP_HOST=HOST)  # over plain HTTP (a proxy in front terminates TLS)
names = [
    "DEBUG",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SECURE",
    "LANGUAGE_COOKIE_SECURE",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "X_FRAME_OPTIONS",
    "SESSION_COOKIE_AGE",
    "PASSWORD_HASHERS",
    "AXES_ENABLED",
    "AXES_FAILURE_LIMIT",
]
print(json.dumps({
    "pages": pages,
    "plain_hsts": plain.headers.get("Strict-Transport-Security"),
    "settings": {name: getattr(settings, name) for name in names},
}))
"""


def production_env(data_dir: Path) -> dict[str, str]:
    """The environment of a deployment: only what the README asks an operator to set."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("HUIYI_", "PYTEST", "DJANGO_"))
        and key not in {"DATABASE_URL", "REDIS_URL", "PYTHONPATH"}
    }
    env.update(
        HUIYI_DATA_DIR=str(data_dir),
        HUIYI_SECRET_KEY=secrets.token_urlsafe(64),
        HUIYI_ALLOWED_HOSTS=HOST,
        HUIYI_CSRF_TRUSTED_ORIGINS=f"https://{HOST}",
        HUIYI_NODE_MODULES=str(ROOT / "node_modules"),
        PYTHONPATH=f"{data_dir}{os.pathsep}{ROOT / 'src'}",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("production")
    (data_dir / "prod_settings.py").write_text(PRODUCTION_SETTINGS)
    env = production_env(data_dir) | {"DJANGO_SETTINGS_MODULE": "prod_settings"}
    result = subprocess.run(
        [sys.executable, "-c", f"HOST = {HOST!r}\n" + PROBE],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def assert_safe_csp(header: str | None, where: str) -> None:
    assert header, f"{where}: no Content-Security-Policy"
    directives = csp_directives(header)
    scripts = directives.get("script-src", directives.get("default-src"))
    assert scripts is not None, f"{where}: CSP without script-src/default-src: {header}"
    for word in ("'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:", "data:"):
        assert word not in scripts, f"{where}: script-src allows {word}: {header}"
    assert directives.get("frame-ancestors") == ["'none'"], f"{where}: framing allowed: {header}"
    assert directives.get("object-src") == ["'none'"], f"{where}: plugins allowed: {header}"
    assert directives.get("base-uri") in (["'self'"], ["'none'"]), f"{where}: <base> unrestricted: {header}"
    assert directives.get("form-action") == ["'self'"], f"{where}: forms may post elsewhere: {header}"
    for name, sources in directives.items():
        assert "*" not in sources, f"{where}: {name} allows any origin"
        assert not any(s.startswith(("http://", "https://")) for s in sources), (
            f"{where}: {name} allows a third-party origin: {header}"
        )


def assert_security_headers(headers: dict[str, str], where: str, *, https: bool) -> None:
    headers = {k.lower(): v for k, v in headers.items()}
    assert_safe_csp(headers.get("content-security-policy"), where)
    assert headers.get("x-frame-options") == "DENY", where
    assert headers.get("x-content-type-options") == "nosniff", where
    assert headers.get("referrer-policy") in {"same-origin", "no-referrer", "strict-origin"}, where
    if https:
        hsts = headers.get("strict-transport-security", "")
        match = re.search(r"max-age=(\d+)", hsts)
        assert match and int(match.group(1)) >= 31536000, f"{where}: HSTS missing or short: {hsts!r}"
        assert "includesubdomains" in hsts.lower(), where


def test_issue_10_production_pages_carry_every_security_header(production):
    """CSP (no inline script), HSTS of a year, frame-ancestors 'none' and X-Frame-Options DENY,
    Referrer-Policy and nosniff on every kind of page that needs no database: HTML, JSON, the API schema and
    docs, errors and the admin's sign-in."""
    for url, page in production["pages"].items():
        assert page["status"] < 500, f"{url} answered {page['status']} in production"
        assert_security_headers(page["headers"], f"production {url}", https=True)


def test_issue_10_production_cookies_are_secure(production):
    """Cookies set by a production page (CSRF on the sign-in form) are Secure; the settings make the session
    cookie Secure and HttpOnly; DEBUG is off and real password hashers are used."""
    values = production["settings"]
    assert values["DEBUG"] is False
    assert values["SECURE_HSTS_SECONDS"] >= 31536000 and values["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert values["SESSION_COOKIE_SECURE"] and values["SESSION_COOKIE_HTTPONLY"]
    assert values["CSRF_COOKIE_SECURE"] and values["LANGUAGE_COOKIE_SECURE"]
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] and values["X_FRAME_OPTIONS"] == "DENY"
    assert values["AXES_ENABLED"] and values["AXES_FAILURE_LIMIT"] > 0
    assert not any("MD5" in hasher or "Unsalted" in hasher for hasher in values["PASSWORD_HASHERS"])
    login_cookies = production["pages"]["/accounts/login/"]["cookies"]
    assert "csrftoken" in login_cookies, "the sign-in form sets no CSRF cookie"
    for name, cookie in login_cookies.items():
        assert cookie["secure"], f"cookie {name} is not Secure in production"
    # HSTS is sent only over HTTPS (a browser ignores it over HTTP); behind a proxy the proxy terminates TLS.
    assert production["plain_hsts"] is None


def test_issue_10_check_deploy_is_clean_in_production(tmp_path):
    """`manage.py check --deploy` with the production environment: no error and no warning."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=production_env(tmp_path) | {"DJANGO_SETTINGS_MODULE": "huiyi.settings"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "no issues" in output, output


@pytest.mark.django_db
def test_issue_10_signed_in_and_public_pages_carry_the_headers(
    client, make_user, make_project, org, settings
):
    """The same headers on pages of a signed-in user and on the public signed-link pages (an unknown token),
    with HSTS as production sets it."""
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    pm = make_user("project_manager", org["north_events"])
    project = make_project(members=[(pm, "project_manager")])
    client.force_login(pm)
    for url in [
        reverse("core:dashboard"),
        reverse("projects:detail", args=[project.pk]),
        reverse("api:project-list"),
        reverse("api:me"),
    ]:
        response = client.get(url, secure=True)
        assert response.status_code == 200, url
        assert_security_headers(response.headers, f"signed in {url}", https=True)
    client.logout()
    for url in [
        reverse("surveys:public", args=["not-a-code"]),
        reverse("complaints:public", args=["not-a-token"]),
        reverse("attendees:ticket", args=["not-a-token"]),
        reverse("planning:confirm", args=["not-a-token"]),
    ]:
        response = client.get(url, secure=True)
        assert response.status_code < 500, url
        assert_security_headers(response.headers, f"public {url}", https=True)


def test_issue_10_settings_policy_itself_has_no_inline_script():
    """The CSP configured in settings (what every environment serves) allows scripts from the app only."""
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives.get("style-src", [])
    assert directives["frame-ancestors"] == ["'none'"]


TEMPLATE_DIRS = [ROOT / "src" / "huiyi"]
INLINE_HANDLER = re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", re.S)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)


def test_issue_10_no_template_relies_on_inline_script():
    """The CSP forbids inline script: a template with an `onchange=` attribute or an inline <script> block
    would silently not work in the browser (and would need 'unsafe-inline' to work, which we refuse)."""
    offenders = []
    for directory in TEMPLATE_DIRS:
        for path in directory.rglob("*.html"):
            if "static" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            for pattern in (INLINE_HANDLER, INLINE_SCRIPT):
                for match in pattern.finditer(text):
                    line = text.count("\n", 0, match.start()) + 1
                    offenders.append(f"{path.relative_to(ROOT)}:{line}: {match.group(0)[:80]}")
    assert not offenders, "inline script blocked by the CSP:\n" + "\n".join(offenders)
