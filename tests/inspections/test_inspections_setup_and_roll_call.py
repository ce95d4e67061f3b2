"""Set-up ≥ the rulebook's lead before the start (REQ-ONS-01), tear-down within its limits after the end
(REQ-ONS-07), and the roll-call with reception staff in place before the start (REQ-PPL-04)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from tests.inspections.conftest import rule_of

from huiyi.onsite.inspections import queries, services
from huiyi.onsite.inspections.models import RollCall, SiteMilestone
from huiyi.quality.models import Nonconformance

pytestmark = pytest.mark.django_db
SETUP = SiteMilestone.Milestone.SETUP_DONE


def test_req_ons_01_setup_done_early_enough_passes(project, rulebook, team):
    rule = rule_of(rulebook, "setup_done_lead_time")
    at = project.start - timedelta(hours=rule.value, minutes=20)
    record = services.record_milestone(
        project, milestone=SETUP, by=team["director"], at=min(at, timezone.now())
    )
    assert record.passed and record.nonconformance is None
    status = {s.milestone: s for s in queries.milestones(project, rulebook)}[SETUP]
    assert status.verdict == "pass" and status.deadline == project.start - timedelta(hours=rule.value)


def test_req_ons_01_setup_done_late_fails_and_opens_a_nonconformance(project, rulebook, team):
    rule = rule_of(rulebook, "setup_done_lead_time")
    project.start = timezone.now() + timedelta(hours=rule.value) - timedelta(minutes=10)
    project.end = project.start + timedelta(hours=4)
    project.save()
    record = services.record_milestone(project, milestone=SETUP, by=team["tech"], room_name="主会场")
    assert record.value < rule.value and not record.passed
    assert record.nonconformance.rule_id == rule.id
    with pytest.raises(ValidationError) as error:  # a second record for the same room is a correction
        services.record_milestone(project, milestone=SETUP, by=team["tech"], room_name="主会场")
    assert "reason" in error.value.message_dict
    services.record_milestone(project, milestone=SETUP, by=team["tech"], room_name=" 主会场 ", reason="补记")
    assert SiteMilestone.objects.filter(project=project).count() == 2
    assert queries.live_milestones(project).count() == 1


def test_req_ons_07_teardown_judged_after_the_end(make_project, team, org):
    start = timezone.now() - timedelta(hours=8)
    project = make_project(
        org["north_events"],
        start=start,
        end=start + timedelta(hours=4),
        members=[(team["director"], "on_site_director")],
    )
    recovered = services.record_milestone(
        project,
        milestone=SiteMilestone.Milestone.EQUIPMENT_RECOVERED,
        by=team["director"],
        at=project.end + timedelta(minutes=45),
    )
    restored = services.record_milestone(
        project,
        milestone=SiteMilestone.Milestone.VENUE_RESTORED,
        by=team["director"],
        at=project.end + timedelta(hours=3),
    )
    assert recovered.passed and not restored.passed and restored.nonconformance is not None
    with pytest.raises(ValidationError) as error:
        services.record_milestone(
            project,
            milestone=SiteMilestone.Milestone.VENUE_RESTORED,
            by=team["director"],
            at=project.start - timedelta(hours=1),
            room_name="B 厅",
        )
    assert "at" in error.value.message_dict


def test_req_ons_01_future_times_and_unknown_milestones_are_refused(project, team):
    with pytest.raises(ValidationError) as error:
        services.record_milestone(
            project, milestone=SETUP, by=team["director"], at=timezone.now() + timedelta(hours=1)
        )
    assert "at" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.record_milestone(project, milestone="party", by=team["director"])
    assert "milestone" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.record_milestone(project, milestone=SETUP, by=team["planner"])
    assert not SiteMilestone.objects.exists()


def test_req_ppl_04_team_members_check_themselves_in_once(project, team, rulebook):
    entry, created = services.check_in(project, user=team["planner"], by=team["planner"])
    assert created and entry.roles == ["planner"] and entry.nonconformance is None
    again, created = services.check_in(project, user=team["planner"], by=team["planner"])
    assert not created and again == entry
    assert RollCall.objects.count() == 1
    summary = queries.roll_call_summary(project, rulebook)
    assert (summary.present, summary.expected) == (1, 4)


def test_req_ppl_04_reception_in_place_too_late_fails(project, team, rulebook):
    rule = rule_of(rulebook, "reception_in_place_lead_time")
    with pytest.raises(ValidationError):  # a lead cannot record a time that has not come yet
        services.check_in(
            project, user=team["rec"], by=team["director"], at=project.start - timedelta(minutes=3)
        )
    # the meeting of this test starts in 3 h: move it so that "3 minutes before" is in the past
    project.start = timezone.now() + timedelta(minutes=3 - 1)
    project.end = project.start + timedelta(hours=2)
    project.save()
    entry, created = services.check_in(project, user=team["rec"], by=team["director"])
    assert created and entry.recorded_by == team["director"]
    assert entry.nonconformance is not None and entry.nonconformance.rule_id == rule.id
    row = next(e for e in queries.roster(project, rulebook) if e.user == team["rec"])
    assert row.passed is False and row.lead < rule.value
    assert queries.roll_call_summary(project, rulebook).reception_verdict == "fail"
    assert Nonconformance.objects.filter(rule_id=rule.id).count() == 1


def test_req_ppl_04_reception_in_place_early_passes(project, team, rulebook):
    entry, _created = services.check_in(project, user=team["rec"], by=team["rec"])
    row = next(e for e in queries.roster(project, rulebook) if e.user == team["rec"])
    assert row.passed is True and entry.nonconformance is None
    assert queries.roll_call_summary(project, rulebook).reception_verdict == "pass"


def test_req_ppl_04_only_leads_check_others_in_and_only_the_team(project, team):
    with pytest.raises(PermissionDenied):
        services.check_in(project, user=team["rec"], by=team["planner"])
    with pytest.raises(PermissionDenied):
        services.check_in(project, user=team["outsider"], by=team["outsider"])
    with pytest.raises(ValidationError) as error:
        services.check_in(project, user=team["outsider"], by=team["director"])
    assert "user" in error.value.message_dict
    assert not RollCall.objects.exists()


def test_req_ppl_04_staff_booked_for_the_day_are_on_the_roster(project, team, make_user, org, rulebook):
    from huiyi.resources import services as resources

    guard = make_user("security", org["north_events"], username="guard", display_name="王刚")
    admin = make_user(None, org["company"], username="boss", is_superuser=True)
    resources.book(
        project,
        by=admin,
        kind="staff",
        staff=guard,
        staff_role="security",
        starts_at=project.start - timedelta(hours=1),
        ends_at=project.end,
    )
    assert guard in [e.user for e in queries.roster(project, rulebook)]
    with pytest.raises(PermissionDenied):  # not on the team: does not see the project, a lead checks them in
        services.check_in(project, user=guard, by=guard)
    entry, created = services.check_in(project, user=guard, by=team["director"])
    assert created and entry.roles == ["security"]
