"""The improvement loop in a browser, in Chinese (REQ-FBK-04, REQ-QLT-11): a project manager records an issue
found on the spot and a line of the strengths and weaknesses table, plans an improvement action, starts it
and marks it done; the completion rate and the effect-evaluation due date appear. Then the page on a phone."""

from datetime import timedelta

import pytest
from django.utils import timezone
from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import screenshot

from huiyi.feedback.improvement.models import ImprovementAction

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, username):
    page.goto("/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("#login-form button[type=submit]")


def test_project_manager_records_an_action_and_marks_it_done(page, make_user, make_project, org):
    unit = org["north_events"]
    pm = make_user("project_manager", unit, username="wang", display_name="王磊")
    start = timezone.now() - timedelta(days=12)
    project = make_project(
        unit,
        phase=4,
        name="华东区经销商大会",
        start=start,
        end=start + timedelta(days=1),
        members=[(pm, "project_manager")],
    )
    sign_in(page, "wang")
    page.goto(f"/improvement/projects/{project.pk}/")
    page.wait_for_selector("#analysis")

    page.click("#issue-add summary")
    page.select_option("#id_issue-source", "on_site")
    page.select_option("#id_issue-category", "reception")
    page.fill("#id_issue-description", "签到高峰排队约 12 分钟")
    page.click("#issue-save")
    page.wait_for_selector("#issue-table")
    assert "签到高峰排队约 12 分钟" in page.locator("#issue-table").inner_text()
    assert page.locator("#issues-total").inner_text() == "1"

    page.click("#line-add summary")
    page.select_option("#id_line-dimension", "reception")
    page.fill("#id_line-strength", "胸牌发放无差错")
    page.fill("#id_line-weakness", "签到排队过长")
    page.fill("#id_line-cause", "只设两个签到台")
    page.click("#line-save")
    page.wait_for_selector("#line-table")

    page.click("#action-add")
    page.fill("#id_problem", "签到高峰排队过长")
    page.fill("#id_action", "每 80 人设 1 个签到台，开放自助签到通道")
    page.select_option("#id_category", "reception")
    page.select_option("#id_owner", str(pm.pk))
    page.fill("#id_deadline", (timezone.localdate() + timedelta(days=14)).isoformat())
    page.fill("#id_expected_effect", "高峰排队不超过 5 分钟")
    page.click("#action-form-save")
    page.wait_for_selector('[data-action="1"]')
    assert page.locator('[data-action="1"] [data-status]').inner_text() == "计划中"

    page.click('[data-action="1"] [data-step="start"]')
    page.wait_for_selector('[data-action="1"] [data-status="in_progress"]')
    page.click('[data-action="1"] [data-step="done"]')
    page.wait_for_selector("#done-form")
    page.click("#done-form-save")  # empty: refused, nothing saved
    page.wait_for_selector('#done-form [data-field="result"]')
    page.fill("#id_result", "新增两个签到台和自助通道")
    page.click("#done-form-save")
    page.wait_for_selector('[data-action="1"] [data-status="done"]')
    assert page.locator("#completion-rate").inner_text() == "100.0%"
    assert page.locator('[data-action="1"] [data-effect-due]').is_visible()
    item = ImprovementAction.objects.get(project=project)
    assert item.status == "done" and item.effect_due is not None
    page.locator("#actions").scroll_into_view_if_needed()
    screenshot(page, "improvement-project-zh")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.wait_for_selector("#action-list")
    screenshot(page, "improvement-project-phone")
    page.goto("/improvement/actions/")
    page.wait_for_selector("#org-actions")
    assert item.code in page.locator("#org-actions").inner_text()
    screenshot(page, "improvement-actions-phone")
    # the only console error is the refused empty form answered 400 on purpose
    assert [e for e in page.console_errors if "400" not in e] == []
