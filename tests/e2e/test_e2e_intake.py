"""REQ-INT-01…07 in the browser: an account manager takes an inquiry through the four steps, converts it,
the requirements list (completeness rises), sends the link; the client confirms it without signing in."""

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect
from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import screenshot

from huiyi.accounts.models import Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _grant_intake(role_key="account_manager"):
    role = Role.objects.get(key=role_key)
    role.permissions.add(*Permission.objects.filter(content_type__app_label="intake"))


def _completeness(page) -> str:
    return page.locator("#completeness-index").inner_text()


def test_inquiry_to_confirmed_requirements(page, browser, live_server, make_user, org, client_org):
    _grant_intake()
    make_user("account_manager", org["north_events"], username="qian", display_name="钱多多")
    page.goto("/")
    page.fill("input[name=username]", "qian")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.click('a[data-module="intake"]')
    page.click("#new-inquiry")
    page.select_option("#id_client", str(client_org.pk))
    page.fill("#id_contact_name", "王经理")
    page.fill("#id_contact_phone", "13800138000")
    page.select_option("#id_channel", "phone")
    page.fill("#id_summary", "年度客户答谢会,约 200 人,需要全包会务服务。")
    page.click("#inquiry-form button[type=submit]")

    page.fill("#id_identify_client-credentials_note", "营业执照已核验")
    page.click("#complete-step")
    page.select_option("#id_classify_request-classification", "custom")
    page.click("#complete-step")
    page.select_option("#id_capability_match-capability_ok", "yes")
    page.click("#complete-step")
    page.fill("#id_next_appointment-next_appointment", "2030-04-01T10:00")
    page.click("#complete-step")
    page.wait_for_selector("#convert-form")
    assert page.locator(".step-time").count() == 4
    screenshot(page, "intake-inquiry-steps-zh")

    page.fill("#id_project-name", "年度客户答谢会")
    page.select_option("#id_project-meeting_type", index=1)
    page.fill("#id_project-start", "2030-05-20T09:00")
    page.fill("#id_project-end", "2030-05-20T17:00")
    page.fill("#id_project-venue_name", "国际会议中心")
    page.fill("#id_project-expected_attendees", "200")
    page.click("#convert")
    page.wait_for_selector("#requirements-form")
    assert _completeness(page) == "0%"

    for key in ("what", "when", "where", "who", "why", "how", "how_much"):
        page.fill(f"#id_{key}_text", f"{key}:客户已说明")
        page.fill(f"#id_{key}_completion", "100")
        if key == "who":
            expect(page.locator("#completeness-index")).not_to_have_text("0%")
    expect(page.locator("#completeness-index")).to_have_text("100%")
    page.fill("#id_budget", "500000")
    page.select_option("#id_payment_schedule", "monthly")
    page.select_option("#id_payment_method", "acceptance_bill")
    page.wait_for_selector("#missing-none")
    screenshot(page, "intake-requirements-zh")
    page.click("#save-requirements")
    page.wait_for_selector("#revision-status")
    page.click("#send-link")
    link = page.locator("#link-url").input_value()
    assert "/intake/confirm/" in link

    client_context = browser.new_context(locale="zh-CN", viewport={"width": 1000, "height": 900})
    client_page = client_context.new_page()
    client_page.goto(link)
    client_page.wait_for_selector("#confirm-form")
    assert "年度客户答谢会" in client_page.content()
    assert client_page.locator("#sign-out").count() == 0
    screenshot(client_page, "intake-client-link-zh")
    client_page.fill("#id_confirm-name", "王经理")
    client_page.click("#confirm-button")
    client_page.wait_for_selector("#link-done")
    client_page.goto(link)
    client_page.wait_for_selector("#link-closed")
    screenshot(client_page, "intake-client-link-used-zh")
    client_context.close()

    page.goto(page.url.split("/intake/")[0] + "/")
    page.goto(page.locator("a", has_text="年度客户答谢会").first.get_attribute("href") or "/")
    page.wait_for_selector("#intake-section")
    assert "王经理" in page.locator("#intake-confirmation").inner_text()
    assert page.locator('#key-steps li[data-key="initial_survey"][data-state="done"]').count() == 1
    screenshot(page, "intake-project-section-zh")
    assert page.console_errors == []
