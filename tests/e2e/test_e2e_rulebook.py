"""A quality officer revises the standard's numbers in Chinese: browse, search, clone, edit, activate, diff.

REQ-QLT-10 (process updates as a new rulebook version), REQ-DOC-08 (version with author, time and change
note), REQ-PLN-03 (budget deviation ≤ 5 % → 4 %), REQ-ONS-03 (Wi-Fi ≥ -65 dBm found by search).
"""

import pytest
from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import screenshot

from huiyi.rulebook import services

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BUDGET = "ccp02.budget_deviation"


def sign_in(page, username):
    page.goto("/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("#login-form button[type=submit]")


def test_REQ_QLT_10_quality_officer_revises_a_threshold(page, make_user, make_project, org):
    services.ensure_default_version()
    make_user("quality_officer", org["company"], username="qian", display_name="钱质量")
    early = make_project(name="年度经销商大会")

    sign_in(page, "qian")
    page.click("#more-modules")  # reference modules sit under "More"
    page.click('a[data-module="rulebook"]')
    page.wait_for_selector("#chapter-PLN")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.locator('[data-req="REQ-ONS-03"]').count() == 1
    assert "≤ 5%" in page.locator(f'[data-value="{BUDGET}"]').first.inner_text()
    screenshot(page, "rulebook-chapters-zh")

    page.click("#tab-phase")
    page.wait_for_selector("#CCP-12")
    screenshot(page, "rulebook-phases-zh")

    page.fill("#rulebook-q", "Wi-Fi")
    page.press("#rulebook-q", "Enter")
    page.wait_for_selector("#search-results")
    assert "Wi-Fi信号强度" in page.locator("#search-results").inner_text()
    assert "≥ -65 dBm" in page.locator("#search-results").inner_text()
    page.fill("#rulebook-q", "-65")
    page.press("#rulebook-q", "Enter")
    page.wait_for_selector('#search-results [data-rule="ons.wifi_signal"]')
    screenshot(page, "rulebook-search-zh")

    page.click("#nav-versions")
    page.click('button[data-clone="1"]')
    page.wait_for_selector("#activate-form")
    assert "/rulebook/versions/2/" in page.url
    page.click(f'a[data-edit="{BUDGET}"]')
    page.wait_for_selector("#rule-edit-form")
    assert page.input_value("input[name=value]") == "5"
    screenshot(page, "rulebook-edit-zh")

    page.fill("input[name=value]", "150")  # a ratio above 100 %: refused, nothing changes
    page.click("#save-rule")
    page.wait_for_selector(".invalid-feedback")
    assert BUDGET in page.locator(".invalid-feedback").first.inner_text()
    screenshot(page, "rulebook-edit-error-zh")

    page.fill("input[name=value]", "4")
    page.click("#save-rule")
    page.wait_for_selector("#activate-form")
    assert "4%" in page.locator(f'[data-value="{BUDGET}"]').inner_text()
    screenshot(page, "rulebook-draft-zh")

    page.click("#activate-version")  # no note: refused with a field message
    page.wait_for_selector("#activate-form .invalid-feedback")
    page.fill("textarea[name=change_note]", "季度质量会议决定:预算偏差收紧到 4%")
    page.click("#activate-version")
    page.wait_for_selector("#diff")
    row = page.locator(f'#diff [data-rule="{BUDGET}"]')
    assert "5%" in row.locator(".diff-old").inner_text()
    assert "4%" in row.locator(".diff-new").inner_text()
    assert "预算偏差收紧到 4%" in page.locator("#diff-note").inner_text()
    screenshot(page, "rulebook-diff-zh")

    assert services.active_rulebook().value(BUDGET) == 0.04
    early.refresh_from_db()
    assert services.rulebook_for(early).value(BUDGET) == 0.05  # the earlier project keeps its version

    page.goto(f"/rulebook/rules/{BUDGET}/")
    page.wait_for_selector("#rule-history")
    assert "4%" in page.locator("#rule-value").inner_text()
    screenshot(page, "rulebook-rule-zh")
    page.click("#nav-versions")
    page.wait_for_selector('#version-table [data-version="2"]')
    screenshot(page, "rulebook-versions-zh")
    # the two refused forms answer 400 on purpose (the browser logs that); nothing else may fail
    assert [e for e in page.console_errors if "status of 400" not in e] == []
