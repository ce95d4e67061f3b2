"""REQ-DOC-04, REQ-DOC-06: the disposition API in the house error shape, the pages (zh-CN and en), the
document page's disposition box, and a destroyed file's download saying when and by whom."""

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from huiyi.documents.disposition import services
from huiyi.documents.disposition.models import DestructionRecord, DispositionRequest

from .conftest import api_as, file_document


def test_req_doc_06_api_request_approve_destroy_and_records(
    old, due_document, django_capture_on_commit_callbacks
):
    pm, director = old["pm"], old["director"]
    queue = api_as(pm).get("/api/v1/dispositions/queue/").json()
    assert [row["id"] for row in queue["results"]] == [due_document.pk]
    assert queue["results"][0]["open_request"] is None

    created = api_as(pm).post(
        "/api/v1/dispositions/", {"document": due_document.pk, "reason": "保存期满"}, format="json"
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["status"] == "pending"

    again = api_as(pm).post(
        "/api/v1/dispositions/", {"document": due_document.pk, "reason": "x"}, format="json"
    )
    assert again.status_code == 400 and "document" in again.json()["error"]["fields"]

    own = api_as(pm).post(f"/api/v1/dispositions/{pk}/approve/", {}, format="json")
    assert own.status_code == 400
    assert own.json()["error"]["code"] == "invalid" and "decided_by" in own.json()["error"]["fields"]

    planner = api_as(old["planner"]).post(f"/api/v1/dispositions/{pk}/approve/", {}, format="json")
    assert planner.status_code in (403, 404)
    assert "error" in planner.json()

    early = api_as(director).post(f"/api/v1/dispositions/{pk}/destroy/", {}, format="json")
    assert early.status_code == 400 and "status" in early.json()["error"]["fields"]

    approved = api_as(director).post(f"/api/v1/dispositions/{pk}/approve/", {"note": "同意"}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert approved.json()["decided_by"]

    path = due_document.current_version.file.name
    with django_capture_on_commit_callbacks(execute=True):
        destroyed = api_as(pm).post(f"/api/v1/dispositions/{pk}/destroy/", {}, format="json")
    assert destroyed.status_code == 201, destroyed.json()
    record = destroyed.json()
    assert record["document"] == due_document.pk and record["approved_by"] and record["destroyed_by"]
    assert record["files"][0]["sha256"] == due_document.current_version.sha256
    assert not default_storage.exists(path)

    listed = api_as(director).get("/api/v1/destruction-records/").json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == record["id"]
    assert api_as(old["stranger"]).get("/api/v1/destruction-records/").json()["count"] == 0

    gone = api_as(pm).get(f"/api/v1/documents/{due_document.pk}/download/")
    assert gone.status_code == 410
    assert gone.json()["error"]["code"] == "destroyed"
    assert str(old["pm"]) in gone.json()["error"]["message"]

    requests = api_as(pm).get("/api/v1/dispositions/", {"status": "executed"}).json()
    assert requests["count"] == 1 and requests["results"][0]["record"] == record["id"]
    bad = api_as(pm).get("/api/v1/dispositions/", {"status": "nonsense"})
    assert bad.status_code == 400 and "status" in bad.json()["error"]["fields"]


def test_req_doc_06_api_legal_hold_and_refusal_shape(old, due_document):
    pm = old["pm"]
    placed = api_as(pm).post(
        "/api/v1/legal-holds/",
        {"document": due_document.pk, "action": "placed", "reason": "诉讼保全"},
        format="json",
    )
    assert placed.status_code == 201 and placed.json()["action"] == "placed"
    refused = api_as(pm).post(
        "/api/v1/dispositions/", {"document": due_document.pk, "reason": "期满"}, format="json"
    )
    assert refused.status_code == 400 and "document" in refused.json()["error"]["fields"]
    events = api_as(pm).get("/api/v1/legal-holds/", {"document": due_document.pk}).json()
    assert events["count"] == 1 and events["results"][0]["reason"] == "诉讼保全"
    sign_in = file_document(old["project"], pm, doc_type="sign_in_sheet", retention_class="sign_in_records")
    denied = api_as(old["quality"]).post(  # reads the medium sign-in sheet, does not manage the project
        "/api/v1/legal-holds/",
        {"document": sign_in.pk, "action": "placed", "reason": "x"},
        format="json",
    )
    assert denied.status_code == 403 and denied.json()["error"]["code"] == "permission_denied"
    missing = api_as(pm).post("/api/v1/legal-holds/", {"document": due_document.pk}, format="json")
    assert missing.status_code == 400 and set(missing.json()["error"]["fields"]) == {"action", "reason"}


def test_req_doc_04_api_queue_bad_state_and_upcoming(old, due_document):
    api = api_as(old["pm"])
    bad = api.get("/api/v1/dispositions/queue/", {"state": "soon"})
    assert bad.status_code == 400 and "state" in bad.json()["error"]["fields"]
    upcoming = api.get("/api/v1/dispositions/queue/", {"state": "upcoming", "days": "30"}).json()
    assert upcoming["count"] == 0
    assert api_as(old["planner"]).get("/api/v1/dispositions/queue/").status_code == 403


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_req_doc_06_pages_request_approve_destroy(
    client, old, due_document, language, django_capture_on_commit_callbacks
):
    """Through the pages: the queue lists the document, the lead asks, the director approves, the lead
    destroys; the document page then says when and by whom."""
    client.cookies["django_language"] = language
    client.force_login(old["pm"])
    page = client.get(reverse("disposition:queue"), HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200
    assert due_document.title in page.content.decode()
    detail = client.get(reverse("documents:detail", args=[due_document.pk]), HTTP_ACCEPT_LANGUAGE=language)
    assert 'id="disposition"' in detail.content.decode() and 'id="request-form"' in detail.content.decode()
    response = client.post(
        reverse("disposition:request_new", args=[due_document.pk]), {"reason": "保存期满,申请销毁"}
    )
    request = DispositionRequest.objects.get()
    assert response.status_code == 302 and response.url == reverse("disposition:request", args=[request.pk])
    own = client.get(response.url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert 'id="awaiting"' in own and 'id="approve"' not in own
    client.post(reverse("disposition:approve", args=[request.pk]))
    request.refresh_from_db()
    assert request.status == DispositionRequest.Status.PENDING  # the requester cannot approve

    client.force_login(old["director"])
    seen = client.get(reverse("disposition:queue"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert 'id="to-approve"' in seen
    client.post(reverse("disposition:approve", args=[request.pk]), {"note": "同意销毁"})
    request.refresh_from_db()
    assert request.status == DispositionRequest.Status.APPROVED

    client.force_login(old["pm"])
    unconfirmed = client.post(reverse("disposition:destroy", args=[request.pk]))
    assert unconfirmed.status_code == 302 and not DestructionRecord.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("disposition:destroy", args=[request.pk]), {"confirm": "yes"})
    record = DestructionRecord.objects.get()
    assert done.url == reverse("disposition:record", args=[record.pk])
    shown = client.get(done.url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert due_document.current_version.sha256 in shown
    detail = client.get(reverse("documents:detail", args=[due_document.pk]), HTTP_ACCEPT_LANGUAGE=language)
    assert 'id="destroyed-banner"' in detail.content.decode()
    assert 'id="download-current"' not in detail.content.decode()
    download = client.get(reverse("documents:download", args=[due_document.current_version_id]), follow=True)
    text = download.content.decode()
    assert "王经理" in text and ("destroyed on" in text or "销毁" in text)
    records = client.get(reverse("disposition:records"), HTTP_ACCEPT_LANGUAGE=language)
    assert records.status_code == 200 and due_document.title in records.content.decode()


def test_req_doc_06_hold_from_the_document_page(client, old, due_document):
    client.force_login(old["pm"])
    client.post(reverse("disposition:hold", args=[due_document.pk]), {"reason": "诉讼保全"})
    due_document.refresh_from_db()
    assert due_document.legal_hold
    page = client.get(reverse("disposition:queue")).content.decode()
    assert "legal-hold" in page
    detail = client.get(reverse("documents:detail", args=[due_document.pk])).content.decode()
    assert 'id="hold-banner"' in detail and "诉讼保全" in detail and 'id="request-form"' not in detail
    client.post(reverse("disposition:release", args=[due_document.pk]), {"reason": "结案"})
    due_document.refresh_from_db()
    assert not due_document.legal_hold
    sign_in = file_document(
        old["project"], old["pm"], doc_type="sign_in_sheet", retention_class="sign_in_records"
    )
    client.force_login(old["quality"])  # reads the medium sign-in sheet, does not manage the project
    assert client.post(reverse("disposition:hold", args=[sign_in.pk]), {"reason": "x"}).status_code == 403
    sign_in.refresh_from_db()
    assert not sign_in.legal_hold


def test_req_doc_04_queue_query_count_is_bounded(client, old):
    for n in range(3):
        document = file_document(
            old["project"], old["pm"], retention_class="discussion_records", title=f"纪要 {n}"
        )
        if n == 0:
            services.request_destruction(document, by=old["director"], reason="期满")
    client.force_login(old["pm"])
    client.get(reverse("disposition:queue"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("disposition:queue"))
    for n in range(3, 12):
        document = file_document(
            old["project"], old["pm"], retention_class="discussion_records", title=f"纪要 {n}"
        )
        if n % 2:
            services.request_destruction(document, by=old["director"], reason="期满")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("disposition:queue"))
    assert len(many) <= len(few) + 3, [q["sql"] for q in many.captured_queries]
