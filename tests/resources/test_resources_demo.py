"""The demo's resources (issue 4, "Done when"): bookings against the frozen plans, one unconfirmed booking,
one mismatch and one failing equipment reading."""

import pytest

from huiyi.projects.outputs import evidence_for
from huiyi.projects.planning import demo as planning_demo
from huiyi.quality.metrics import measure
from huiyi.resources import demo, queries
from huiyi.resources.models import Booking, Equipment, Room, Supplier, SupplierScorecard, Venue
from huiyi.rulebook.services import rulebook_for


@pytest.fixture
def people(make_user, org):
    roles = ["project_director", "project_manager", "planner", "account_manager", "project_execution"]
    return {role: make_user(role, org["north_events"]) for role in roles}


def test_demo_resources_against_the_demo_plans(make_project, people):
    director = people["project_director"]
    team = [
        (people["project_manager"], "project_manager"),
        (people["project_execution"], "project_execution"),
    ]
    early = make_project(phase=1, members=team)
    flawed = make_project(phase=2, members=team, expected_attendees=300, start_in_days=20)
    later = make_project(phase=3, members=[*team, (director, "project_director")], start_in_days=3)
    planning_demo.build([early, flawed, later], people)

    demo.build([early, flawed, later], people)

    assert (
        Venue.objects.count() == 2
        and Room.objects.filter(name__in=["黄浦厅", "明珠厅", "1 号厅"]).count() == 3
    )
    assert Equipment.objects.count() == 15
    assert sum(1 for item in queries.equipment_register() if item.maintenance_overdue) == 1
    assert Supplier.objects.count() == 4 and SupplierScorecard.objects.count() == 4
    assert not Booking.objects.filter(project=early).exists()

    rb = rulebook_for(flawed)
    assert measure("booking_confirmations_complete", flawed, rb).value == 0
    assert measure("booking_confirmations_complete", later, rb).value == 1
    mismatches = queries.compare_with_plan(flawed).mismatches
    assert [m.line.name for m in mismatches] == ["会议手册"]
    assert measure("booking_error_rate", later, rb).value == 0
    assert measure("key_equipment_tests_passed", flawed, rb).value == 0
    assert measure("key_equipment_tests_passed", later, rb).value == 1
    assert measure("av_rehearsal_done", later, rb).value == 1
    for project in (flawed, later):
        assert evidence_for(project, "venue_layout_drawing") and evidence_for(project, "equipment_list")
    assert flawed.resource_proposals.exists()
