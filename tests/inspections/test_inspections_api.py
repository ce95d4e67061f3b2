"""The inspections API: create a round with readings, list readings, set-up/tear-down, roll-call; bad
input answers 400 naming the field and saves nothing; people who cannot see the project get 404
(REQ-ONS-01/03/04/07, REQ-PPL-04)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient
from tests.inspections.conftest import rule_of

from huiyi.onsite.inspections import services
from huiyi.onsite.inspections.models import InspectionRound, Reading, RollCall, SiteMilestone
from huiyi.quality.models import Nonconformance

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def base(project):
    return f"/api/v1/projects/{project.pk}/"


def test_req_ons_03_create_a_round_with_readings(project, rulebook, team, room, device):
    wifi, humidity, focus = (
        rule_of(rulebook, "wifi_signal_dbm"),
        rule_of(rulebook, "room_relative_humidity"),
        rule_of(rulebook, "projector_in_focus"),
    )
    response = api(team["tech"]).post(
        base(project) + "inspections/",
        {
            "room": room.pk,
            "held_at": (timezone.now() - timedelta(minutes=5)).isoformat(),
            "readings": [
                {"rule": wifi.id, "value": -72, "equipment": device.pk},
                {"rule": humidity.id, "value": "55"},
                {"rule": focus.id, "value": True},
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["room_label"] == room.name and len(body["readings"]) == 3
    by_rule = {r["rule"]: r for r in body["readings"]}
    assert by_rule[wifi.id]["passed"] is False and by_rule[wifi.id]["nonconformance"]
    assert by_rule[wifi.id]["threshold"] == -65 and by_rule[wifi.id]["value"] == "-72.0000"
    assert by_rule[humidity.id]["passed"] is True and by_rule[humidity.id]["threshold"] == [40, 60]
    assert by_rule[focus.id]["value_text"] in ("是", "Yes")
    assert Nonconformance.objects.get().pk == by_rule[wifi.id]["nonconformance"]

    listed = api(team["director"]).get(base(project) + "inspections/").json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == body["id"]
    readings = api(team["director"]).get(base(project) + "inspection-readings/?passed=false").json()
    assert [r["rule"] for r in readings["results"]] == [wifi.id]


def test_req_ons_04_bad_input_is_400_naming_the_field_and_saves_nothing(project, rulebook, team, room):
    humidity, co2 = rule_of(rulebook, "room_relative_humidity"), rule_of(rulebook, "co2_ppm")
    response = api(team["tech"]).post(
        base(project) + "inspections/",
        {"room": room.pk, "readings": [{"rule": co2.id, "value": 2000}, {"rule": humidity.id, "value": 180}]},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and list(error["fields"]) == [humidity.id]
    assert "180 %RH" in error["fields"][humidity.id][0]
    assert not InspectionRound.objects.exists() and not Reading.objects.exists()
    assert not Nonconformance.objects.exists()  # the failing CO₂ reading of the refused round opened nothing

    for payload, field in (
        ({"room": room.pk, "readings": [{"rule": co2.id}]}, "readings"),
        ({"room": room.pk, "readings": [{"rule": co2.id, "value": ["x"]}]}, "readings"),
        ({"room": room.pk, "held_at": "tomorrow"}, "held_at"),
        ({"room_name": ""}, "room_name"),
        ({"room": 999999}, "room"),
    ):
        response = api(team["tech"]).post(base(project) + "inspections/", payload, format="json")
        assert response.status_code == 400, payload
        assert field in response.json()["error"]["fields"], response.json()
    assert not InspectionRound.objects.exists()


def test_req_ons_03_add_readings_correct_and_complete(project, rulebook, team, room):
    volume, co2 = rule_of(rulebook, "volume_db"), rule_of(rulebook, "co2_ppm")
    round_ = services.record_round(project, by=team["tech"], room=room)
    client = api(team["tech"])
    response = client.post(
        base(project) + f"inspections/{round_.pk}/readings/",
        {"readings": [{"rule": volume.id, "value": 70}]},
        format="json",
    )
    assert response.status_code == 201 and response.json()["readings"][0]["passed"] is False
    reading = Reading.objects.get()
    response = client.post(
        base(project) + f"inspection-readings/{reading.pk}/correct/", {"value": 90}, format="json"
    )
    assert response.status_code == 400 and "reason" in response.json()["error"]["fields"]
    response = client.post(
        base(project) + f"inspection-readings/{reading.pk}/correct/",
        {"value": 90, "reason": "调整功放增益后复测"},
        format="json",
    )
    assert response.status_code == 201 and response.json()["corrects"] == reading.pk
    live = client.get(base(project) + "inspection-readings/?live=true").json()["results"]
    assert [r["value"] for r in live] == ["90.0000"]
    assert client.post(base(project) + f"inspections/{round_.pk}/complete/").status_code == 200
    response = client.post(
        base(project) + f"inspections/{round_.pk}/readings/",
        {"readings": [{"rule": co2.id, "value": 700}]},
        format="json",
    )
    assert response.status_code == 400 and "round" in response.json()["error"]["fields"]


def test_req_ons_03_items_come_from_the_rulebook(project, team):
    items = api(team["tech"]).get(base(project) + "inspection-items/").json()
    wifi = next(i for i in items if i["metric"] == "wifi_signal_dbm")
    assert wifi["threshold"] == -65 and wifi["unit"] == "dBm" and wifi["section"] == "network"
    assert "network" in wifi["equipment_categories"]


def test_req_ons_01_milestones_over_the_api(project, rulebook, team):
    client = api(team["director"])
    response = client.post(base(project) + "site-milestones/", {"milestone": "setup_done"}, format="json")
    assert response.status_code == 201 and response.json()["passed"] is True  # 3 h before the start
    response = client.post(base(project) + "site-milestones/", {"milestone": "setup_done"}, format="json")
    assert response.status_code == 400 and "reason" in response.json()["error"]["fields"]
    response = client.post(base(project) + "site-milestones/", {"milestone": "nap"}, format="json")
    assert response.status_code == 400 and "milestone" in response.json()["error"]["fields"]
    assert SiteMilestone.objects.count() == 1
    assert client.get(base(project) + "site-milestones/").json()["count"] == 1


def test_req_ppl_04_roll_call_over_the_api(project, team):
    response = api(team["planner"]).post(base(project) + "roll-call/", {}, format="json")
    assert response.status_code == 201 and response.json()["user"] == team["planner"].pk
    assert api(team["planner"]).post(base(project) + "roll-call/", {}, format="json").status_code == 200
    response = api(team["planner"]).post(
        base(project) + "roll-call/", {"user": team["rec"].pk}, format="json"
    )
    assert response.status_code == 403
    response = api(team["director"]).post(
        base(project) + "roll-call/", {"user": team["rec"].pk}, format="json"
    )
    assert response.status_code == 201 and response.json()["passed"] is True
    roster = api(team["planner"]).get(base(project) + "roll-call/").json()
    assert roster["count"] == 4 and sum(1 for r in roster["results"] if r["checked_in_at"]) == 2
    assert RollCall.objects.count() == 2


def test_req_ons_03_people_who_cannot_see_the_project_get_404(project, rulebook, team):
    client = api(team["outsider"])
    assert client.get(base(project) + "inspections/").status_code == 404
    assert client.get(base(project) + "roll-call/").status_code == 404
    response = client.post(
        base(project) + "inspections/",
        {"room_name": "X", "readings": [{"rule": rule_of(rulebook, "co2_ppm").id, "value": 500}]},
        format="json",
    )
    assert response.status_code == 404
    # a team member whose role may not record readings is refused
    response = api(team["planner"]).post(base(project) + "inspections/", {"room_name": "X"}, format="json")
    assert response.status_code == 403
    assert not InspectionRound.objects.exists()


def test_round_list_query_count_is_bounded(project, rulebook, team, room):
    items = [rule_of(rulebook, m) for m in ("co2_ppm", "volume_db", "wifi_signal_dbm")]
    for _n in range(3):
        services.record_round(
            project, by=team["tech"], room=room, readings=[{"rule": r.id, "value": r.value} for r in items]
        )
    client = api(team["director"])
    client.get(base(project) + "inspections/")
    with CaptureQueriesContext(connection) as few:
        client.get(base(project) + "inspections/")
    for _n in range(5):
        services.record_round(
            project, by=team["tech"], room=room, readings=[{"rule": r.id, "value": r.value} for r in items]
        )
    with CaptureQueriesContext(connection) as many:
        assert client.get(base(project) + "inspections/").json()["count"] == 8
    assert len(many) == len(few)
