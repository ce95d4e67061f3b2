"""A project manager imports the attendee list in Chinese: uploads a GBK CSV with one bad row, checks the
guessed columns, sees the dry run list the bad row, imports the others, finds an attendee, opens their badge
and the ticket page on a phone (REQ-ONS-02)."""

import io

import pytest
from pypdf import PdfReader
from tests.attendees.conftest import ROWS, csv_bytes
from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import screenshot

from huiyi.onsite.attendees.models import Attendee

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, username):
    page.goto("/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("#login-form button[type=submit]")


def test_project_manager_imports_attendees_and_prints_a_badge(
    page, make_user, make_project, org, settings, tmp_path
):
    settings.DATA_DIR = tmp_path
    unit = org["north_events"]
    pm = make_user("project_manager", unit, username="wang", display_name="王磊")
    project = make_project(unit, phase=3, name="浦江科技董事会第四次会议", members=[(pm, "project_manager")])
    sign_in(page, "wang")
    page.goto(f"/projects/{project.pk}/")
    page.click("#open-attendees")
    page.wait_for_selector("#attendee-table")
    page.click("#import-attendees")

    rows = [*ROWS, ["", "无名单位", "", "13600000000", "", "", "", "", ""]]
    page.set_input_files(
        "#id_file",
        files=[{"name": "参会名单.csv", "mimeType": "text/csv", "buffer": csv_bytes(rows, encoding="gbk")}],
    )
    page.click("#upload-submit")
    page.wait_for_selector("#mapping-form")
    assert page.locator("#id_col_name").input_value() == "0"
    assert page.locator("#id_col_phone").input_value() == "3"
    assert page.locator("#id_col_category").input_value() == "5"
    page.click("#dry-run")
    page.wait_for_selector("#import-report")
    assert page.locator("#report-created").inner_text() == "4"
    assert page.locator('#bad-rows [data-row="6"]').is_visible()
    assert "缺少姓名" in page.locator("#bad-rows").inner_text()
    screenshot(page, "attendees-import-dry-run-zh")
    assert not Attendee.objects.exists()

    page.check("#id_skip_bad_rows")
    page.click("#apply-import")
    page.wait_for_selector("#attendee-table")
    assert page.locator("#attendee-table tbody tr").count() == 4
    assert "贵宾 1" in page.locator("#category-counts").inner_text()
    screenshot(page, "attendees-list-zh")

    page.goto(f"/projects/{project.pk}/")
    page.locator("#attendees").scroll_into_view_if_needed()
    assert "贵宾 1" in page.locator("#section-category-counts").inner_text()
    page.locator("#attendees").screenshot(path=str(screenshot(page, "attendees-project-section-zh")))
    page.goto(f"/onsite/projects/{project.pk}/")
    page.wait_for_selector("#attendees-panel")
    page.locator("#attendees-panel").screenshot(path=str(screenshot(page, "attendees-cockpit-panel-zh")))
    page.goto(f"/attendees/projects/{project.pk}/")
    page.fill("#attendee-search", "李娜")
    page.click("#attendee-filter button[type=submit]")
    page.wait_for_selector("#attendee-table tbody tr[data-attendee]")
    assert page.locator("#attendee-table tbody tr").count() == 1
    page.locator("#attendee-table tbody tr a").first.click()
    page.wait_for_selector("#attendee-card")
    assert "13912345678" in page.locator("#attendee-phone").inner_text()
    assert page.locator("#ticket-qr svg").is_visible()
    screenshot(page, "attendees-detail-zh")

    badge = page.request.get(page.locator("#badge-a6").get_attribute("href"))
    assert badge.headers["content-type"] == "application/pdf"
    assert "李娜" in PdfReader(io.BytesIO(badge.body())).pages[0].extract_text()

    page.click("#issue-link")
    page.wait_for_selector("#ticket-url")
    url = page.locator("#ticket-url").input_value()
    assert not page.console_errors, page.console_errors

    phone = page.context.browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    attendee_page = phone.new_page()
    attendee_page.goto(url)
    attendee_page.wait_for_selector("#ticket-qr svg")
    assert attendee_page.locator("#ticket-name").inner_text() == "李娜"
    assert attendee_page.locator("#ticket-seat").inner_text() == "A-02"
    box = attendee_page.locator("#ticket-qr").bounding_box()
    assert box["width"] >= 250  # large enough to scan from a phone screen
    screenshot(attendee_page, "attendees-ticket-phone-zh")
    phone.close()

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/attendees/projects/{project.pk}/")
    page.wait_for_selector("#attendee-table")
    screenshot(page, "attendees-list-phone-zh")
