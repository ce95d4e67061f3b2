"""The demo (issue 5, "Done when"): a filled equipment check on the meeting day with one failure that opened a
nonconformance and was measured again, set-up on time, and a roll-call with reception 3 minutes late."""

from datetime import timedelta

import pytest
from django.utils import timezone

from huiyi.onsite.inspections import demo, queries
from huiyi.onsite.inspections.models import Reading, RollCall, SiteMilestone
from huiyi.projects.models import Phase
from huiyi.quality.metrics import measure
from huiyi.quality.models import Nonconformance
from huiyi.rulebook.services import rulebook_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user, org):
    roles = [
        "project_manager",
        "planner",
        "account_manager",
        "on_site_director",
        "technical_support",
        "reception",
    ]
    return {role: make_user(role, org["north_events"], display_name=role) for role in roles}


def test_demo_meeting_day(make_project, people, org):
    start = timezone.localtime().replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
    team = [
        (people[k], k)
        for k in ("project_manager", "planner", "account_manager", "on_site_director", "technical_support")
    ]
    project = make_project(
        org["north_events"],
        code="HY-2026-105",
        phase=Phase.EXECUTION,
        start=start,
        end=start + timedelta(hours=6),
        expected_attendees=18,
        members=team,
    )
    past_start = timezone.now() - timedelta(days=9)
    past = make_project(
        org["north_events"],
        code="HY-2026-096",
        start=past_start,
        end=past_start + timedelta(days=1),
        members=[(people["on_site_director"], "on_site_director")],
    )
    demo.build([past, project], people)
    rulebook = rulebook_for(project)

    failed = Reading.objects.get(project=project, passed=False)
    assert failed.metric == "room_relative_humidity" and failed.value == 68
    nc = Nonconformance.objects.get(project=project, rule_id=failed.rule_id)
    assert failed.nonconformance == nc
    corrected = Reading.objects.get(corrects=failed)
    assert corrected.passed and corrected.reason
    assert Reading.objects.filter(project=project, corrects__isnull=True).count() == 14
    assert not queries.failed_now(project)

    setup = SiteMilestone.objects.get(project=project)
    assert setup.passed and setup.at == start - timedelta(hours=2, minutes=20)
    assert measure("setup_done_lead_time", project, rulebook).value > 2

    assert RollCall.objects.filter(project=project).count() == 6
    late = RollCall.objects.get(project=project, user=people["reception"])
    assert late.checked_in_at == start - timedelta(minutes=3) and late.nonconformance is not None
    assert queries.roll_call_summary(project, rulebook).reception_verdict == "fail"
    assert measure("reception_in_place_lead_time", project, rulebook).value == 3

    assert SiteMilestone.objects.filter(project=past, passed=True).count() == 3
