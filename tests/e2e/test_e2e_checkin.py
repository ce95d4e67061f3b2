"""The scanner page on a phone (REQ-ONS-02): a keyboard-wedge scan (code + Enter) answered green with name
and seat; then the network drops — the page notices, keeps the next scan in its offline queue (amber), and
syncs it when the network is back; the board shows both check-ins and the offline scan."""

import pytest
from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import screenshot

from huiyi.onsite.attendees.models import Attendee, Ticket
from huiyi.onsite.checkin.models import CheckIn

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def ticket_for(project, name, **fields):
    attendee = Attendee.objects.create(project=project, external_key=name, name=name, **fields)
    return Ticket.objects.create(attendee=attendee, project=project)


def test_scanner_page_wedge_scan_then_offline_scan_that_syncs(
    browser, live_server, make_user, make_project, org
):
    unit = org["north_events"]
    reception = make_user("reception", unit, username="lina", display_name="李娜")
    director = make_user("on_site_director", unit, username="zhou", display_name="周总控")
    project = make_project(
        unit,
        start_in_days=0,
        phase=3,
        name="浦江科技董事会第四次会议",
        members=[(reception, "reception"), (director, "on_site_director")],
    )
    first = ticket_for(project, "陈志远", organisation="浦江科技", category="vip", seat="主席台 1 号")
    second = ticket_for(project, "王晓梅", organisation="华东证券", category="guest", seat="A-12")

    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True
    )
    page = context.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    try:
        page.goto("/")
        page.fill("input[name=username]", "lina")
        page.fill("input[name=password]", TEST_PASSWORD)
        page.click("#login-form button[type=submit]")
        page.wait_for_load_state()
        page.goto(f"/checkin/projects/{project.pk}/scan/")
        page.wait_for_selector("#code-input:focus")
        # No camera in this browser: the page says so and keeps working with the hardware scanner.
        page.click("#camera-toggle")
        page.wait_for_selector("#camera-message:not(.d-none)")
        assert page.locator("#camera-box").is_hidden()
        page.locator("#code-input").focus()

        # A hardware scanner types the code and presses Enter into the focused input.
        page.keyboard.type(first.code)
        page.keyboard.press("Enter")
        page.wait_for_selector("#result[data-result=ok]")
        assert page.locator("#result-name").inner_text() == "陈志远"
        assert "主席台 1 号" in page.locator("#result-detail").inner_text()
        assert "签到成功" in page.locator("#result-title").inner_text()
        screenshot(page, "checkin-scanner-ok-phone-zh")

        # The network drops: the page must notice and keep the scan.
        context.set_offline(True)
        page.wait_for_selector("#net-status[data-state=offline]")
        page.locator("#code-input").focus()
        page.keyboard.type(second.code)
        page.keyboard.press("Enter")
        page.wait_for_selector("#result[data-result=offline]")
        page.wait_for_selector("#queue-count[data-count='1']")
        assert "离线" in page.locator("#result-title").inner_text()
        assert not CheckIn.objects.filter(ticket=second).exists()
        screenshot(page, "checkin-scanner-offline-phone-zh")

        # Back online: the queue syncs by itself.
        context.set_offline(False)
        page.wait_for_selector("#queue-count[data-count='0']", state="attached", timeout=20_000)
        page.wait_for_selector("#net-status[data-state=online]")
        checkin = CheckIn.objects.get(ticket=second)
        assert checkin.offline and checkin.device.startswith("dev-")
        assert CheckIn.objects.filter(project=project).count() == 2
        screenshot(page, "checkin-scanner-synced-phone-zh")

        # The same code again, online: amber "already checked in".
        page.locator("#code-input").focus()
        page.keyboard.type(first.code)
        page.keyboard.press("Enter")
        page.wait_for_selector("#result[data-result=already_checked_in]")
        assert [e for e in errors if "Failed to load resource" not in e] == []
    finally:
        context.close()

    board = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    page = board.new_page()
    try:
        page.goto("/")
        page.fill("input[name=username]", "zhou")
        page.fill("input[name=password]", TEST_PASSWORD)
        page.click("#login-form button[type=submit]")
        page.wait_for_load_state()
        page.goto(f"/checkin/projects/{project.pk}/board/")
        page.wait_for_selector("#arrivals-chart svg")
        assert page.locator("#board-arrived").inner_text().startswith("2")
        assert "王晓梅" in page.locator("#offline-synced").inner_text()
        screenshot(page, "checkin-board-zh")
    finally:
        board.close()
