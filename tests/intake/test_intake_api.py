"""Intake over the API: inquiries, requirements list, discrepancies (REQ-INT-01…07)."""

import pytest
from rest_framework.test import APIClient

from huiyi.projects.intake import services


@pytest.fixture
def api(manager):
    client = APIClient()
    client.force_authenticate(manager)
    return client


@pytest.fixture
def project(manager, make_project):
    return make_project(members=[(manager, "account_manager")])


def test_req_int_01_inquiry_through_the_api(api, client_org):
    response = api.post(
        "/api/v1/inquiries/",
        {"client": client_org.pk, "contact_name": "王经理", "channel": "phone", "summary": "年会"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    bad = api.post(f"/api/v1/inquiries/{pk}/steps/identify_client/", {}, format="json")
    assert bad.status_code == 400 and "credentials_note" in bad.json()["error"]["fields"]
    for step, data in [
        ("identify_client", {"credentials_note": "营业执照"}),
        ("classify_request", {"classification": "regular"}),
        ("capability_match", {"capability_ok": True}),
        ("next_appointment", {"next_appointment": "2030-01-02T10:00:00+08:00"}),
    ]:
        response = api.post(f"/api/v1/inquiries/{pk}/steps/{step}/", data, format="json")
        assert response.status_code == 200, response.json()
    body = response.json()
    assert body["next_step"] is None and all(s["done_at"] for s in body["steps"])
    converted = api.post(
        f"/api/v1/inquiries/{pk}/convert/",
        {
            "name": "年会",
            "type": "annual",
            "start": "2030-03-01T09:00:00+08:00",
            "end": "2030-03-01T18:00:00+08:00",
            "expected_attendees": 200,
        },
        format="json",
    )
    assert converted.status_code == 201, converted.json()
    listing = api.get("/api/v1/inquiries/").json()
    assert listing["count"] == 1 and listing["results"][0]["project"] == converted.json()["id"]


def test_req_int_03_requirements_put_get_and_revision_after_confirmation(api, project, manager):
    url = f"/api/v1/projects/{project.pk}/requirements/"
    assert api.get(url).status_code == 404
    payload = {
        "basic": {"expected_attendees": 150, "venue_type": "online"},
        "services": ["venue_setup", "sign_in", "tea_break"],
        "budget": "380000.00",
        "payment_schedule": "advance_balance",
        "advance_amount": "100000.00",
        "advance_due": "2030-01-10",
        "balance_amount": "280000.00",
        "balance_due": "2030-04-10",
        "payment_method": "transfer",
        "items": [{"key": "what", "text": "产品发布", "completion": "1"}, {"key": "who", "unclear": True}],
    }
    response = api.put(url, payload, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["budget"] == "380000.00" and body["basic"]["expected_attendees"] == 150
    assert body["completeness"]["index"] == "0.1429" and body["completeness"]["unclear"] == 1
    revision = project.requirement_revisions.get()
    _link, token = services.send_for_confirmation(revision, by=manager)
    services.confirm_requirements(token, name="王经理")
    assert api.get(url).json()["confirmation"]["confirmed_by"] == "王经理"
    changed = api.patch(url, {"budget": "400000.00"}, format="json").json()
    assert changed["number"] == 2 and changed["status"] == "draft" and changed["confirmation"] is None


def test_req_int_06_bad_money_is_refused_with_the_field(api, project):
    response = api.patch(f"/api/v1/projects/{project.pk}/requirements/", {"budget": "lots"}, format="json")
    assert response.status_code == 400 and "budget" in response.json()["error"]["fields"]
    assert not project.requirement_revisions.exists()


def test_req_int_07_send_link_and_discrepancies(api, project, manager, client):
    api.patch(f"/api/v1/projects/{project.pk}/requirements/", {"budget": "1000.00"}, format="json")
    sent = api.post(f"/api/v1/projects/{project.pk}/requirements/send/", {}, format="json")
    assert sent.status_code == 201
    url = sent.json()["url"]
    path = url[url.index("/intake/") :]
    client.post(path, {"action": "confirm", "confirm-name": "王经理"})
    discrepancies = f"/api/v1/projects/{project.pk}/requirements/discrepancies/"
    created = api.post(
        discrepancies, {"item": "budget_and_payment", "description": "预算写错"}, format="json"
    )
    assert created.status_code == 201, created.json()
    listing = api.get(discrepancies).json()
    assert listing["count"] == 1 and listing["results"][0]["revision"] == 1


def test_api_inquiry_list_bounded_queries(api, manager, client_org, django_assert_max_num_queries):
    for n in range(10):
        services.create_inquiry(
            by=manager, client=client_org, contact_name=f"c{n}", channel="phone", summary="s"
        )
    with django_assert_max_num_queries(25):
        assert api.get("/api/v1/inquiries/").status_code == 200


def test_req_int_01_other_unit_cannot_see_inquiries(org, make_user, manager, client_org):
    services.create_inquiry(
        by=manager, client=client_org, contact_name="x", channel="phone", summary="s", at=None
    )
    other = APIClient()
    other.force_authenticate(make_user("account_manager", org["south_events"], username="south"))
    assert other.get("/api/v1/inquiries/").json()["count"] == 0
