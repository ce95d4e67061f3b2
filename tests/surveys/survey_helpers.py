"""Helpers of the survey tests (a module of its own: `conftest` is an ambiguous name across test folders)."""

from django.utils import timezone

from huiyi.onsite.attendees.models import Attendee, Ticket
from huiyi.onsite.checkin.models import CheckIn


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


def scale_questions(survey):
    return list(survey.template.questions.filter(kind="scale").order_by("position"))


def full_answer(survey, value=4, **overrides):
    """{question pk: value} answering every scale question with ``value`` (by dimension in overrides)."""
    return {q.pk: overrides.get(q.dimension, value) for q in scale_questions(survey)}
