"""Fixtures of the survey tests: a finished meeting with attendees, some of whom checked in."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from survey_helpers import add_attendee

from huiyi.feedback.surveys import services
from huiyi.feedback.surveys.models import Audience


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def manager(make_user, org):
    return make_user("project_manager", org["north_events"], username="manager", email="m@example.com")


@pytest.fixture
def meeting(make_project, manager, org):
    """Ended two hours ago; 10 attendees, 8 checked in (2 VIPs among them)."""
    project = make_project(org["north_events"], members=[(manager, "project_manager")], start_in_days=-1)
    project.end = timezone.now() - timedelta(hours=2)
    project.start = project.end - timedelta(hours=6)
    project.save(update_fields=["start", "end"])
    for n in range(10):
        add_attendee(
            project,
            f"参会者{n}",
            checked_in=n < 8,
            category="vip" if n < 2 else "guest",
            email=f"a{n}@example.com",
            language="en" if n == 3 else "zh-hans",
        )
    return project


@pytest.fixture
def survey(meeting, manager):
    template = services.default_template(Audience.ATTENDEES)
    return services.create_survey(
        meeting,
        by=manager,
        template=template,
        opens_at=meeting.end - timedelta(hours=1),
        closes_at=timezone.now() + timedelta(days=2),
    )
