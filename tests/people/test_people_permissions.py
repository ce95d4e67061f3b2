"""Who sees and manages people's records (REQ-PPL-01, REQ-PPL-05): HR and the quality officer everyone, a
manager their units, anyone else only themselves; deny by default."""

import pytest
from django.urls import reverse

from huiyi.people import queries, services

from .conftest import D


@pytest.fixture
def c(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_req_ppl_01_visibility_by_role_and_unit(staff):
    s = staff
    everyone = {"hr", "qo", "director", "planner", "rec", "south"}
    assert set(queries.visible_staff(s["hr"]).values_list("username", flat=True)) == everyone
    assert set(queries.visible_staff(s["qo"]).values_list("username", flat=True)) == everyone
    # the director of North sees North and its departments, not South nor the company's HR
    assert set(queries.visible_staff(s["director"]).values_list("username", flat=True)) == {
        "director",
        "planner",
        "rec",
    }
    assert set(queries.visible_staff(s["planner"]).values_list("username", flat=True)) == {"planner"}


def test_req_ppl_01_pages_follow_the_rules(staff, c):
    s = staff
    south = s["south"]
    client = c(s["planner"])
    assert client.get(reverse("people:list")).status_code == 302  # to their own record
    assert client.get(reverse("people:detail", args=[s["planner"].pk])).status_code == 200
    assert client.get(reverse("people:detail", args=[south.pk])).status_code == 404
    assert client.get(reverse("people:training")).status_code == 403
    assert client.get(reverse("people:edit", args=[s["planner"].pk])).status_code == 403
    assert client.get(reverse("people:review_new", args=[south.pk])).status_code == 404

    client = c(s["director"])
    assert client.get(reverse("people:detail", args=[s["planner"].pk])).status_code == 200
    assert client.get(reverse("people:detail", args=[south.pk])).status_code == 404
    assert client.get(reverse("people:review_new", args=[s["planner"].pk])).status_code == 200
    assert client.get(reverse("people:session_new")).status_code == 403
    assert client.get(reverse("people:training")).status_code == 200

    client = c(s["hr"])
    for name in ("people:detail", "people:edit", "people:review_new"):
        assert client.get(reverse(name, args=[south.pk])).status_code == 200
    assert client.get(reverse("people:session_new")).status_code == 200


def test_req_ppl_05_review_seen_by_subject_reviewer_and_hr_acknowledged_only_by_subject(staff, c):
    s = staff
    review = services.save_review(
        s["planner"], by=s["director"], period_start=D(2026, 7, 1), period_end=D(2026, 9, 30), overall=4
    )
    url = reverse("people:review", args=[review.pk])
    assert c(s["south"]).get(url).status_code == 404
    assert c(s["reception"]).get(url).status_code == 404
    assert c(s["hr"]).get(url).status_code == 200
    client = c(s["planner"])
    assert client.get(url).status_code == 200
    # the employee may not submit their own review
    assert client.post(reverse("people:review_submit", args=[review.pk])).status_code == 403
    client = c(s["director"])
    client.post(reverse("people:review_submit", args=[review.pk]))
    review.refresh_from_db()
    assert review.status == "submitted"
    assert client.post(reverse("people:review_acknowledge", args=[review.pk])).status_code == 403
    client = c(s["planner"])
    client.post(reverse("people:review_acknowledge", args=[review.pk]), {"comment": "已阅"})
    review.refresh_from_db()
    assert review.status == "acknowledged" and review.employee_comment == "已阅"


def test_req_ppl_02_peer_feedback_by_colleagues_in_scope_not_by_oneself(staff, c):
    s = staff
    url = reverse("people:feedback", args=[s["planner"].pk])
    c(s["planner"]).post(url, {"score": 5})
    c(s["director"]).post(url, {"score": 4, "comment": "配合好"})
    assert list(s["planner"].peer_feedback_received.values_list("score", flat=True)) == [4]
    assert (
        c(s["south"]).post(reverse("people:feedback", args=[s["planner"].pk]), {"score": 1}).status_code
        == 404
    )
