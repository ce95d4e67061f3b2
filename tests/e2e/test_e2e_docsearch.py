"""A project manager uploads the meeting notice (DOCX) and finds it by a word inside the file, in Chinese and
English (REQ-DOC-01 scope searchable; REQ-DOC-08 the current version is what is found)."""

import pytest
from tests.conftest import TEST_PASSWORD
from tests.docsearch.conftest import docx_bytes
from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_req_doc_01_upload_then_find_by_a_word_inside_the_file(
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
    page.select_option("#id_doc_type", "notice")
    upload = tmp_path / "notice.docx"
    content = docx_bytes("请各位参会代表于报到当日领取胸卡。", "Shuttle buses leave the hotel at 8:00.")
    upload.write_bytes(content)
    page.fill("#id_title", "参会通知")
    page.select_option("#id_retention_class", "internal_management_document")
    page.set_input_files("#id_file", str(upload))
    page.click("#file-submit")
    page.wait_for_selector("#versions")

    page.goto("/documents/")
    page.fill("#documents-search input[name=q]", "领取胸卡")
    page.press("#documents-search input[name=q]", "Enter")
    page.wait_for_selector("#search-results")
    results = page.locator("#search-results")
    assert "参会通知" in results.inner_text()
    assert page.locator("#search-results mark").first.inner_text() == "领取胸卡"
    screenshot(page, "docsearch-results-zh")

    page.fill("#search-q", "shuttle")
    page.click("#search-submit")
    page.wait_for_selector("#search-count")
    assert "参会通知" in page.locator("#search-results").inner_text()
    page.fill("#search-q", "不存在的词语")
    page.click("#search-submit")
    page.wait_for_selector("#search-empty")
    page.set_viewport_size({"width": 390, "height": 844})
    page.fill("#search-q", "胸卡")
    page.click("#search-submit")
    page.wait_for_selector("#search-results mark")
    screenshot(page, "docsearch-results-phone")
    assert page.console_errors == []
