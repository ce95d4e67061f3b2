"""Contracts over the API (REQ-CON-01…04): create with payment lines, sign, change requests, breaches."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from huiyi.contracts import services
from huiyi.contracts.models import Contract

from .conftest import SCOPE, payments, pdf_upload

pytestmark = pytest.mark.django_db


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def body(total="100000.00"):
    rows = payments(Decimal(total))
    return {
        **SCOPE,
        "value": total,
        "payments": [
            {**row, "due_date": row["due_date"].isoformat(), "amount": str(row["amount"])} for row in rows
        ],
    }


def test_REQ_CON_01_create_list_patch_and_sign_through_the_api(team):
    api = api_as(team["pm"])
    url = f"/api/v1/projects/{team['project'].pk}/contracts/"
    response = api.post(url, body(), format="json")
    assert response.status_code == 201, response.json()
    contract = response.json()
    assert contract["status"] == "draft" and contract["value"] == "100000.00"
    assert len(contract["standards"]) >= 5

    bad = api.patch(f"/api/v1/contracts/{contract['id']}/", {"value": "120000.00"}, format="json")
    assert bad.status_code == 400 and "payments" in bad.json()["error"]["fields"]

    ok = api.patch(f"/api/v1/contracts/{contract['id']}/", body("120000.00"), format="json")
    assert ok.status_code == 200 and ok.json()["value"] == "120000.00"

    signed = api.post(
        f"/api/v1/contracts/{contract['id']}/sign/", {"signed_copy": pdf_upload()}, format="multipart"
    )
    assert signed.status_code == 200, signed.json()
    assert signed.json()["status"] == "signed" and len(signed.json()["signed_copy_sha256"]) == 64

    listing = api.get(url)
    assert listing.status_code == 200 and listing.json()["count"] == 1


def test_REQ_CON_02_change_request_without_affected_date_names_the_field(team, signed):
    api = api_as(team["pm"])
    response = api.post(
        f"/api/v1/contracts/{signed.pk}/change-requests/",
        {"kind": "scope", "description": "加晚宴", "cost_impact": "100.00"},
        format="json",
    )
    assert response.status_code == 400
    assert "affected_at" in response.json()["error"]["fields"]


def test_REQ_CON_02_late_change_approved_and_confirmed_amends_the_contract(team, signed):
    api = api_as(team["pm"])
    affected = timezone.now() + timedelta(hours=24)
    response = api.post(
        f"/api/v1/contracts/{signed.pk}/change-requests/",
        {
            "kind": "time",
            "description": "延长半天",
            "affected_at": affected.isoformat(),
            "extension_days": "0.5",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    change = response.json()
    assert change["is_late"] is True and Decimal(change["cost_impact"]) > 0
    approved = api.post(f"/api/v1/contracts/{signed.pk}/change-requests/{change['id']}/approve/")
    assert approved.status_code == 200 and approved.json()["approved_at"]
    confirmed = api_as(team["am"]).post(
        f"/api/v1/contracts/{signed.pk}/change-requests/{change['id']}/client-confirmation/",
        {"client_name": "刘洋"},
        format="json",
    )
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "applied"
    assert Contract.objects.get(pk=confirmed.json()["resulting_version"]).version == 2


def test_REQ_CON_04_breaches_through_the_api(team, signed):
    api = api_as(team["pm"])
    response = api.post(
        f"/api/v1/contracts/{signed.pk}/breaches/",
        {
            "breach_class": "major",
            "description": "服务团队未按标准配置",
            "occurred_at": timezone.now().isoformat(),
            "responsibility": "provider",
            "remedy_amount": "5000.00",
            "remedy_measures": "补派人员",
            "remedy_deadline": timezone.localdate().isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["rule_id"] == "con.breach.major"
    assert api.get(f"/api/v1/contracts/{signed.pk}/breaches/").json()["count"] == 1


def test_contract_api_hides_other_units_projects(team, make_user, org, signed):
    outsider = make_user("project_manager", org["south_events"], username="south-pm")
    api = api_as(outsider)
    assert api.get(f"/api/v1/contracts/{signed.pk}/").status_code == 404
    assert api.get(f"/api/v1/projects/{team['project'].pk}/contracts/").status_code == 404


def test_contract_list_query_count_is_bounded(team, signed, django_assert_max_num_queries):
    for n in range(3):
        change = services.submit_change_request(
            signed,
            by=team["pm"],
            kind="budget",
            description=f"追加 {n}",
            affected_at=timezone.now() + timedelta(days=10),
            cost_impact=Decimal("10.00"),
        )
        services.record_client_confirmation(change, by=team["am"], client_name="刘洋")
        change = services.approve_change_request(change, by=team["pm"])
        signed = change.resulting_version
    api = api_as(team["pm"])
    with django_assert_max_num_queries(15):
        response = api.get(f"/api/v1/projects/{team['project'].pk}/contracts/")
    assert response.json()["count"] == 4
    with django_assert_max_num_queries(15):
        assert api.get(f"/api/v1/contracts/{signed.pk}/change-requests/").json()["count"] == 3
