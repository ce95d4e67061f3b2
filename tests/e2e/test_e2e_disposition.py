"""REQ-DOC-06 in the browser: the project manager asks to destroy minutes whose retention ended (REQ-DOC-04),
cannot approve it himself, the project director approves, the manager destroys; the stored file is gone and
the document page says when and by whom (screenshots in Chinese)."""

import pytest
from django.core.files.storage import default_storage
from tests.conftest import TEST_PASSWORD
from tests.disposition import conftest as disposition
from tests.disposition.conftest import file_document
from tests.e2e.conftest import screenshot

from huiyi.documents.disposition.models import DestructionRecord

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

old = disposition.old  # the meeting that ended long ago, its lead and director (tests/disposition)


def _login(page, username):
    page.context.clear_cookies()
    page.goto("/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("nav")


def test_req_doc_06_request_approve_destroy_in_the_browser(page, old):
    document = file_document(
        old["project"], old["pm"], retention_class="discussion_records", title="第一次筹备会纪要"
    )
    path = document.current_version.file.name

    _login(page, "pm")
    page.goto("/disposition/")
    page.wait_for_selector("#queue")
    assert "第一次筹备会纪要" in page.locator("#queue").inner_text()
    screenshot(page, "disposition-queue")
    page.goto(f"/documents/{document.pk}/")
    page.click("#ask-destroy")
    page.fill("#request-form textarea[name=reason]", "讨论记录保存期满三年,申请销毁。")
    page.click("#request-submit")
    page.wait_for_selector("#request-status")
    assert page.locator("#awaiting").is_visible()
    assert page.locator("#approve").count() == 0  # the requester cannot approve

    _login(page, "director")
    page.goto("/disposition/")
    page.wait_for_selector("#to-approve")
    page.click("#to-approve a")
    page.wait_for_selector("#decision-form")
    page.fill("#decision-form textarea[name=note]", "同意。")
    screenshot(page, "disposition-approve")
    page.click("#approve")
    page.wait_for_selector("#decided-by")

    _login(page, "pm")
    request_id = document.disposition_requests.get().pk
    page.goto(f"/disposition/requests/{request_id}/")
    page.check("#confirm")
    page.click("#destroy")
    page.wait_for_selector("#record-files")
    screenshot(page, "disposition-record")
    record = DestructionRecord.objects.get()
    assert record.approved_by == old["director"] and record.destroyed_by == old["pm"]
    assert not default_storage.exists(path)
    page.goto(f"/documents/{document.pk}/")
    banner = page.locator("#destroyed-banner").inner_text()
    assert "王经理" in banner
    assert page.locator("#download-current").count() == 0
    screenshot(page, "disposition-document-destroyed")
    assert page.console_errors == []
