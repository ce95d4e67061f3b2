"""The KPI dashboard in the browser (REQ-QLT-09): the quality officer opens a year in zh-CN, sees cards with
values and targets and trend charts drawn by ECharts (no console error: the CSP forbids inline scripts), a
"no data" card for a KPI without records, clicks a figure and lands on the drill-down listing the projects
counted; the English dashboard shows English labels."""

import datetime as dt

import pytest
from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import screenshot
from tests.kpis.conftest import at, result

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, username):
    page.goto("/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_load_state("networkidle")


@pytest.fixture
def year_of_meetings(make_user, make_project, org):
    officer = make_user("quality_officer", org["company"], username="qo", display_name="韩梅")
    first = make_project(
        org["north_events"],
        name="华东区经销商年会",
        start=at("2025-03-02 09:00"),
        end=at("2025-03-02 17:00"),
        code="HY-2025-0101",
    )
    second = make_project(
        org["south_events"],
        name="新品发布会",
        start=at("2025-09-15 09:00"),
        end=at("2025-09-15 17:00"),
        code="HY-2025-0102",
    )
    for rule, verdict in (("a", "pass"), ("b", "pass"), ("c", "fail")):
        result(first, rule, verdict, at("2025-03-03 10:00"))
    result(second, "a", "pass", at("2025-09-16 10:00") + dt.timedelta(hours=1))
    return officer, first, second


def test_REQ_QLT_09_quality_officer_reads_a_year_and_drills_into_the_projects_counted(page, year_of_meetings):
    """REQ-QLT-09: cards with values, targets and charts; a no-data card; the drill lists the projects."""
    _officer, first, second = year_of_meetings
    sign_in(page, "qo")
    page.goto("/kpis/?period=2025")
    page.wait_for_selector("#kpi-cards")
    assert "2025" in page.inner_text("#kpi-period-label")

    standard = page.locator('[data-kpi="standard_p"]')
    value = standard.locator('[data-drill="standard_p"]').inner_text()
    assert value.strip() == "83.3 %"  # (2/3 + 1/1) / 2 projects
    assert "目标" in standard.inner_text()  # the rulebook's target is shown on the card
    ccp = page.locator('[data-kpi="ccp_pass_rate"]')
    assert ccp.locator('[data-drill="ccp_pass_rate"]').inner_text().strip() == "75.0 %"  # 3 of 4 criteria

    # A trend chart is drawn by kpis.js (ECharts renders a canvas or an svg in the chart's box).
    page.wait_for_selector("#chart-ccp_pass_rate canvas, #chart-ccp_pass_rate svg")
    # No complaint was recorded, but the meetings count: the incident KPI has data; surveys have none.
    collection = page.locator('[data-kpi="collection_rate"]')
    assert "本期无数据" in collection.inner_text() or "无数据" in collection.inner_text()
    assert collection.get_attribute("data-verdict") == "none"
    screenshot(page, "kpis_dashboard_zh")
    assert not [e for e in page.console_errors if "Content Security Policy" in e or "Refused" in e]
    assert page.console_errors == []

    standard.locator('[data-drill="standard_p"]').click()
    page.wait_for_selector("#kpi-rows")
    assert page.url.endswith("/kpis/standard_p/?period=2025")
    rows = page.inner_text("#kpi-rows")
    assert first.code in rows and second.code in rows
    assert "66.7 %" in rows and "100.0 %" in rows  # each project's own P
    screenshot(page, "kpis_detail_zh")
    assert page.console_errors == []


def test_REQ_QLT_09_english_dashboard_shows_english_labels(browser, live_server, year_of_meetings):
    """REQ-QLT-09: the same dashboard in English reads in English (labels, no-data text)."""
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    try:
        sign_in(page, "qo")
        page.goto("/kpis/?period=2025")
        page.wait_for_selector("#kpi-cards")
        text = page.inner_text("#kpi-cards")
        assert "P — services meeting the standard" in text
        assert "Control-point pass rate" in text
        assert "No data in this period" in text
        assert "标准" not in text
        page.wait_for_selector("#chart-standard_p canvas, #chart-standard_p svg")
        screenshot(page, "kpis_dashboard_en")
        assert errors == []
    finally:
        context.close()
