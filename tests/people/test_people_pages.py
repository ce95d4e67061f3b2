"""The pages of people render for HR with real records, in both languages, with a bounded number of queries
(REQ-PPL-01…05)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from huiyi.people import services
from huiyi.people.models import ModuleAttendance

from .conftest import D, session


@pytest.fixture
def hr_client(client, plan):
    client.force_login(plan["hr"])
    return client


def test_req_ppl_03_training_pages_render_and_hr_records_scores(hr_client, plan):
    s = plan
    one = session("communication", D(2026, 7, 10), [{"user": s["planner"].pk, "score": 90}], by=s["hr"])
    page = hr_client.get(reverse("people:training"), {"period": "quarter", "day": "2026-07-15"})
    assert page.status_code == 200 and 'data-module="communication"' in page.content.decode()
    assert hr_client.get(reverse("people:sessions"), {"module": "communication"}).status_code == 200
    assert hr_client.get(reverse("people:session", args=[one.pk])).status_code == 200
    response = hr_client.post(
        reverse("people:session", args=[one.pk]),
        {
            f"attended_{s['planner'].pk}": "on",
            f"score_{s['planner'].pk}": "75",
            f"attended_{s['reception'].pk}": "on",
            f"score_{s['reception'].pk}": "88",
        },
    )
    assert response.status_code == 302
    assert dict(ModuleAttendance.objects.values_list("user__username", "score")) == {"planner": 75, "rec": 88}
    new = hr_client.post(
        reverse("people:session_new"),
        {"module": "risk_management", "held_on": "2026-08-01", "trainer": "周杰", "method": "drill"},
    )
    assert new.status_code == 302
    edit = hr_client.post(
        reverse("people:module", args=["regulations"]),
        {"methods": ["online"], "target_roles": ["planner", "hr"], "outcome_zh": "了解法规"},
    )
    assert edit.status_code == 302


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_req_ppl_01_person_and_review_pages_in_both_languages(hr_client, plan, language):
    s = plan
    hr_client.cookies["django_language"] = language
    services.add_certification(
        s["planner"], by=s["hr"], name="电工证", issuer="应急管理局", expires_on=D(2020, 1, 1)
    )
    review = services.save_review(
        s["planner"], by=s["hr"], period_start=D(2026, 7, 1), period_end=D(2026, 9, 30)
    )
    for url in (
        reverse("people:list"),
        reverse("people:detail", args=[s["planner"].pk]),
        reverse("people:review", args=[review.pk]),
        reverse("people:review_new", args=[s["planner"].pk]),
        reverse("people:reviews"),
        reverse("people:edit", args=[s["planner"].pk]),
        reverse("people:certification_new", args=[s["planner"].pk]),
    ):
        assert hr_client.get(url).status_code == 200, url
    body = hr_client.get(reverse("people:list")).content.decode()
    assert 'data-flag="expired"' in body
    assert ("已过期" in body) if language == "zh-hans" else ("expired" in body)


def test_req_ppl_01_staff_list_query_count_does_not_grow_with_people(hr_client, plan, make_user, org):
    with CaptureQueriesContext(connection) as few:
        hr_client.get(reverse("people:list"))
    for n in range(15):
        make_user("reception", org["north_events"], username=f"extra{n}")
    with CaptureQueriesContext(connection) as many:
        hr_client.get(reverse("people:list"))
    assert len(many.captured_queries) == len(few.captured_queries)


def test_req_ppl_01_staff_list_pages_through_everyone(hr_client, plan, make_user, org, monkeypatch):
    from huiyi.people import views

    monkeypatch.setattr(views, "LIST_PAGE", 4)
    for n in range(9):
        make_user("reception", org["north_events"], username=f"paged{n:02d}")
    first = hr_client.get(reverse("people:list"), {"q": "paged"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "9 people" in first and "Page 1 of 3" in first and "q=paged&page=2" in first
    names = set()
    for number in (1, 2, 3):
        body = hr_client.get(reverse("people:list"), {"q": "paged", "page": number}).content.decode()
        names |= {f"paged{n:02d}" for n in range(9) if f"paged{n:02d}" in body}
    assert len(names) == 9
    for url in (reverse("people:sessions"), reverse("people:reviews")):
        assert hr_client.get(url, {"page": "x"}).status_code == 200, url
