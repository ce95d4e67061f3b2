"""Contract actions of the contract page over the API (REQ-CON-01…05): the signed copy, closing and deleting a
contract, rejecting a change and issuing the client's link (REQ-CON-02), a breach's remedy (REQ-CON-04), the
PDF. Each: success, denial for a member without the role and for an outsider, bad input refused."""

import hashlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from huiyi.contracts import services
from huiyi.contracts.models import Breach, ChangeRequest, Contract
from huiyi.core.models import AccessLink

from .conftest import pdf_upload

pytestmark = pytest.mark.django_db


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def assert_error(response, status, field=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    if field:
        assert field in body["error"]["fields"], body


@pytest.fixture
def outsider(make_user, org):
    return make_user("project_manager", org["south_events"], username="south-pm")


@pytest.fixture
def change(team, signed):
    return services.submit_change_request(
        signed,
        by=team["pm"],
        kind="scope",
        description="增加欢迎晚宴",
        affected_at=timezone.now() + timedelta(days=10),
        cost_impact=0,
    )


@pytest.fixture
def breach(team, signed):
    return services.record_breach(
        signed,
        by=team["pm"],
        breach_class="major",
        description="服务团队未按标准配置",
        occurred_at=timezone.now(),
        responsibility="provider",
        remedy_measures="补派人员",
        remedy_deadline=timezone.localdate(),
        remedy_amount=Decimal("5000.00"),
    )


# --- the contract itself ------------------------------------------------------------------------------------


def test_REQ_CON_01_signed_copy_uploaded_with_its_checksum(team, draft):
    content = b"%PDF-1.4 contract signed by both sides"
    response = api_as(team["am"]).post(
        f"/api/v1/contracts/{draft.pk}/signed-copy/",
        {"signed_copy": pdf_upload("合同.pdf", content)},
        format="multipart",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["signed_copy_sha256"] == hashlib.sha256(content).hexdigest()
    assert body["signed_copy_size"] == len(content) and body["signed_copy_name"] == "合同.pdf"
    assert body["signed_copy_url"].endswith(f"/contracts/{draft.pk}/signed-copy/download/")


def test_signed_copy_missing_or_denied_changes_nothing(team, draft, outsider):
    url = f"/api/v1/contracts/{draft.pk}/signed-copy/"
    assert_error(api_as(team["pm"]).post(url, {}, format="multipart"), 400, "signed_copy")
    assert_error(api_as(team["planner"]).post(url, {"signed_copy": pdf_upload()}, format="multipart"), 403)
    assert_error(api_as(outsider).post(url, {"signed_copy": pdf_upload()}, format="multipart"), 404)
    draft.refresh_from_db()
    assert not draft.signed_copy


def test_REQ_CON_01_close_a_signed_contract(team, signed, draft):
    response = api_as(team["pm"]).post(f"/api/v1/contracts/{signed.pk}/close/")
    assert response.status_code == 200 and response.json()["status"] == "closed"


def test_close_refuses_a_draft_and_strangers(team, draft, outsider):
    assert_error(api_as(team["pm"]).post(f"/api/v1/contracts/{draft.pk}/close/"), 400)
    assert_error(api_as(team["planner"]).post(f"/api/v1/contracts/{draft.pk}/close/"), 403)
    assert_error(api_as(outsider).post(f"/api/v1/contracts/{draft.pk}/close/"), 404)
    draft.refresh_from_db()
    assert draft.status == Contract.Status.DRAFT


def test_REQ_CON_05_a_draft_is_deleted_a_signed_contract_is_kept(team, draft):
    assert_error(api_as(team["am"]).delete(f"/api/v1/contracts/{draft.pk}/"), 403)  # keeps, may not delete
    assert api_as(team["pm"]).delete(f"/api/v1/contracts/{draft.pk}/").status_code == 204
    assert not Contract.objects.filter(pk=draft.pk).exists()


def test_signed_contract_is_kept_for_its_retention_period(team, signed):
    response = api_as(team["pm"]).delete(f"/api/v1/contracts/{signed.pk}/")
    assert_error(response, 400)
    assert signed.retention_until.isoformat() in response.json()["error"]["fields"]["non_field_errors"][0]
    assert Contract.objects.filter(pk=signed.pk).exists()


def test_contract_payload_links_its_pdf(team, draft, client):
    body = api_as(team["pm"]).get(f"/api/v1/contracts/{draft.pk}/").json()
    assert body["pdf_url"].endswith(f"/contracts/{draft.pk}/contract.pdf")
    assert body["pdf_url_en"].endswith("?lang=en")
    client.force_login(team["pm"])
    pdf = client.get(body["pdf_url"].split("testserver", 1)[1])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


# --- change requests (REQ-CON-02/03) ------------------------------------------------------------------------


def test_REQ_CON_02_reject_a_change_with_the_reason(team, signed, change):
    url = f"/api/v1/contracts/{signed.pk}/change-requests/{change.pk}/reject/"
    response = api_as(team["director"]).post(url, {"reason": "预算不足"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "rejected" and response.json()["rejection_reason"] == "预算不足"


def test_reject_needs_a_reason_and_an_approver(team, signed, change, outsider):
    url = f"/api/v1/contracts/{signed.pk}/change-requests/{change.pk}/reject/"
    assert_error(api_as(team["pm"]).post(url, {"reason": "  "}, format="json"), 400, "reason")
    assert_error(api_as(team["pm"]).post(url, {}, format="json"), 400, "reason")
    assert_error(
        api_as(team["am"]).post(url, {"reason": "不同意"}, format="json"), 403
    )  # keeps, not approves
    assert_error(api_as(outsider).post(url, {"reason": "不同意"}, format="json"), 404)
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.PENDING


def test_REQ_CON_02_client_link_returned_once_and_confirms_for_the_client(team, signed, change, client):
    url = f"/api/v1/contracts/{signed.pk}/change-requests/{change.pk}/client-link/"
    response = api_as(team["am"]).post(url)
    assert response.status_code == 201, response.json()
    link = response.json()
    assert "/contracts/change/" in link["url"] and link["expires_at"]
    listed = api_as(team["am"]).get(f"/api/v1/contracts/{signed.pk}/change-requests/")
    assert "/contracts/change/" not in listed.content.decode()
    path = link["url"].split("testserver", 1)[1]
    assert client.post(path, {"action": "confirm", "name": "刘洋"}).status_code == 200
    change.refresh_from_db()
    assert change.client_confirmed_name == "刘洋" and change.client_channel == "link"


def test_client_link_refused_when_nothing_is_left_to_confirm_or_to_strangers(team, signed, change, outsider):
    url = f"/api/v1/contracts/{signed.pk}/change-requests/{change.pk}/client-link/"
    assert_error(api_as(team["planner"]).post(url), 403)
    assert_error(api_as(outsider).post(url), 404)
    services.record_client_confirmation(change, by=team["am"], client_name="刘洋")
    assert_error(api_as(team["am"]).post(url), 400)
    assert not AccessLink.objects.exists()


def test_client_confirmation_without_a_name_is_refused(team, signed, change):
    url = f"/api/v1/contracts/{signed.pk}/change-requests/{change.pk}/client-confirmation/"
    assert_error(api_as(team["am"]).post(url, {}, format="json"), 400, "client_name")
    change.refresh_from_db()
    assert change.client_confirmed_at is None


# --- breaches (REQ-CON-04) ----------------------------------------------------------------------------------


def test_REQ_CON_04_remedy_moves_on_to_completed(team, signed, breach):
    url = f"/api/v1/contracts/{signed.pk}/breaches/{breach.pk}/remedy/"
    progress = api_as(team["pm"]).post(url, {"remedy_status": "in_progress"}, format="json")
    assert progress.status_code == 200 and progress.json()["remedy_completed_at"] is None
    done = api_as(team["pm"]).post(url, {"remedy_status": "completed"}, format="json")
    assert done.json()["remedy_status"] == "completed" and done.json()["remedy_completed_at"]


def test_remedy_bad_status_and_denials_change_nothing(team, signed, breach, outsider):
    url = f"/api/v1/contracts/{signed.pk}/breaches/{breach.pk}/remedy/"
    assert_error(
        api_as(team["pm"]).post(url, {"remedy_status": "forgotten"}, format="json"), 400, "remedy_status"
    )
    assert_error(api_as(team["planner"]).post(url, {"remedy_status": "completed"}, format="json"), 403)
    assert_error(api_as(outsider).post(url, {"remedy_status": "completed"}, format="json"), 404)
    breach.refresh_from_db()
    assert breach.remedy_status == Breach.RemedyStatus.AGREED
