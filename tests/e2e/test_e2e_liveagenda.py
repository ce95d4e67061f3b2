"""The on-site director runs the live agenda from a phone (390×844), in Chinese: one tap starts the first
item, one ends it, one starts the next; the deviations against the rulebook's ±3 min show in colour; the
cockpit panel shows now/next (REQ-ONS-05, §2.6(3) 3.2)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import screenshot

from huiyi.onsite.agenda import services
from huiyi.onsite.agenda.models import AgendaItem

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, username):
    page.goto("/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("#login-form button[type=submit]")


def test_director_runs_the_agenda_on_a_phone(page, make_user, make_project, org):
    unit = org["north_events"]
    director = make_user("on_site_director", unit, username="zhao", display_name="赵现场")
    start = timezone.now() - timedelta(minutes=10)
    project = make_project(
        unit,
        phase=3,
        name="浦江科技董事会第四次会议",
        start=start,
        end=start + timedelta(hours=4),
        members=[(director, "on_site_director")],
    )
    plan = [
        ("opening", "开幕致辞", "董事会秘书 周敏", 0, 5),
        ("speech", "董事长报告", "董事长 陈立群", 5, 30),
        ("tea_break", "茶歇", "", 35, 20),
        ("qa", "问答", "全体董事", 55, 20),
    ]
    for kind, title, speaker, offset, minutes in plan:
        services.create_item(
            project,
            kind=kind,
            title=title,
            speaker=speaker,
            room_text="20 楼会议室",
            planned_start=start + timedelta(minutes=offset),
            planned_end=start + timedelta(minutes=offset + minutes),
        )
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "zhao")
    page.goto(f"/agenda/projects/{project.pk}/")
    page.wait_for_selector("#start-next")
    assert "开幕致辞" in page.locator("#next-title").inner_text()

    page.click("#start-next")  # one tap: the opening starts (about ten minutes late)
    page.wait_for_selector("#end-current")
    assert "开幕致辞" in page.locator("#now-title").inner_text()
    opening = page.locator('[data-state="running"]')
    assert opening.locator(".dev-start [data-passes='0']").count() == 1  # +10 min: red
    page.wait_for_function("document.querySelector('#now-clock .live-clock').textContent.includes('·')")

    page.click("#end-current")  # one tap: it ends
    page.wait_for_selector('[data-state="done"]')
    page.click("#start-next")  # one tap: the chairman's report starts
    page.wait_for_selector("#end-current")
    assert "董事长报告" in page.locator("#now-title").inner_text()
    done = page.locator('[data-state="done"]')
    assert "开幕致辞" in done.inner_text()
    assert done.locator(".dev-duration .badge").count() == 1  # the opening's duration deviation is shown
    assert "分钟" in done.locator(".dev-duration").inner_text()

    # The buttons are big enough to hit with a thumb and fit the phone's width.
    box = page.locator("#start-next").bounding_box()
    assert box["height"] >= 44 and box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("#now").scroll_into_view_if_needed()
    screenshot(page, "liveagenda-phone-zh")

    items = {item.title: item for item in AgendaItem.objects.filter(project=project)}
    assert items["开幕致辞"].actual_end == items["董事长报告"].actual_start or items["开幕致辞"].is_done
    assert items["董事长报告"].is_running and items["董事长报告"].started_by == director

    assert page.console_errors == []  # no CSP violation, no missing file on the agenda page

    page.goto(f"/onsite/projects/{project.pk}/")
    page.wait_for_selector("#live-agenda-panel")
    assert "董事长报告" in page.locator("#panel-now").inner_text()
    assert "茶歇" in page.locator("#panel-next").inner_text()
    page.locator("#live-agenda-panel").scroll_into_view_if_needed()
    screenshot(page, "liveagenda-cockpit-panel-phone-zh")
    # The cockpit holds other apps' panels too: here only the policy is checked (no inline script or style).
    assert not [error for error in page.console_errors if "Content Security Policy" in error]
