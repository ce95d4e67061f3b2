"""On a phone, the on-site director makes the meeting ready (REQ-INC-08, REQ-ONS-09): checks the emergency
resources, adds a contact (one tap to call), sends the contacts to the staff; the cockpit panel turns from
"not ready" to ready; then the risk register's heat map on a laptop (REQ-INC-10)."""

import pytest
from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import screenshot

from huiyi.incidents.preparedness import services

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def sign_in(page, username):
    page.goto("/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#user-menu", state="attached")


def test_director_makes_the_meeting_ready_on_a_phone(page, make_user, make_project, org):
    unit = org["north_events"]
    director = make_user("on_site_director", unit, username="zhou", display_name="周杰")
    guard = make_user("security", unit, username="wang", display_name="王刚")
    project = make_project(
        unit,
        name="浦江科技董事会",
        phase=3,
        start_in_days=1,
        members=[(director, "on_site_director"), (guard, "security")],
    )
    services.create_risk(
        project=project, title="会议室断电", likelihood=2, impact=5, trigger="断电超过 1 分钟", by=director
    )
    services.update_support_desk(hotline="400-820-1234", by=director)
    page.set_viewport_size(PHONE)
    sign_in(page, "zhou")

    page.goto(f"/onsite/projects/{project.pk}/")
    page.wait_for_selector("#preparedness-panel #resources-warning")
    assert "未就绪" in page.locator("#resources-warning").inner_text()
    page.click("#preparedness-open")
    page.wait_for_selector("#resources")

    for key in (
        "first_aid_kit",
        "fire_equipment",
        "emergency_lighting",
        "communications",
        "evacuation_signs",
    ):
        page.locator(f'[data-resource="{key}"] a.btn-primary').click()
        page.fill("#id_quantity", "2")
        page.fill("#id_location", "东门服务台")
        page.click("#resource-form button[type=submit]")
        page.wait_for_selector(f'[data-resource="{key}"][data-checked="1"]')
    assert page.locator("#resources-ready").is_visible()

    page.click("#add-contact")
    page.fill("#id_role", "现场总控")
    page.fill("#id_name", "周杰")
    page.fill("#id_phone", "abc")
    page.click("#contact-form button[type=submit]")
    page.wait_for_selector('.invalid-feedback[data-field="phone"]')
    page.fill("#id_phone", "139 1600 2001")
    page.click("#contact-form button[type=submit]")
    page.wait_for_selector("[data-contact] a.btn-call")
    assert page.locator("[data-contact] a.btn-call").get_attribute("href") == "tel:13916002001"

    page.click("#mark-posted")
    page.wait_for_selector("#contacts-posted")
    page.click("#send-contacts")
    page.wait_for_selector("#contacts-sent")
    assert "2" in page.locator(".alert-success").inner_text()
    screenshot(page, "preparedness-project-phone-zh")

    page.goto(f"/onsite/projects/{project.pk}/")
    page.wait_for_selector("#preparedness-panel")
    panel = page.locator("#preparedness-panel").inner_text()
    assert (
        "应急物资已就绪" in panel and "已张贴" in panel and "400-820-1234" in panel and "会议室断电" in panel
    )
    page.locator("#preparedness-panel").scroll_into_view_if_needed()
    screenshot(page, "preparedness-cockpit-panel-phone-zh")
    # the one refused form (the bad phone number) answers 400 on purpose; nothing else may fail
    assert [e for e in page.console_errors if "400 (Bad Request)" not in e] == []
    assert len(page.console_errors) <= 1


def test_risk_register_heat_map(page, make_user, make_project, org):
    unit = org["north_events"]
    director = make_user("on_site_director", unit, username="zhou", display_name="周杰")
    project = make_project(unit, members=[(director, "on_site_director")])
    for title, likelihood, impact in (
        ("主会场断电", 4, 5),
        ("嘉宾迟到", 4, 2),
        ("暴雨", 3, 4),
        ("物料延误", 2, 2),
    ):
        services.create_risk(project=project, title=title, likelihood=likelihood, impact=impact, by=director)
    services.create_risk(title="资料泄密", likelihood=1, impact=4, by=director)
    sign_in(page, "zhou")
    page.goto("/preparedness/risks/")
    page.wait_for_selector("#heatmap")
    assert page.locator(".heat-cell").count() == 25
    assert page.locator('.heat-cell[data-likelihood="4"][data-impact="5"]').get_attribute("data-count") == "1"
    assert "risk-l1" in page.locator('.heat-cell[data-likelihood="4"][data-impact="5"]').get_attribute(
        "class"
    )
    screenshot(page, "preparedness-risks-heatmap-zh")
    page.click('.heat-cell[data-likelihood="4"][data-impact="2"] a')
    page.wait_for_selector("#risk-table")
    rows = page.locator("#risk-table tbody tr")
    assert rows.count() == 1 and "嘉宾迟到" in rows.first.inner_text()
    page.set_viewport_size(PHONE)
    page.goto("/preparedness/risks/")
    page.wait_for_selector("#heatmap")
    screenshot(page, "preparedness-risks-heatmap-phone-zh")
    assert page.console_errors == []
