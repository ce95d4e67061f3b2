"""Fixtures of the survey tests: a finished meeting with attendees, some of whom checked in."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from huiyi.feedback.surveys import services
from huiyi.feedback.surveys.models import Audience
from huiyi.onsite.attendees.models import Attendee, Ticket
from huiyi.onsite.checkin.models import CheckIn


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def add_attendee(project, name, *, checked_in=False, category="guest", email="", language="zh-hans"):
    attendee = Attendee.objects.create(
        project=project, external_key=name, name=name, category=category, email=email, language=language
    )
    ticket = Ticket.objects.create(attendee=attendee, project=project)
    if checked_in:
        now = timezone.now()
        CheckIn.objects.create(
            ticket=ticket, project=project, checked_in_at=now, device="test", created_at=now
        )
    return attendee


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


def scale_questions(survey):
    return list(survey.template.questions.filter(kind="scale").order_by("position"))


def full_answer(survey, value=4, **overrides):
    """{question pk: value} answering every scale question with ``value`` (by dimension in overrides)."""
    return {q.pk: overrides.get(q.dimension, value) for q in scale_questions(survey)}
