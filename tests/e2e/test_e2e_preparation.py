"""A project manager prepares a meeting in Chinese: adds tasks, marks one done, runs a review step, records a
training with scores and sees the CCP 5/7 inputs on the project page (REQ-PLN-05, REQ-PRE-02, REQ-PRE-04)."""

import pytest
from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, username):
    page.goto("/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("#login-form button[type=submit]")


def add_task(page, title, due, criterion):
    page.click("#add-task")
    page.fill("#id_title", title)
    page.select_option("#id_owner", index=1)
    page.fill("#id_due", due)
    page.fill("#id_done_criterion", criterion)
    page.click("#task-form button[type=submit]")
    page.wait_for_selector("#preparation")


def test_project_manager_prepares_the_meeting(page, make_user, make_project, org):
    unit = org["north_events"]
    pm = make_user("project_manager", unit, username="wang", display_name="王磊")
    hr = make_user("hr", unit, username="chen", display_name="陈静")
    project = make_project(
        unit, phase=2, name="华东区经销商大会", members=[(pm, "project_manager"), (hr, "hr")]
    )
    sign_in(page, "wang")
    page.goto(f"/projects/{project.pk}/")
    page.wait_for_selector("#preparation")

    add_task(page, "确认场地合同", "2020-01-06T10:00", "合同签字盖章")
    add_task(page, "印制胸牌", "2099-01-06T10:00", "物料到场验收")
    assert page.locator('[data-task="1"]').get_attribute("class").find("table-danger") >= 0
    assert page.locator("#overdue-tasks-badge").is_visible()
    page.locator('[data-task="2"] button[type=submit]').click()
    page.wait_for_selector('[data-task="2"] .text-bg-success')

    page.click("#start-review")
    page.wait_for_selector('[data-step="administration"]')
    page.locator('[data-step="administration"] a').click()
    page.select_option("#id_outcome", "approved")
    page.fill("#id_comment", "需求初稿完成")
    page.click("#review-form button[type=submit]")
    page.wait_for_selector('[data-step="finance"] .text-bg-info')

    page.click("#add-training")
    page.select_option("#id_topic", "etiquette")
    page.fill("#id_title", "会议礼仪培训")
    page.fill("#id_held_at", "2020-01-03T14:00")
    page.fill("#id_trainer", "陈静")
    page.fill("#id_pass_mark", "80")
    page.click("#training-form button[type=submit]")
    page.wait_for_selector("#trainings")
    page.locator("#trainings a", has_text="").last.click()
    page.wait_for_selector("#attendance-form")
    page.check(f"#id_attended_{pm.pk}")
    page.fill(f"#id_score_{pm.pk}", "92")
    page.check(f"#id_attended_{hr.pk}")
    page.fill(f"#id_score_{hr.pk}", "70")
    page.click("#attendance-form button[type=submit]")
    page.wait_for_selector("#ccp-inputs")

    coverage = page.locator('[data-metric="training_coverage"]').inner_text()
    assert "100%" in coverage
    assert "50%" in page.locator('[data-metric="training_assessment_pass_rate"]').inner_text()
    assert "CCP-05" in page.locator("#ccp-inputs").inner_text()
    assert (
        "准备" in page.locator("#preparation .card-header").inner_text()
        or page.locator("html").get_attribute("lang") == "zh-Hans"
    )
    page.locator("#preparation").scroll_into_view_if_needed()
    screenshot(page, "preparation-section-zh")
    assert page.console_errors == []
