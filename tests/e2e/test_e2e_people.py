"""People in the browser (REQ-PPL-03, REQ-PPL-05): HR opens the training plan, records a communication
workshop, ticks who attended and enters the scores, and sees the month's coverage and pass rate change; the
employee reads their record with the measures and acknowledges their performance review."""

import pytest
from django.urls import reverse
from django.utils import timezone
from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import screenshot

from huiyi.people import services
from huiyi.people.models import ModuleAttendance

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, username):
    page.goto("/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("#login-form button[type=submit]")


def test_hr_records_a_session_with_scores_and_coverage_changes(page, make_user, org):
    hr = make_user("hr", org["company"], username="hr", display_name="蒋涛")
    director = make_user("project_director", org["north"], username="director", display_name="赵敏")
    planner = make_user("planner", org["north_events"], username="planner", display_name="孙丽")
    reception = make_user("reception", org["north_events"], username="rec", display_name="郑雨")
    services.update_module_plan(
        "communication",
        by=hr,
        methods=["role_play", "workshop"],
        expected_outcome={"zh-hans": "提升沟通效率"},
        target_roles=["planner", "reception"],
    )
    today = timezone.localdate()

    sign_in(page, "hr")
    page.goto(reverse("people:training") + f"?period=month&day={today.isoformat()}")
    row = page.locator('tr[data-module="communication"]')
    assert row.locator("[data-coverage]").get_attribute("data-coverage") == "0.0000"
    page.click("#new-session")
    page.select_option("#id_module", "communication")
    page.fill("#id_title", "客户沟通工作坊")
    page.fill("#id_held_on", today.isoformat())
    page.fill("#id_trainer", "陈静")
    page.fill("#id_place", "公司 3 楼培训室")
    page.select_option("#id_method", "workshop")
    page.click("#people-form button[type=submit]")
    page.wait_for_selector("#attendance-form")
    page.check(f"#id_attended_{planner.pk}")
    page.fill(f"#id_score_{planner.pk}", "92")
    page.check(f"#id_attended_{reception.pk}")
    page.fill(f"#id_score_{reception.pk}", "74")
    screenshot(page, "people_session_scores")
    page.click("#save-attendance")
    page.wait_for_selector(".alert-success")
    assert page.inner_text("#passed-count").replace(" ", "") == "1/2"
    assert ModuleAttendance.objects.filter(attended=True).count() == 2

    page.goto(reverse("people:training") + f"?period=month&day={today.isoformat()}")
    row = page.locator('tr[data-module="communication"]')
    assert row.locator("[data-coverage]").get_attribute("data-coverage") == "1.0000"
    assert row.locator("[data-pass-rate]").get_attribute("data-pass-rate") == "0.5000"
    assert "100.0%" in row.locator("[data-coverage]").inner_text()
    screenshot(page, "people_training_plan")
    assert not page.console_errors

    # the director reviews the planner, who reads the measures and acknowledges it
    review = services.save_review(
        planner,
        by=director,
        period_start=today.replace(day=1),
        period_end=today,
        overall=4,
        ratings={"skill": 4, "communication": 4},
        strengths="沟通主动",
    )
    services.submit_review(review, by=director)
    page.context.clear_cookies()
    sign_in(page, "planner")
    page.goto(reverse("people:me"))
    assert page.locator('[data-measure="skill"] [data-value]').get_attribute("data-value") == "1.0000"
    page.goto(reverse("people:review", args=[review.pk]))
    page.fill("#ack-form textarea", "已阅,认可")
    page.click("#ack-form button[type=submit]")
    page.wait_for_selector('#review-status[data-status="acknowledged"]')
    screenshot(page, "people_review_acknowledged")
