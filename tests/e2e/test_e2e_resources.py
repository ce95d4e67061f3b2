"""A project manager calculates resources, applies the proposal, books a room and a projector, is refused a
double booking and uploads a confirmation letter — in Chinese (REQ-RES-01…05, CCP-04)."""

from decimal import Decimal

import pytest
from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import ARTIFACTS

from huiyi.resources import services
from huiyi.resources.models import Booking, ResourceProposal

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def screenshot(page, name: str):
    """Like the shared helper, but Playwright must not hide the caret: it would write inline styles, which the
    Content Security Policy blocks (reported as a console error)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True, caret="initial")
    return path


def sign_in(page, username):
    page.goto("/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("h1")


def test_calculate_apply_book_refuse_and_confirm(page, make_user, make_project, org, tmp_path):
    manager = make_user("project_manager", org["north_events"], username="yang", display_name="杨帆")
    project = make_project(
        phase=2, name="医学影像学术年会", members=[(manager, "project_manager")], expected_attendees=200
    )
    other = make_project(phase=2, name="经销商大会", members=[(manager, "project_manager")])
    venue = services.create_venue(name="上海国际会议中心", city="上海", address="滨江大道 2727 号")
    services.add_room(
        venue, name="黄浦厅", area_m2=Decimal("800"), capacities={"theatre": 500, "banquet": 300}
    )
    busy = services.add_room(venue, name="明珠厅", area_m2=Decimal("400"), capacities={"theatre": 300})
    services.register_equipment(
        name="激光投影仪",
        category="projector",
        serial_number="PJ-001",
        ccc_certified=True,
        ccc_certificate_no="C-1",
    )
    services.book(other, by=manager, kind="venue", room=busy, starts_at=project.start, ends_at=project.end)

    sign_in(page, "yang")
    page.goto(f"/projects/{project.pk}/")
    page.click("#resources-link")
    page.click("#open-calculator")
    page.wait_for_selector("#calculator-form")
    assert "资源" in page.locator("h1").inner_text() or "Resource" in page.locator("h1").inner_text()
    page.fill("input[name=attendees]", "200")
    page.select_option("select[name=layout]", "theatre")
    page.check("input[name=tiers][value=standard]")
    page.wait_for_selector('#calc-result [data-key="projectors"]')
    page.wait_for_function(
        "document.querySelector('#calc-result [data-key=floor_area_m2]').textContent.includes('300')"
    )
    assert page.locator('#calc-result [data-key="tea_break_sets"]').inner_text() == "4"
    screenshot(page, "resources-calculator-zh")

    page.fill("input[name=attendees]", "-3")
    page.wait_for_selector('#calc-result [data-field="attendees"]')
    page.fill("input[name=attendees]", "200")
    page.wait_for_selector('#calc-result [data-key="projectors"]')
    page.select_option("select[name=project]", str(project.pk))
    page.click("#apply-proposal")
    page.wait_for_selector("#booking-form")
    assert ResourceProposal.objects.filter(project=project).count() == 1
    assert "300" in page.locator("#proposal").inner_text()

    # the busy room is refused with a clear message naming the clash
    page.select_option("#booking-form select[name=kind]", "venue")
    page.select_option("#booking-form select[name=room]", str(busy.pk))
    page.click("#book")
    refusal = page.wait_for_selector('[data-field="room"]')
    assert "明珠厅" in refusal.inner_text() and other.code in refusal.inner_text()
    screenshot(page, "resources-double-booking-zh")

    page.select_option("#booking-form select[name=room]", label="上海国际会议中心 · 黄浦厅")
    page.select_option("#booking-form select[name=layout]", "theatre")
    page.click("#book")
    page.wait_for_selector("#booking-table [data-booking]")
    page.select_option("#booking-form select[name=kind]", "equipment")
    page.select_option("#booking-form select[name=equipment]", label="激光投影仪 (PJ-001)")
    page.click("#book")
    page.wait_for_function("document.querySelectorAll('#booking-table [data-booking]').length === 2")
    assert Booking.objects.filter(project=project).count() == 2

    letter = tmp_path / "确认函.pdf"
    letter.write_bytes(b"%PDF-1.4 confirmation letter")
    first = page.locator("#booking-table [data-booking]").first
    first.locator("input[type=file]").set_input_files(str(letter))
    first.locator("button.confirm-booking").click()
    page.wait_for_selector("#booking-table .badge.text-bg-success")
    assert Booking.objects.filter(project=project, confirmed=True).count() == 1
    screenshot(page, "resources-bookings-zh")
    page.goto(f"/projects/{project.pk}/")
    section = page.wait_for_selector("#resources-summary")
    assert "2" in section.inner_text()
    page.locator("#section-resources").screenshot(
        path=str(ARTIFACTS / "resources-project-page-zh.png"), caret="initial"
    )
    assert page.console_errors == [], page.console_errors


def test_registers_show_overdue_maintenance_and_a_scorecard(page, make_user, org):
    from django.contrib.auth.models import Permission

    from huiyi.accounts.models import Role
    from huiyi.resources import demo

    role = Role.objects.get(key="project_execution")
    role.permissions.add(*Permission.objects.filter(content_type__app_label="resources"))
    officer = make_user("project_execution", org["north_events"], username="shen", display_name="沈波")
    demo._registers(officer)

    sign_in(page, "shen")
    page.click("#more-modules")  # registers sit under "More"
    page.click('a[data-module="resources"]')
    page.wait_for_selector("#resource-overview")
    page.click("#resources-tabs a[href*='equipment']")
    page.wait_for_selector("#equipment-table")
    assert page.locator("[data-overdue]").count() == 1
    screenshot(page, "resources-equipment-zh")
    page.click("#resources-tabs a[href*='supplier']")
    page.click("text=华东视听工程有限公司")
    page.wait_for_selector("#scorecard-form")
    screenshot(page, "resources-supplier-zh")
    assert page.console_errors == [], page.console_errors
