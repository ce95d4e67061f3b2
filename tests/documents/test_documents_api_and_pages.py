"""REQ-DOC-01/02/04/07/08: the documents API (bad input → 400 naming the field), pages, downloads and logs."""

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from huiyi.documents import services
from huiyi.documents.models import AccessLog, Document

from .conftest import PDF, pdf, xlsx, xlsx_bytes


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_req_doc_01_api_create_list_version_download(team):
    api = api_as(team["pm"])
    response = api.post(
        "/api/v1/documents/",
        {"project": team["project"].pk, "doc_type": "agenda", "title": "议程", "file": pdf()},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["confidentiality"] == "high" and body["retention"]["class"] == "agenda"
    assert body["retention"]["until"] and body["retention"]["permanent"] is False
    assert body["current_version"]["original_filename"] == "agenda.pdf"
    pk = body["id"]
    response = api.post(
        f"/api/v1/documents/{pk}/versions/",
        {"file": pdf("b.pdf", PDF + b"2"), "change_note": "v2"},
        format="multipart",
    )
    assert response.status_code == 201 and response.json()["number"] == 2
    listed = api.get("/api/v1/documents/", {"project": team["project"].pk}).json()
    assert listed["count"] == 1 and listed["results"][0]["current_version"]["number"] == 2
    download = api.get(f"/api/v1/documents/{pk}/download/", {"version": 1})
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]


def test_req_doc_07_api_bad_input_400_naming_the_field(team):
    api = api_as(team["pm"])
    with translation.override("en"):
        response = api.post(
            "/api/v1/documents/",
            {
                "project": team["project"].pk,
                "doc_type": "agenda",
                "title": "议程",
                "file": pdf("x.pdf", b"not a pdf at all"),
            },
            format="multipart",
        )
    assert response.status_code == 400
    assert "file" in response.json()["error"]["fields"]
    response = api.post(
        "/api/v1/documents/",
        {"project": team["project"].pk, "doc_type": "bogus", "title": "x", "file": pdf()},
        format="multipart",
    )
    assert response.status_code == 400 and "doc_type" in response.json()["error"]["fields"]
    assert not Document.objects.exists()


def test_req_doc_07_api_very_high_download_logged_and_access_log_for_quality(team):
    services.sign_agreement(team["project"], user=team["pm"])
    content = xlsx_bytes()
    document = services.create_document(
        project=team["project"],
        doc_type="attendee_list",
        title="名单",
        upload=xlsx(content=content),
        by=team["pm"],
    )
    response = api_as(team["pm"]).get(f"/api/v1/documents/{document.pk}/download/")
    assert b"".join(response.streaming_content) == content
    assert AccessLog.objects.filter(document=document, action="download").count() == 1
    assert api_as(team["planner"]).get(f"/api/v1/documents/{document.pk}/download/").status_code == 404
    log = api_as(team["quality"]).get("/api/v1/access-log/").json()
    assert log["count"] == 1 and log["results"][0]["user"] == str(team["pm"])
    assert api_as(team["planner"]).get("/api/v1/access-log/").status_code == 403


def test_req_doc_02_pages_list_upload_detail_download(team, client):
    client.force_login(team["pm"])
    project = team["project"]
    page = client.get(reverse("documents:new", args=[project.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and services.suggested_name(project, "notice") in page.content.decode()
    response = client.post(
        reverse("documents:new", args=[project.pk]),
        {"doc_type": "agenda", "title": "议程", "trigger_kind": "meeting_end", "file": pdf()},
    )
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "documents:detail", args=[document.pk]
    )
    detail = client.get(response["Location"]).content.decode()
    assert document.current_version.name in detail and "agenda.pdf" in detail
    listing = client.get(reverse("documents:project", args=[project.pk]), {"type": "agenda"}).content.decode()
    assert document.title in listing
    assert (
        document.title
        not in client.get(reverse("documents:project", args=[project.pk]), {"type": "minutes"})
        .content.decode()
        .split('id="documents"')[1]
    )
    download = client.get(reverse("documents:download", args=[document.current_version.pk]))
    assert b"".join(download.streaming_content) == PDF
    section = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert 'id="documents-section"' in section


def test_req_doc_07_upload_form_shows_refusal_and_stores_nothing(team, client):
    client.force_login(team["pm"])
    response = client.post(
        reverse("documents:new", args=[team["project"].pk]),
        {
            "doc_type": "agenda",
            "title": "议程",
            "trigger_kind": "meeting_end",
            "file": pdf("../agenda.exe", b"MZ"),
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200 and "cannot be filed" in response.content.decode()
    assert not Document.objects.exists()


def test_req_doc_07_very_high_page_view_logged_and_log_shown(team, client):
    services.sign_agreement(team["project"], user=team["pm"])
    document = services.create_document(
        project=team["project"], doc_type="attendee_list", title="名单", upload=xlsx(), by=team["pm"]
    )
    client.force_login(team["pm"])
    page = client.get(reverse("documents:detail", args=[document.pk]), REMOTE_ADDR="10.1.2.3")
    assert 'id="access-log"' in page.content.decode() and "10.1.2.3" in page.content.decode()
    assert AccessLog.objects.filter(action="view").count() == 1
    client.force_login(team["planner"])
    assert client.get(reverse("documents:detail", args=[document.pk])).status_code == 404
    client.force_login(team["quality"])
    assert "名单" in client.get(reverse("documents:access_log")).content.decode()


@pytest.mark.parametrize("name", ["index", "access_log"])
def test_req_doc_04_pages_denied_without_role(team, client, make_user, org, name):
    client.force_login(make_user(None, org["north_events"]))
    assert client.get(reverse(f"documents:{name}")).status_code == 403
