"""REQ-FBK-06 over the API: create with project, channel, severity (serious|normal) and content; the answer
carries created_at, response_due and resolution_due; actions; bad input → 400 naming the field."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from huiyi.feedback.complaints.models import Complaint

pytestmark = pytest.mark.django_db

LIST = "api:complaint-list"


def _api(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def assert_error(response, status, field=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    if field:
        assert field in body["error"]["fields"], body


def _payload(team, **extra):
    data = {
        "project": team["project"].pk,
        "channel": "email",
        "severity": "serious",
        "content": "会议资料缺页",
    }
    data.update(extra)
    return data


def test_req_fbk_06_api_create_answers_with_the_due_times(team):
    response = _api(team["am"]).post(reverse(LIST), _payload(team), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert {"created_at", "response_due", "resolution_due", "reference"} <= set(body)
    assert body["severity"] == "serious" and body["severity_level"] == "serious" and body["source"] == "api"
    assert body["response_due"] < body["resolution_due"]
    normal = _api(team["am"]).post(reverse(LIST), _payload(team, severity="normal"), format="json").json()
    assert normal["severity"] == "normal" and normal["severity_level"] == "minor"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"severity": "urgent"}, "severity"),
        ({"channel": "fax"}, "channel"),
        ({"content": ""}, "content"),
        ({"content": None}, "content"),
        ({"project": 999999}, "project"),
        ({"complainant_email": "nope"}, "complainant_email"),
        ({"received_at": "yesterday"}, "received_at"),
    ],
)
def test_req_fbk_06_api_bad_input_names_the_field(team, change, field):
    assert_error(_api(team["am"]).post(reverse(LIST), _payload(team, **change), format="json"), 400, field)
    assert not Complaint.objects.exists()


def test_req_fbk_06_api_refuses_a_project_one_cannot_see(team, make_user, org):
    outsider = make_user("project_manager", org["south_events"], username="outsider")
    assert_error(_api(outsider).post(reverse(LIST), _payload(team), format="json"), 400, "project")


def test_req_fbk_06_api_actions_and_list(team):
    api = _api(team["am"])
    pk = api.post(reverse(LIST), _payload(team), format="json").json()["id"]
    assert (
        api.post(
            reverse("api:complaint-acknowledge", args=[pk]), {"note": "已回复"}, format="json"
        ).status_code
        == 200
    )
    assert_error(api.post(reverse("api:complaint-pause", args=[pk]), {}, format="json"), 400, "reason")
    body = api.post(reverse("api:complaint-pause", args=[pk]), {"reason": "等客户"}, format="json").json()
    assert body["status"] == "waiting" and body["resolution_due"] is None
    body = api.post(reverse("api:complaint-resume", args=[pk]), {}, format="json").json()
    assert body["status"] == "in_progress" and body["resolution_due"]
    assert_error(api.post(reverse("api:complaint-close", args=[pk]), {}, format="json"), 400, "status")
    api.post(reverse("api:complaint-resolve", args=[pk]), {"resolution": "补发资料"}, format="json")
    assert_error(
        api.post(reverse("api:complaint-close", args=[pk]), {}, format="json"), 400, "confirmed_by_name"
    )
    body = api.post(
        reverse("api:complaint-close", args=[pk]),
        {"no_confirmation_reason": "客户已出国，无法联系"},
        format="json",
    ).json()
    assert body["status"] == "closed"
    first = api.post(reverse("api:complaint-raise-nonconformance", args=[pk]), format="json")
    again = api.post(reverse("api:complaint-raise-nonconformance", args=[pk]), format="json")
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["nonconformance"] == again.json()["nonconformance"]
    listing = api.get(reverse(LIST), {"project": team["project"].pk}).json()
    assert listing["count"] == 1 and set(listing) == {"count", "next", "previous", "results"}
    assert_error(api.get(reverse(LIST), {"state": "bogus"}), 400, "state")


def test_req_fbk_06_api_permissions(team, make_user, org):
    pk = _api(team["am"]).post(reverse(LIST), _payload(team), format="json").json()["id"]
    outsider = make_user("project_manager", org["south_events"], username="outsider")
    assert _api(outsider).get(reverse("api:complaint-detail", args=[pk])).status_code == 404
    reception = _api(team["rec"])
    assert reception.get(reverse("api:complaint-detail", args=[pk])).status_code == 200
    assert (
        reception.post(
            reverse("api:complaint-escalate", args=[pk]), {"reason": "x"}, format="json"
        ).status_code
        == 403
    )
    assert APIClient().get(reverse(LIST)).status_code == 401
