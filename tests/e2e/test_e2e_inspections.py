"""A technician records an inspection round on a phone (390×844) in Chinese: the failing Wi-Fi reading turns
red as it is typed, the round is saved, and the sheet shows the red verdict with its nonconformance
(REQ-ONS-03, REQ-ONS-04, CCP 6)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import screenshot

from huiyi.onsite.inspections.models import Reading
from huiyi.projects.models import Phase
from huiyi.rulebook.services import rulebook_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, username):
    page.goto("/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("#login-form button[type=submit]")


def field(rule):
    return "item_" + rule.id.replace(".", "__")


def test_technician_records_a_round_on_a_phone(page, make_user, make_project, org):
    unit = org["north_events"]
    tech = make_user("technical_support", unit, username="wu", display_name="吴磊")
    start = timezone.now() + timedelta(hours=2)
    project = make_project(
        unit,
        phase=Phase.EXECUTION,
        start=start,
        end=start + timedelta(hours=5),
        name="浦江科技董事会第四次会议",
        venue_name="浦江科技总部 20 楼会议室",
        expected_attendees=18,
        members=[(tech, "technical_support")],
    )
    rulebook = rulebook_for(project)
    wifi = rulebook.rules_where(metric="wifi_signal_dbm")[0]
    humidity = rulebook.rules_where(metric="room_relative_humidity")[0]
    focus = rulebook.rules_where(metric="projector_in_focus")[0]

    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "wu")
    page.goto(f"/inspections/projects/{project.pk}/rounds/new/")
    page.wait_for_selector("#round-form")
    assert page.locator("#id_room_name").input_value() == "浦江科技总部 20 楼会议室"
    assert page.locator(f"#id_{field(wifi)}").get_attribute("inputmode") == "decimal"

    page.fill(f"#id_{field(wifi)}", "-72")
    verdict = page.locator(f"#verdict-{field(wifi)} [data-verdict=fail]")
    verdict.wait_for()
    assert "-65 dBm" in verdict.inner_text()
    page.fill(f"#id_{field(humidity)}", "55")
    page.locator(f"#verdict-{field(humidity)} [data-verdict=pass]").wait_for()
    page.fill(f"#id_{field(humidity)}", "180")  # a slip of the finger: refused at once, naming the item
    page.locator(f"#verdict-{field(humidity)} [data-verdict=invalid]").wait_for()
    assert "湿度" in page.locator(f"#verdict-{field(humidity)}").inner_text()
    page.fill(f"#id_{field(humidity)}", "55")
    page.locator(f"#verdict-{field(humidity)} [data-verdict=pass]").wait_for()
    page.locator(f"label[for=id_{field(focus)}_0]").click()
    page.locator(f"#verdict-{field(focus)} [data-verdict=pass]").wait_for()
    page.locator(f'[data-item="{wifi.id}"]').scroll_into_view_if_needed()
    screenshot(page, "inspections-round-form-phone-zh")

    page.click("#save-round")
    row = page.locator(f'li[data-item="{wifi.id}"]')
    row.wait_for()
    assert row.get_attribute("data-verdict") == "fail"
    assert row.locator(".badge.text-bg-danger").is_visible()
    nc_link = row.locator("a.nc-link")
    assert nc_link.is_visible() and nc_link.inner_text().strip().startswith("NC-")
    assert page.locator(f'li[data-item="{humidity.id}"]').get_attribute("data-verdict") == "pass"
    assert "不合格" in page.locator(".alert").first.inner_text()
    assert Reading.objects.filter(passed=False).count() == 1
    assert not page.console_errors, page.console_errors
    row.scroll_into_view_if_needed()
    screenshot(page, "inspections-round-sheet-phone-zh")

    nc_link.click()
    page.wait_for_selector("#nc-description")
    assert "Wi-Fi" in page.locator("#nc-description").inner_text()


def test_director_sees_the_meeting_day_on_a_phone(page, make_user, make_project, org, monkeypatch):
    """The demo's meeting day: set-up on time, humidity failed then re-measured, reception 3 min late
    (REQ-ONS-01, REQ-ONS-04, REQ-PPL-04)."""
    from huiyi.onsite import panels
    from huiyi.onsite.inspections import demo

    unit = org["north_events"]
    roles = [
        "project_manager",
        "planner",
        "account_manager",
        "on_site_director",
        "technical_support",
        "reception",
    ]
    names = ["钱浩", "孙丽", "陈静", "周杰", "吴磊", "郑雨"]
    people = {
        role: make_user(role, unit, username=role, display_name=name)
        for role, name in zip(roles, names, strict=True)
    }
    start = timezone.localtime().replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
    project = make_project(
        unit,
        code="HY-2026-105",
        phase=Phase.EXECUTION,
        start=start,
        end=start + timedelta(hours=6),
        name="浦江科技董事会第四次会议",
        expected_attendees=18,
        members=[(people[r], r) for r in roles[:5]],
    )
    demo.build([project], people)
    mine = [panel for panel in panels.panels() if panel.key == "inspections"]
    monkeypatch.setattr("huiyi.onsite.views.panels", lambda: mine)  # other apps' panels are theirs to test

    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "on_site_director")
    page.goto(f"/inspections/projects/{project.pk}/")
    page.wait_for_selector("#latest-readings")
    assert page.locator('[data-milestone="setup_done"]').get_attribute("data-verdict") == "pass"
    assert page.locator("#inspection-ncs a[data-nc]").count() == 2  # humidity, reception
    assert page.locator('#latest-readings [data-verdict="fail"]').count() == 0  # humidity re-measured
    screenshot(page, "inspections-home-phone-zh")

    page.click("#open-roll-call")
    page.wait_for_selector("#roster")
    late = page.locator(f'#roster [data-user="{people["reception"].pk}"]')
    assert "list-group-item-danger" in late.get_attribute("class") and "开始前 3 分钟" in late.inner_text()
    screenshot(page, "inspections-roll-call-phone-zh")

    page.goto(f"/onsite/projects/{project.pk}/")
    page.wait_for_selector("#inspections-panel")
    assert "6/6" in page.locator("#panel-roll-call").inner_text()
    assert not page.console_errors, page.console_errors
    screenshot(page, "inspections-cockpit-panel-phone-zh")
