"""A person signs in, sees the dashboard in Chinese, switches to English and sees it in English."""

import pytest
from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, username):
    page.goto("/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("#login-form button[type=submit]")


def test_sign_in_dashboard_in_both_languages(page, make_user, make_project, org):
    director = make_user("project_director", org["company"], username="zhao", display_name="赵敏")
    make_project(phase=1, members=[(director, "project_director")], name="年度经销商大会")
    make_project(phase=2)

    sign_in(page, "zhao")
    page.wait_for_selector("#phase-cards")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert "工作台" in page.locator("h1").inner_text()
    assert page.locator('[data-phase-count="1"]').inner_text() == "1"
    assert "年度经销商大会" in page.content()
    page.wait_for_selector("#phase-chart svg")
    screenshot(page, "dashboard-zh")

    page.click('button[data-language="en"]')
    page.wait_for_selector('html[lang="en"]')
    assert page.locator("h1").inner_text().startswith("Dashboard")
    assert "Needs analysis" in page.locator("#phase-cards").inner_text()
    screenshot(page, "dashboard-en")
    assert page.console_errors == []


def test_wrong_password_shows_one_message(page, make_user, org):
    make_user("planner", org["north"], username="lin")
    page.goto("/")
    page.fill("input[name=username]", "lin")
    page.fill("input[name=password]", "wrong")
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#login-error")  # the answer is a new page: wait for it, however busy the machine
    assert page.locator("#login-error").is_visible()
    screenshot(page, "login-error-zh")


def test_project_list_and_detail(page, make_user, make_project, org):
    director = make_user("project_director", org["company"], username="zhao")
    project = make_project(phase=2, name="医学影像学术年会", members=[(director, "project_director")])
    sign_in(page, "zhao")
    page.click('a[data-module="projects"]')
    page.click(f"text={project.name}")
    page.wait_for_selector("#team")
    assert page.locator(".phase-step.current").inner_text().startswith("2")
    screenshot(page, "project-detail-zh")
