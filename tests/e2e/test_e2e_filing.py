"""The lead files the meeting's outputs now and downloads one from the project's documents page
(issue 8; REQ-DOC-01, REQ-QLT-01, CCP 11): the outputs checklist lists the filed output with its version,
the missing ones with their due date, and a click downloads the filed PDF."""

import pytest
from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import screenshot

from huiyi.documents.models import Document
from huiyi.incidents import services as incidents

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_req_doc_01_documents_page_lists_filed_outputs_and_downloads_one(
    page, make_user, make_project, org, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    pm = make_user("project_manager", org["north_events"], username="wang", display_name="王磊")
    onsite = make_user("on_site_director", org["north_events"], username="li")
    project = make_project(
        name="华东区经销商大会",
        start_in_days=-2,
        members=[(pm, "project_manager"), (onsite, "on_site_director")],
    )
    incidents.confirm_no_incident(project, by=onsite, note="会议平稳")  # the hook files it after the commit
    assert Document.objects.filter(project=project, doc_type="incident_report").count() == 1

    page.goto("/")
    page.fill("input[name=username]", "wang")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("nav")
    page.goto(f"/documents/projects/{project.pk}/")
    page.wait_for_selector("#phase-outputs")
    page.click("#file-outputs")
    page.wait_for_selector("#phase-outputs")
    row = page.locator('tr[data-output="incident_report"]')
    assert "output-present" in row.get_attribute("class")
    assert "突发事件处理报告.pdf" in row.inner_text()
    assert "output-missing" in page.locator('tr[data-output="meeting_plan"]').get_attribute("class")
    screenshot(page, "filing-outputs")
    with page.expect_download() as info:
        row.locator("a.download-output").click()
    download = info.value
    assert download.suggested_filename.endswith("-突发事件处理报告.pdf")
    assert download.path().read_bytes()[:5] == b"%PDF-"
    assert Document.objects.filter(project=project, doc_type="incident_report").count() == 1
    assert page.console_errors == []
