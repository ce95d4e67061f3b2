"""Fixtures of the inspection tests: a meeting starting in a few hours, its on-site team, a booked room."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from huiyi.projects.models import Phase
from huiyi.resources import services as resources
from huiyi.rulebook.services import rulebook_for


@pytest.fixture
def team(make_user, make_project, org):
    unit = org["north_events"]
    director = make_user("on_site_director", unit, username="director", display_name="周杰")
    tech = make_user("technical_support", unit, username="tech", display_name="吴磊")
    reception = make_user("reception", unit, username="rec", display_name="郑雨")
    planner = make_user("planner", unit, username="planner", display_name="孙丽")
    outsider = make_user("technical_support", org["south_events"], username="outsider", display_name="外人")
    start = timezone.now().replace(second=0, microsecond=0) + timedelta(hours=3)
    project = make_project(
        unit,
        phase=Phase.EXECUTION,
        start=start,
        end=start + timedelta(hours=6),
        venue_name="浦江科技总部 20 楼会议室",
        expected_attendees=18,
        members=[
            (director, "on_site_director"),
            (tech, "technical_support"),
            (reception, "reception"),
            (planner, "planner"),
        ],
    )
    return {
        "project": project,
        "director": director,
        "tech": tech,
        "rec": reception,
        "planner": planner,
        "outsider": outsider,
    }


@pytest.fixture
def project(team):
    return team["project"]


@pytest.fixture
def rulebook(project):
    return rulebook_for(project)


def rule_of(rulebook, metric):
    return rulebook.rules_where(metric=metric)[0]


@pytest.fixture
def room(project, team, make_user, org):
    """A room of the register booked for the meeting."""
    admin = make_user(None, org["company"], username="root", is_superuser=True, is_staff=True)
    venue = resources.create_venue(name="浦江科技总部", city="上海", address="张江路 88 号", created_by=admin)
    board_room = resources.add_room(
        venue, name="20 楼董事会会议室", area_m2=Decimal("80"), capacities={"boardroom": 24}, created_by=admin
    )
    resources.book(
        project,
        by=admin,
        kind="venue",
        room=board_room,
        layout="boardroom",
        starts_at=project.start - timedelta(hours=4),
        ends_at=project.end + timedelta(hours=3),
    )
    return board_room


@pytest.fixture
def device(team, make_user, org):
    admin = make_user(None, org["company"], username="root2", is_superuser=True, is_staff=True)
    return resources.register_equipment(
        name="千兆交换机", category="network", serial_number="NET-T01", created_by=admin
    )
