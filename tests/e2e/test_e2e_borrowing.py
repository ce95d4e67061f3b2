"""REQ-DOC-05 in the browser: an outsider asks to borrow a document electronically, the meeting's lead
approves, the borrower reads it; another user's use of the same download link is refused."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import screenshot

from huiyi.documents import services as documents
from huiyi.documents.borrowing.models import Borrowing

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def login(page, username):
    page.context.clear_cookies()
    page.goto("/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("nav")


def test_request_approve_read(page, make_user, make_project, org, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    unit = org["north_events"]
    pm = make_user("project_manager", unit, username="wang", display_name="王磊")
    make_user("finance", unit, username="liu", display_name="刘芳")
    make_user("finance", unit, username="zhang", display_name="张伟")
    project = make_project(name="华东区经销商大会", members=[(pm, "project_manager")])
    agenda = documents.create_document(
        project=project,
        doc_type="agenda",
        title="会议议程",
        upload=SimpleUploadedFile("agenda.pdf", PDF),
        by=pm,
    )
    login(page, "liu")
    page.goto(f"/borrowing/new/?document={agenda.pk}")
    page.select_option("#id_medium", "electronic")
    page.fill("#id_purpose", "结算前核对会议议程")
    start = page.eval_on_selector("#id_starts_at", "e => e.value")  # the form proposes now
    due = (dt.datetime.fromisoformat(start) + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    page.fill("#id_due_at", due)
    screenshot(page, "borrowing-request")
    page.click("#borrow-submit")
    page.wait_for_selector("#facts")
    borrowing = Borrowing.objects.get()
    assert page.locator("[data-state=requested]").count() == 1
    assert page.locator("#approve").count() == 0  # the borrower does not decide

    login(page, "wang")
    page.goto("/borrowing/approvals/")
    assert page.locator(f"[data-borrowing='{borrowing.pk}']").count() == 1
    screenshot(page, "borrowing-approvals")
    page.click(f"[data-borrowing='{borrowing.pk}'] a")
    page.fill("#id_note", "同意")
    page.click("#approve")
    page.wait_for_selector("[data-state=open]")

    login(page, "liu")
    page.goto(f"/borrowing/{borrowing.pk}/")
    page.click("#open-document")
    page.wait_for_selector("#versions")
    assert page.locator("#borrowed-until").count() == 1
    screenshot(page, "borrowing-document")
    link = page.locator("#download-current").get_attribute("href")
    assert page.request.get(link).status == 200

    login(page, "zhang")
    assert page.request.get(link).status == 404
    assert page.console_errors == []
