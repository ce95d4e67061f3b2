import pytest
from django.db.utils import OperationalError
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_dashboard_shows_real_counts_by_phase(client, make_user, make_project, org):
    director = make_user("project_director", org["company"])
    make_project(phase=1)
    make_project(phase=1)
    make_project(phase=3)
    client.force_login(director)
    page = client.get(reverse("core:dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-phase-count="1">2<' in page
    assert 'data-phase-count="3">1<' in page
    assert 'data-phase-count="5">0<' in page


def test_dashboard_needs_sign_in(client):
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_REQ_GEN_03_glossary_in_both_languages(client):
    """REQ-GEN-03: the glossary page shows every §1.3 term in Chinese and in English."""
    from huiyi.core.glossary import TERMS

    zh = client.get(reverse("core:glossary"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    en = client.get(reverse("core:glossary"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert len(TERMS) == 9
    for term in TERMS:
        assert term["zh-hans"][0] in zh and term["en"][0] in zh
        assert en.index(term["en"][1][:20]) < en.index(term["zh-hans"][1][:10])


def test_language_switch_sets_the_language(client, make_user, org):
    client.force_login(make_user("planner", org["north"]))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("core:dashboard")).content.decode()
    assert '<html lang="en">' in page


def test_healthz_ok(client):
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_an_unavailable_database(client, monkeypatch):
    from django.db import connections

    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connections["default"], "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_404_page_is_in_the_users_language(client):
    zh = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    en = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")
    assert zh.status_code == en.status_code == 404
    assert "This page does not exist" in en.content.decode()
    assert "This page does not exist" not in zh.content.decode()


def test_navigation_hides_modules_the_user_may_not_use(client, make_user, org):
    client.force_login(make_user("reception", org["north"]))
    page = client.get(reverse("core:dashboard")).content.decode()
    assert 'data-module="audit"' not in page
    assert 'data-module="projects"' in page


def test_pages_send_a_content_security_policy_without_third_party_origins(client):
    policy = client.get(reverse("accounts:login"))["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "http" not in policy


def test_500_page_is_in_the_users_language_and_shows_no_traceback(rf):
    from django.utils import translation

    from huiyi.core.views import error_500

    with translation.override("en"):
        english = error_500(rf.get("/projects/")).content.decode()
    with translation.override("zh-hans"):
        chinese = error_500(rf.get("/projects/")).content.decode()
    assert "Something went wrong" in english and "Traceback" not in english
    assert "Something went wrong" not in chinese
    with translation.override("en"):
        api = error_500(rf.get("/api/v1/me/"))
    assert api.status_code == 500 and api["Content-Type"] == "application/json"
