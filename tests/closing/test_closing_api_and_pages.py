"""Settlements and lost and found over the API (bad money → 400 naming the field), the closing page and
permissions by role (finance settles; project leads keep the site; quality reads; others are denied)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from huiyi.closing import checklist, services
from huiyi.closing.models import Invoice, LostItem, Settlement, SiteCheck


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_req_qlt_03_ccp10_settlement_api_create_read_update(team, contract):
    api = api_as(team["finance"])
    response = api.post(
        "/api/v1/settlements/", {"project": team["project"].pk, "final_amount": "100600.00"}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["contract_value"] == "100000.00" and body["value_source"] == "contract"
    assert body["final_amount"] == "100600.00" and body["deviation"] == "0.006"
    assert body["verdicts"]["settlement_deviation"] == "pass" and len(body["payments"]) == 2
    pk = body["id"]
    response = api.patch(f"/api/v1/settlements/{pk}/", {"final_amount": "102000.00"}, format="json")
    assert response.status_code == 200 and response.json()["verdicts"]["settlement_deviation"] == "fail"
    response = api.post(
        f"/api/v1/settlements/{pk}/invoices/",
        {"number": "INV-9", "amount": "102000.00", "issued_at": timezone.localdate().isoformat()},
        format="json",
    )
    assert response.status_code == 201, response.json()
    payment = body["payments"][0]
    response = api.post(
        f"/api/v1/settlements/{pk}/payments/{payment['id']}/paid/",
        {"paid_amount": payment["amount"], "paid_at": payment["due_date"]},
        format="json",
    )
    assert response.status_code == 200 and response.json()["on_time"] is True
    response = api.post(f"/api/v1/settlements/{pk}/disputes/", {"subject": "场租差价"}, format="json")
    assert response.status_code == 201
    listed = api.get(f"/api/v1/settlements/?project={team['project'].pk}").json()
    assert listed["count"] == 1 and listed["results"][0]["invoice_accuracy"] == "1"
    assert listed["results"][0]["verdicts"]["fee_dispute_count"] == "fail"


@pytest.mark.parametrize("amount", ["abc", "-5", "1.234", "NaN", "1e30"])
def test_req_qlt_03_bad_money_over_the_api_is_400_naming_the_field(team, contract, amount):
    api = api_as(team["finance"])
    with translation.override("en"):
        response = api.post(
            "/api/v1/settlements/", {"project": team["project"].pk, "final_amount": amount}, format="json"
        )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and "final_amount" in error["fields"]
    assert not Settlement.objects.exists()


def test_settlement_api_permissions(team, contract):
    project = team["project"]
    body = {"project": project.pk, "final_amount": "100000"}
    assert api_as(team["pm"]).post("/api/v1/settlements/", body, format="json").status_code == 403
    assert api_as(team["outsider"]).post("/api/v1/settlements/", body, format="json").status_code == 400
    created = api_as(team["finance"]).post("/api/v1/settlements/", body, format="json").json()
    assert api_as(team["quality"]).get(f"/api/v1/settlements/{created['id']}/").status_code == 200
    assert (
        api_as(team["quality"])
        .patch(f"/api/v1/settlements/{created['id']}/", {"note": "x"}, format="json")
        .status_code
        == 403
    )
    assert api_as(team["outsider"]).get(f"/api/v1/settlements/{created['id']}/").status_code == 404
    assert api_as(team["planner"]).get("/api/v1/settlements/").json()["count"] == 0
    duplicate = api_as(team["finance"]).post("/api/v1/settlements/", body, format="json")
    assert duplicate.status_code == 400 and "project" in duplicate.json()["error"]["fields"]


def test_req_qlt_03_ccp11_lost_and_found_api(team):
    project = team["project"]
    url = f"/api/v1/projects/{project.pk}/lost-and-found/"
    api = api_as(team["exec"])
    response = api.post(
        url,
        {
            "description": "<img src=x onerror=alert(1)> 眼镜盒",
            "found_where": "贵宾室",
            "stored_where": "前台",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["found_by"] == team["exec"].pk and response.json()["status"] == "stored"
    bad = api.post(url, {"description": "", "found_where": "贵宾室"}, format="json")
    assert bad.status_code == 400 and "description" in bad.json()["error"]["fields"]
    assert api_as(team["quality"]).get(url).json()["count"] == 1
    assert (
        api_as(team["quality"]).post(url, {"description": "x", "found_where": "y"}, format="json").status_code
        == 403
    )
    assert api_as(team["finance"]).get(url).status_code == 403
    assert LostItem.objects.count() == 1


def test_schema_has_the_closing_endpoints(team):
    response = api_as(team["finance"]).get("/api/v1/schema/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "/api/v1/settlements/" in text and "lost-and-found" in text


def test_closing_page_both_languages_and_escaping(client, team, contract):
    project = team["project"]
    services.log_lost_item(
        project,
        description="<script>alert(1)</script>",
        found_where="门厅",
        stored_where="前台",
        by=team["pm"],
    )
    client.force_login(team["pm"])
    url = reverse("closing:project", args=[project.pk])
    html = client.get(url).content.decode()
    assert (
        "遗留物品登记" in html
        and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        and "<script>alert(1)" not in html
    )
    assert 'id="settlement-form"' not in html  # the project manager reads the settlement, finance records it
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Lost and found log" in html
    client.force_login(team["finance"])
    html = client.get(url).content.decode()
    assert 'id="settlement-form"' in html and 'id="lost-form"' not in html


def test_closing_page_forms_record_and_refuse_bad_input(client, team, contract):
    project = team["project"]
    client.force_login(team["finance"])
    response = client.post(reverse("closing:settlement", args=[project.pk]), {"final_amount": "12,3.4.5"})
    assert response.status_code == 400 and not Settlement.objects.exists()
    assert "is-invalid" in response.content.decode()
    response = client.post(reverse("closing:settlement", args=[project.pk]), {"final_amount": "100,600.00"})
    assert response.status_code == 302 and str(Settlement.objects.get().final_amount) == "100600.00"
    response = client.post(
        reverse("closing:invoice_add", args=[project.pk]),
        {"number": "A1", "amount": "0", "issued_at": timezone.localdate().isoformat(), "correct": "on"},
    )
    assert response.status_code == 400 and not Invoice.objects.exists()
    client.force_login(team["pm"])
    data = {f"item_{key}": "on" for key in checklist.SITE_CHECK_KEYS}
    assert client.post(reverse("closing:site_check", args=[project.pk]), data).status_code == 302
    assert SiteCheck.objects.get().passed
    found = timezone.localtime() - timedelta(hours=1)
    response = client.post(
        reverse("closing:lost_add", args=[project.pk]),
        {"description": "笔记本电脑", "found_where": "2 号厅", "found_at": found.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 302
    assert client.post(reverse("closing:invoice_add", args=[project.pk]), {}).status_code == 403


def test_closing_page_denied_without_a_role_and_hidden_from_outsiders(client, team):
    url = reverse("closing:project", args=[team["project"].pk])
    client.force_login(team["planner"])
    assert client.get(url).status_code == 403
    client.force_login(team["outsider"])
    assert client.get(url).status_code == 404


def test_project_section_and_cockpit_panel(client, team):
    project = team["project"]
    services.record_site_check(project, results=dict.fromkeys(checklist.SITE_CHECK_KEYS, True), by=team["pm"])
    client.force_login(team["pm"])
    html = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert 'id="closing-section"' in html
    html = client.get(reverse("onsite:cockpit", args=[project.pk])).content.decode()
    assert 'id="closing-panel"' in html
