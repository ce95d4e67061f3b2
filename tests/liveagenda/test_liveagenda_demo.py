"""The demo's meeting-day agenda (HY-2026-105) is built through the services and shows what the brief asks:
the morning run with one segment beyond ±3 min, an 18-minute tea break, a progress report, partial photo
coverage, two satisfaction scores and the minutes owner (REQ-ONS-05, 06, 08; REQ-PPL-04)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from huiyi.onsite.agenda import demo, queries
from huiyi.quality.metrics import measure
from huiyi.rulebook.services import rulebook_for

pytestmark = pytest.mark.django_db


def test_demo_builds_the_meeting_day_agenda(make_user, make_project, org):
    unit = org["north_events"]
    people = {
        "on_site_director": make_user("on_site_director", unit, username="zhao"),
        "planner": make_user("planner", unit, username="qian"),
        "technical_support": make_user("technical_support", unit, username="sun"),
    }
    start = timezone.now() - timedelta(hours=2, minutes=10)
    project = make_project(
        unit,
        code=demo.CODE,
        phase=3,
        start=start,
        end=start + timedelta(hours=6),
        members=[(user, role) for role, user in people.items()],
    )
    demo.build([project], people)
    board = queries.board(project)
    done = [row for row in board.rows if row.item.is_done]
    assert [row.item.title for row in done] == ["开幕致辞", "董事长报告", "财务报告", "茶歇"]
    assert board.running.item.title == "议案审议"
    assert len(board.rows) == 8
    assert [row.item.title for row in done if not row.duration.passes] == ["董事长报告"]
    tea = done[-1]
    assert tea.tea_break.value == 18 and tea.tea_break.passes
    assert project.progress_reports.count() == 1
    rulebook = rulebook_for(project)
    coverage = measure("photo_video_coverage", project, rulebook).value
    assert Decimal(0) < coverage < Decimal(1)
    assert measure("onsite_satisfaction_score", project, rulebook).value == Decimal("88.00")
    assert measure("minutes_owner_named", project, rulebook).value == 1
    assert measure("agenda_segment_deviation", project, rulebook).value == Decimal("6.00")


def test_demo_records_no_tap_in_the_future(make_user, make_project, org):
    unit = org["north_events"]
    director = make_user("on_site_director", unit, username="zhao")
    start = timezone.now() + timedelta(hours=1)
    project = make_project(
        unit,
        code=demo.CODE,
        phase=3,
        start=start,
        end=start + timedelta(hours=6),
        members=[(director, "on_site_director")],
    )
    demo.build([project], {"on_site_director": director})
    assert not project.live_agenda_items.filter(actual_start__isnull=False).exists()
    assert not project.progress_reports.exists() and not project.onsite_satisfaction_entries.exists()
    assert project.live_agenda_items.count() == 8
