"""Contract pages, the client link page and the PDF (REQ-CON-01…05)."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from huiyi.contracts import services
from huiyi.contracts.models import ChangeRequest, Contract

from .conftest import SCOPE

pytestmark = pytest.mark.django_db


def form_data(value="100000.00", amounts=("50000.00", "50000.00"), standards=5):
    data = {
        **SCOPE,
        "number": "",
        "title": "",
        "client_representative": "刘洋",
        "value": value,
        "acceptance_basis": "按合同质量标准逐项验收",
        "payments-TOTAL_FORMS": str(len(amounts)),
        "payments-INITIAL_FORMS": "0",
        "payments-MIN_NUM_FORMS": "1",
        "payments-MAX_NUM_FORMS": "1000",
        "standards-TOTAL_FORMS": str(standards),
        "standards-INITIAL_FORMS": "0",
        "standards-MIN_NUM_FORMS": "0",
        "standards-MAX_NUM_FORMS": "1000",
    }
    for index, amount in enumerate(amounts):
        data[f"payments-{index}-name"] = f"第{index + 1}期"
        data[f"payments-{index}-due_date"] = (
            timezone.localdate() + timedelta(days=10 * (index + 1))
        ).isoformat()
        data[f"payments-{index}-amount"] = amount
    for index in range(standards):
        data[f"standards-{index}-acceptance_point"] = f"验收要点 {index}"
    return data


def test_REQ_CON_01_manager_drafts_a_contract_in_the_browser_form(client, team):
    client.force_login(team["pm"])
    url = reverse("contracts:create", args=[team["project"].pk])
    page = client.get(url)
    assert page.status_code == 200 and "con.quality" not in page.content.decode()
    standards = len(services.standards_from_rulebook(team["project"]))
    bad = client.post(url, form_data(amounts=("50000.00", "40000.00"), standards=standards))
    assert bad.status_code == 200 and 'data-field="payments"' in bad.content.decode()
    assert not Contract.objects.exists()
    response = client.post(url, form_data(standards=standards))
    contract = Contract.objects.get()
    assert response.status_code == 302 and response.url == reverse("contracts:detail", args=[contract.pk])
    assert contract.standards.first().acceptance_point == "验收要点 0"
    detail = client.get(response.url)
    assert detail.status_code == 200
    project_page = client.get(reverse("projects:detail", args=[team["project"].pk])).content.decode()
    assert 'id="contract-section"' in project_page and contract.number in project_page


def test_REQ_CON_02_missing_affected_date_is_named_in_the_form(client, team, signed):
    client.force_login(team["pm"])
    response = client.post(
        reverse("contracts:change_create", args=[signed.pk]),
        {"kind": "scope", "description": "加晚宴", "cost_impact": "100"},
    )
    assert 'data-field="affected_at"' in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_REQ_CON_02_client_link_page_confirms_once(client, team, signed):
    change = services.submit_change_request(
        signed,
        by=team["pm"],
        kind="budget",
        description="增加茶歇",
        affected_at=timezone.now() + timedelta(days=10),
        cost_impact=Decimal("500.00"),
    )
    services.approve_change_request(change, by=team["pm"])
    token = services.issue_client_link(change, by=team["pm"])
    url = reverse("contracts:client_change", args=[token])
    page = client.get(url)
    assert page.status_code == 200 and "增加茶歇" in page.content.decode()
    done = client.post(url, {"action": "confirm", "name": "刘洋"})
    assert done.status_code == 200 and 'id="client-change-done"' in done.content.decode()
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.APPLIED and change.client_channel == "link"
    again = client.post(url, {"action": "confirm", "name": "刘洋"})
    assert again.status_code == 410
    assert Contract.objects.filter(project=team["project"]).count() == 2


def test_REQ_CON_01_pdf_in_chinese_and_english(client, team, signed):
    client.force_login(team["pm"])
    zh = client.get(reverse("contracts:pdf", args=[signed.pk]) + "?lang=zh-hans")
    assert zh["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(zh.content)).pages)
    assert "会议服务合同" in text and "服务范围" in text and "付款计划" in text and "音视频设备故障率" in text
    en = client.get(reverse("contracts:pdf", args=[signed.pk]) + "?lang=en")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(en.content)).pages)
    assert "Meeting services contract" in text and "Payment schedule" in text


def test_contract_pages_are_hidden_from_other_units(client, team, signed, make_user, org):
    outsider = make_user("project_manager", org["south_events"], username="south-pm")
    client.force_login(outsider)
    assert client.get(reverse("contracts:detail", args=[signed.pk])).status_code == 404
    assert client.get(reverse("contracts:pdf", args=[signed.pk])).status_code == 404
