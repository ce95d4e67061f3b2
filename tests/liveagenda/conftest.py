from datetime import timedelta

import pytest
from django.utils import timezone

from huiyi.onsite.agenda import services


@pytest.fixture
def team(make_user, make_project, org):
    """A meeting running now: started four hours ago, ends in four hours; its on-site team."""
    unit = org["north_events"]
    director = make_user("on_site_director", unit, username="director", email="director@example.com")
    supervisor = make_user("execution_supervisor", unit, username="supervisor")
    reception = make_user("reception", unit, username="reception", email="reception@example.com")
    tech = make_user("technical_support", unit, username="tech")
    planner = make_user("planner", unit, username="planner")
    now = timezone.now()
    project = make_project(
        unit,
        members=[
            (director, "on_site_director"),
            (supervisor, "execution_supervisor"),
            (reception, "reception"),
            (tech, "technical_support"),
            (planner, "planner"),
        ],
        phase=3,
        start=now - timedelta(hours=4),
        end=now + timedelta(hours=4),
    )
    return {
        "project": project,
        "director": director,
        "supervisor": supervisor,
        "reception": reception,
        "tech": tech,
        "planner": planner,
        "now": now,
    }


@pytest.fixture
def add_item(team):
    def add(title="环节", kind="speech", start=0, minutes=30, **fields):
        """An item starting ``start`` minutes after the meeting's start and lasting ``minutes``."""
        project = team["project"]
        begin = project.start + timedelta(minutes=start)
        return services.create_item(
            project,
            kind=kind,
            title=title,
            planned_start=begin,
            planned_end=begin + timedelta(minutes=minutes),
            created_by=team["director"],
            **fields,
        )

    return add
