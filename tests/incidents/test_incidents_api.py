"""The incidents API (REQ-INC-01…05): create with level and ``_due`` fields, bad input, 403 for strangers."""

import pytest
from rest_framework.test import APIClient

from huiyi.incidents.models import Incident


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.django_db
def test_req_inc_02_api_create_answers_level_and_due_fields(team):
    response = _client(team["reception"]).post(
        "/api/v1/incidents/",
        {
            "project": team["project"].pk,
            "type": "equipment_failure",
            "place": "20 楼会议室",
            "impact": "投影仪无画面",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["level"] == "II"
    assert data["response_due"] and data["diagnosis_due"] and data["critical_response_due"]
    assert data["host_report_due"] is None
    assert data["chain"][0]["state"] == "paged"
    listed = _client(team["quality"]).get("/api/v1/incidents/?status=open&drill=false").json()
    assert listed["count"] == 1


@pytest.mark.django_db
def test_req_inc_02_api_bad_input_names_the_field(team):
    client = _client(team["reception"])
    response = client.post(
        "/api/v1/incidents/", {"project": team["project"].pk, "impact": "x"}, format="json"
    )
    assert response.status_code == 400
    assert {"type", "place"} <= set(response.json()["error"]["fields"])
    response = client.post(
        "/api/v1/incidents/",
        {"project": team["project"].pk, "type": "fire", "place": "   ", "impact": "x"},
        format="json",
    )
    assert response.status_code == 400 and "place" in response.json()["error"]["fields"]
    assert Incident.objects.count() == 0


@pytest.mark.django_db
def test_req_inc_01_api_level_change_without_reason_is_400(team, report):
    incident = report()
    client = _client(team["director"])
    response = client.post(f"/api/v1/incidents/{incident.pk}/level/", {"level": "I"}, format="json")
    assert response.status_code == 400 and "reason" in response.json()["error"]["fields"]
    response = client.post(
        f"/api/v1/incidents/{incident.pk}/level/", {"level": "I", "reason": "有人受伤"}, format="json"
    )
    assert response.status_code == 200 and response.json()["level"] == "I"


@pytest.mark.django_db
def test_req_inc_03_api_stranger_stopping_a_timer_is_403(team, report):
    incident = report()
    step = incident.chain.get(position=1)
    stranger = _client(team["reception"])
    response = stranger.post(f"/api/v1/incidents/{incident.pk}/clocks/diagnosis/stop/", {}, format="json")
    assert response.status_code == 403
    assert (
        "command chain" in response.json()["error"]["message"]
        or "指挥链" in response.json()["error"]["message"]
    )
    assert stranger.post(f"/api/v1/incident-chain/{step.pk}/acknowledge/").status_code == 403
    outsider = _client(team["outsider"])  # cannot even see the project
    assert outsider.post(f"/api/v1/incident-chain/{step.pk}/acknowledge/").status_code == 403
    director = _client(team["director"])
    assert director.post(f"/api/v1/incident-chain/{step.pk}/acknowledge/").json()["state"] == "acknowledged"
    response = director.post(f"/api/v1/incidents/{incident.pk}/clocks/diagnosis/stop/", {}, format="json")
    assert response.status_code == 200 and response.json()["diagnosed_at"]


@pytest.mark.django_db
def test_req_inc_05_api_releases_close_plans_and_drills(team, report):
    """REQ-INC-05: the API refuses a release without facts and records one with its channel."""
    incident = report()
    director = _client(team["director"])
    response = director.post(
        f"/api/v1/incidents/{incident.pk}/releases/", {"channel": "press", "facts": ""}, format="json"
    )
    assert response.status_code == 400 and "facts" in response.json()["error"]["fields"]
    response = director.post(
        f"/api/v1/incidents/{incident.pk}/releases/",
        {"channel": "website", "facts": "设备已更换", "progress": "会议继续"},
        format="json",
    )
    assert response.status_code == 201
    director.post(f"/api/v1/incidents/{incident.pk}/level/", {"level": "II"}, format="json")
    director.post(
        f"/api/v1/incidents/{incident.pk}/resolve/", {"resolution": "更换备用投影仪"}, format="json"
    )
    response = director.post(
        f"/api/v1/incidents/{incident.pk}/close/", {"lessons": "备用机提前开机"}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "closed"
    plans = director.get("/api/v1/response-plans/").json()
    assert plans["count"] == 9 and "review_due" in plans["results"][0]
    response = director.post(
        "/api/v1/drills/",
        {"project": team["project"].pk, "scenario_type": "fire", "scheduled_at": "2030-01-01T10:00:00+08:00"},
        format="json",
    )
    assert response.status_code == 201
    assert (
        _client(team["reception"])
        .post(
            "/api/v1/drills/",
            {
                "project": team["project"].pk,
                "scenario_type": "fire",
                "scheduled_at": "2030-01-01T10:00:00+08:00",
            },
            format="json",
        )
        .status_code
        == 403
    )
