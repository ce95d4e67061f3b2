"""Closing a meeting in the browser (CCP 10–12): finance records the settlement and an invoice, the director
generates the service summary report; the project lead logs a lost item on a phone."""

import pytest
from tests.closing.conftest import sign
from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, username):
    page.context.clear_cookies()
    page.goto("/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_load_state()


def test_req_qlt_03_finance_settles_and_the_director_generates_the_summary_report(
    page, make_user, make_project, org, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    unit = org["north_events"]
    pm = make_user("project_manager", unit, username="wang", display_name="王磊")
    make_user("finance", org["north"], username="chu", display_name="褚红")
    make_user("project_director", org["north"], username="zhao", display_name="赵敏")
    project = make_project(
        unit, phase=4, start_in_days=-10, name="华东区经销商大会", members=[(pm, "project_manager")]
    )
    sign(project, pm)

    sign_in(page, "chu")
    page.goto(f"/closing/projects/{project.pk}/")
    page.wait_for_selector("#settlement-form")
    page.fill("#id_settlement_final_amount", "100,600.001")
    page.click("#settlement-form button[type=submit]")
    page.wait_for_selector("#settlement-form .is-invalid")
    assert "两位小数" in page.locator("#settlement-form").inner_text()
    page.console_errors.clear()  # the refused form answered 400 on purpose
    page.fill("#id_settlement_final_amount", "100,600.00")
    page.click("#settlement-form button[type=submit]")
    page.wait_for_selector("#invoices")
    assert "0.6%" in page.locator("#deviation").inner_text()
    assert page.locator('#deviation [data-verdict="pass"]').count() == 1
    page.click("#add-invoice")
    page.fill("#id_invoice_number", "33012600000001")
    page.fill("#id_invoice_amount", "100600")
    page.click("#invoice-form button[type=submit]")
    page.wait_for_selector('[data-invoice="33012600000001"]')
    assert "1/1" in page.locator("#invoice-accuracy").inner_text()
    page.locator("#settlement").scroll_into_view_if_needed()
    screenshot(page, "closing-settlement-zh")

    sign_in(page, "zhao")
    page.goto(f"/closing/projects/{project.pk}/")
    page.click("#generate-report")
    page.wait_for_selector('[data-report-version="1"]')
    assert "服务总结报告" in page.locator('[data-report-version="1"]').inner_text()
    page.click("#generate-report")
    page.wait_for_selector('[data-report-version="2"]')
    response = page.request.get(page.locator('[data-report-version="2"] a').get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    page.locator("#reports").scroll_into_view_if_needed()
    screenshot(page, "closing-reports-zh")
    assert not page.console_errors


def test_req_qlt_03_lost_item_logged_on_a_phone(page, make_user, make_project, org):
    unit = org["north_events"]
    pm = make_user("project_manager", unit, username="wang", display_name="王磊")
    project = make_project(unit, phase=3, start_in_days=-1, members=[(pm, "project_manager")])
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "wang")
    page.goto(f"/closing/projects/{project.pk}/")
    page.click("#log-item")
    page.fill("#id_lost_description", "黑色双肩包(内有笔记本电脑)")
    page.fill("#id_lost_found_where", "主会场第 5 排")
    page.fill("#id_lost_stored_where", "会务组前台")
    page.click("#lost-form button[type=submit]")
    page.wait_for_selector("[data-lost]")
    assert "保管中" in page.locator("[data-lost]").inner_text()
    page.locator("[data-lost] summary").click()
    page.locator("[data-lost] .return-form input[name$=returned_to]").fill("李先生")
    page.locator("[data-lost] .return-form button[type=submit]").click()
    page.wait_for_selector("[data-lost] .text-bg-success")
    page.locator("#lost-and-found").scroll_into_view_if_needed()
    screenshot(page, "closing-lost-and-found-phone")
    assert not page.console_errors
