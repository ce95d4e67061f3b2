"""/api/v1/staff/ and /api/v1/trainings/ (REQ-PPL-01, REQ-PPL-03): visibility, creating a session, recording
attendance and scores, the house error shape."""

import pytest
from rest_framework.test import APIClient

from .conftest import D


@pytest.fixture
def api():
    def as_user(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return as_user


def test_req_ppl_01_staff_list_is_what_the_user_sees(staff, api):
    names = lambda r: {row["username"] for row in r.json()["results"]}  # noqa: E731
    assert names(api(staff["hr"]).get("/api/v1/staff/")) == {
        "hr",
        "qo",
        "director",
        "planner",
        "rec",
        "south",
    }
    assert names(api(staff["director"]).get("/api/v1/staff/")) == {"director", "planner", "rec"}
    assert names(api(staff["planner"]).get("/api/v1/staff/")) == {"planner"}
    assert api(staff["planner"]).get(f"/api/v1/staff/{staff['south'].pk}/").status_code == 404
    row = api(staff["hr"]).get(f"/api/v1/staff/{staff['planner'].pk}/").json()
    assert row["memberships"][0]["role"] == "planner" and row["certifications"] == []


def test_req_ppl_03_create_session_and_record_scores_over_the_api(plan, api):
    hr = api(plan["hr"])
    created = hr.post(
        "/api/v1/trainings/",
        {"module": "communication", "held_on": "2026-07-10", "trainer": "陈静", "method": "workshop"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["pass_mark"] == "80.00"
    bad = hr.post(
        f"/api/v1/trainings/{pk}/attendance/", {"rows": [{"user": 999999, "score": 80}]}, format="json"
    )
    assert bad.status_code == 400 and set(bad.json()["error"]) == {"code", "message", "fields"}
    rows = [{"user": plan["planner"].pk, "score": "90"}, {"user": plan["reception"].pk, "score": "70"}]
    done = hr.post(f"/api/v1/trainings/{pk}/attendance/", {"rows": rows}, format="json")
    assert done.status_code == 200
    assert sorted(a["passed"] for a in done.json()["attendances"]) == [False, True]
    listed = hr.get("/api/v1/trainings/?module=communication&start=2026-07-01&end=2026-08-01").json()
    assert listed["count"] == 1
    bad_date = hr.get("/api/v1/trainings/?start=July")
    assert bad_date.status_code == 400 and "start" in bad_date.json()["error"]["fields"]


def test_req_ppl_03_only_hr_and_quality_record_training(plan, api):
    response = api(plan["planner"]).post(
        "/api/v1/trainings/",
        {
            "module": "communication",
            "held_on": D(2026, 7, 10).isoformat(),
            "trainer": "x",
            "method": "lecture",
        },
        format="json",
    )
    assert response.status_code == 403 and response.json()["error"]["code"] == "permission_denied"
    unknown = api(plan["qo"]).post(
        "/api/v1/trainings/",
        {"module": "juggling", "held_on": "2026-07-10", "trainer": "x", "method": "lecture"},
        format="json",
    )
    assert unknown.status_code == 400 and "module" in unknown.json()["error"]["fields"]
