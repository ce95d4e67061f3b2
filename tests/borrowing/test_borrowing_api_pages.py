"""REQ-DOC-05 over the API (/api/v1/borrowings/: list, create, approve, reject, hand out, return; house error
shape) and on the pages (my borrowings, awaiting my approval, a project's borrowings, borrow button)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from huiyi.documents.borrowing import services
from huiyi.documents.borrowing.models import Borrowing

from .conftest import api_as, later


def test_req_doc_05_api_request_approve_hand_out_return(lib):
    borrower = api_as(lib["finance"])
    response = borrower.post(
        "/api/v1/borrowings/",
        {
            "document": lib["agenda"].pk,
            "medium": "paper",
            "purpose": "审计抽查",
            "due_at": later(3).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["status"] == "requested"
    # the borrower cannot approve: 403 in the house shape
    denied = borrower.post(f"/api/v1/borrowings/{pk}/approve/", {}, format="json")
    assert denied.status_code == 403 and denied.json()["error"]["code"] == "permission_denied"
    lead = api_as(lib["pm"])
    assert [b["id"] for b in lead.get("/api/v1/borrowings/", {"scope": "approvals"}).json()["results"]] == [
        pk
    ]
    approved = lead.post(f"/api/v1/borrowings/{pk}/approve/", {"note": "同意"}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    keeper = api_as(lib["keeper"])
    assert keeper.post(f"/api/v1/borrowings/{pk}/hand-out/").json()["status"] == "lent"
    returned = keeper.post(f"/api/v1/borrowings/{pk}/return/")
    body = returned.json()
    assert body["status"] == "returned" and body["borrowed_at"] and body["returned_at"]
    mine = borrower.get("/api/v1/borrowings/", {"scope": "mine"}).json()
    assert mine["count"] == 1 and mine["results"][0]["decided_by"] == str(lib["pm"])


def test_req_doc_05_api_reject_needs_a_reason_and_errors_name_the_field(lib):
    b = services.request_borrowing(
        lib["agenda"], by=lib["finance"], medium="paper", purpose="x", due_at=later(2)
    )
    lead = api_as(lib["pm"])
    with translation.override("en"):
        response = lead.post(f"/api/v1/borrowings/{b.pk}/reject/", {"reason": ""}, format="json")
    assert response.status_code == 400 and "reason" in response.json()["error"]["fields"]
    response = api_as(lib["finance"]).post(
        "/api/v1/borrowings/",
        {"document": lib["agenda"].pk, "medium": "paper", "purpose": "x", "due_at": later(400).isoformat()},
        format="json",
    )
    assert response.status_code == 400 and "due_at" in response.json()["error"]["fields"]
    ok = lead.post(f"/api/v1/borrowings/{b.pk}/reject/", {"reason": "不符合借阅范围"}, format="json")
    assert ok.json()["status"] == "rejected" and ok.json()["decision_note"] == "不符合借阅范围"


def test_req_doc_05_api_others_do_not_see_a_borrowing(lib):
    b = services.request_borrowing(
        lib["agenda"], by=lib["finance"], medium="paper", purpose="x", due_at=later(2)
    )
    assert api_as(lib["stranger"]).get(f"/api/v1/borrowings/{b.pk}/").status_code == 404
    assert api_as(lib["planner"]).get("/api/v1/borrowings/").json()["count"] == 0
    assert api_as(lib["stranger"]).post(f"/api/v1/borrowings/{b.pk}/approve/").status_code == 404


def test_req_doc_05_pages_mine_approvals_project_and_bounded_queries(lib, client):
    for who in ("finance", "planner", "quality"):
        b = services.request_borrowing(
            lib["agenda"], by=lib[who], medium="paper", purpose="x", due_at=later(2)
        )
    services.approve(b, by=lib["pm"])
    client.force_login(lib["pm"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("borrowing:approvals"))
    assert response.status_code == 200 and response.content.count(b"data-borrowing=") == 2
    assert len(queries) < 20
    project = client.get(reverse("borrowing:project", args=[lib["project"].pk]))
    assert project.status_code == 200 and project.content.count(b"data-borrowing=") == 3
    client.force_login(lib["finance"])
    mine = client.get(reverse("borrowing:mine"))
    assert mine.content.count(b"data-borrowing=") == 1
    assert client.get(reverse("borrowing:project", args=[lib["project"].pk])).status_code == 403


def test_req_doc_05_page_flow_request_approve_reject(lib, client):
    client.force_login(lib["finance"])
    page = client.get(reverse("borrowing:new") + f"?document={lib['agenda'].pk}")
    assert page.status_code == 200 and "会议议程" in page.content.decode()
    fmt = "%Y-%m-%dT%H:%M"
    response = client.post(
        reverse("borrowing:new"),
        {
            "document": lib["agenda"].pk,
            "medium": "electronic",
            "purpose": "准备审计",
            "starts_at": later(0, hours=-1).strftime(fmt),
            "due_at": later(1).strftime(fmt),
        },
    )
    b = Borrowing.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("borrowing:detail", args=[b.pk])
    # the borrower has no decision form on their own request
    assert b'id="approve"' not in client.get(response["Location"]).content
    client.post(reverse("borrowing:approve", args=[b.pk]))
    assert Borrowing.objects.get().status == "requested"
    client.force_login(lib["pm"])
    assert b'id="approve"' in client.get(reverse("borrowing:detail", args=[b.pk])).content
    client.post(reverse("borrowing:approve", args=[b.pk]), {"note": "同意"})
    assert Borrowing.objects.get().status == "approved"


def test_req_doc_05_borrow_button_on_the_document_page(lib, client):
    client.force_login(lib["pm"])
    content = client.get(reverse("documents:detail", args=[lib["agenda"].pk])).content.decode()
    assert 'id="borrow-document"' in content and f"?document={lib['agenda'].pk}" in content


def test_req_doc_05_pages_in_english_and_chinese(lib, client):
    services.request_borrowing(lib["agenda"], by=lib["finance"], medium="paper", purpose="x", due_at=later(2))
    client.force_login(lib["pm"])
    zh = client.get(reverse("borrowing:approvals"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "待我审批" in zh and "纸质" in zh
    en = client.get(reverse("borrowing:approvals"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Awaiting my approval" in en and "Paper" in en


@pytest.mark.parametrize("name", ["borrowing:mine", "borrowing:approvals", "borrowing:new"])
def test_req_doc_05_pages_need_sign_in(client, name, db):
    assert client.get(reverse(name)).status_code == 302
