"""A project manager files the agenda in Chinese: the upload form shows the name the naming rule gives
(会议名称-日期-类型, REQ-DOC-02); the stored version carries it and keeps the original name (REQ-DOC-08)."""

import pytest
from django.utils import timezone
from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import screenshot

from huiyi.documents.models import Document

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_project_manager_files_the_agenda_by_the_naming_rule(
    page, make_user, make_project, org, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    pm = make_user("project_manager", org["north_events"], username="wang", display_name="王磊")
    project = make_project(name="华东区经销商大会", members=[(pm, "project_manager")])
    page.goto("/")
    page.fill("input[name=username]", "wang")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("nav")
    page.goto(f"/documents/projects/{project.pk}/new/")
    page.select_option("#id_doc_type", "agenda")
    day = timezone.localtime(project.start).strftime("%Y%m%d")
    assert page.locator("#suggested-name").inner_text() == f"华东区经销商大会-{day}-议程"
    upload = tmp_path / "final agenda.pdf"
    upload.write_bytes(b"%PDF-1.4\n%%EOF\n")
    page.fill("#id_title", "会议议程(定稿)")
    page.set_input_files("#id_file", str(upload))
    assert page.locator("#suggested-ext").inner_text() == ".pdf"
    screenshot(page, "documents-upload")
    page.click("#file-submit")
    page.wait_for_selector("#versions")
    document = Document.objects.get()
    assert document.current_version.name == f"华东区经销商大会-{day}-议程.pdf"
    assert document.current_version.original_filename == "final agenda.pdf"
    assert "final agenda.pdf" in page.locator("#versions").inner_text()
    screenshot(page, "documents-detail")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/documents/projects/{project.pk}/")
    page.wait_for_selector("#documents")
    screenshot(page, "documents-list-phone")
    assert page.console_errors == []
