"""Survey collection rate (REQ-FBK-02, REQ-QLT-09), hand-computed: a survey for those who checked in targets
the active attendees with a check-in (a cancelled attendee's check-in does not count), one for everyone every
active attendee; responses above the target count up to the target."""

from decimal import Decimal

import pytest
from django.utils import timezone

from huiyi.feedback.surveys.models import Audience, Response, Survey, SurveyTemplate
from huiyi.onsite.attendees.models import Attendee, Ticket
from huiyi.onsite.checkin.models import CheckIn
from huiyi.quality.kpis import registry

from .conftest import at, scope_of

pytestmark = pytest.mark.django_db


def _attendee(project, n: int, owner, *, came: bool, active: bool = True):
    attendee = Attendee.objects.create(
        project=project,
        external_key=f"k{project.pk}-{n}",
        name=f"参会人 {n}",
        status=Attendee.Status.ACTIVE if active else Attendee.Status.CANCELLED,
        created_by=owner,
    )
    ticket = Ticket.objects.create(attendee=attendee, project=project)
    if came:
        now = timezone.now()
        CheckIn.objects.create(ticket=ticket, project=project, checked_in_at=now, device="d1", created_at=now)


def _survey(project, owner, responses: int, only_checked_in: bool):
    template = SurveyTemplate.objects.create(name="attendees", audience=Audience.ATTENDEES, created_by=owner)
    survey = Survey.objects.create(
        project=project,
        template=template,
        audience=Audience.ATTENDEES,
        opens_at=project.end,
        closes_at=project.end,
        only_checked_in=only_checked_in,
        created_by=owner,
    )
    for _ in range(responses):
        Response.objects.create(survey=survey, source="staff")


def test_REQ_FBK_02_collection_rate_counts_targeted_attendees_and_caps_responses(make_project, people, org):
    owner = people["quality"]
    checked = make_project(org["north_events"], start=at("2026-03-02 09:00"), end=at("2026-03-02 17:00"))
    everyone = make_project(org["north_events"], start=at("2026-04-02 09:00"), end=at("2026-04-02 17:00"))
    # checked: 3 active attendees, 2 of them checked in, + a cancelled one who had checked in → target 2;
    # 5 responses count as 2 (capped at the target).
    for n, came in enumerate((True, True, False)):
        _attendee(checked, n, owner, came=came)
    _attendee(checked, 9, owner, came=True, active=False)
    _survey(checked, owner, responses=5, only_checked_in=True)
    # everyone: 3 active attendees (1 checked in) + 1 cancelled → target 3; 1 response.
    for n, came in enumerate((True, False, False)):
        _attendee(everyone, n, owner, came=came)
    _attendee(everyone, 9, owner, came=False, active=False)
    _survey(everyone, owner, responses=1, only_checked_in=False)

    scope, period = scope_of("2026")
    kpi = registry.get("collection_rate")
    value = kpi.compute(scope)
    assert (value.numerator, value.denominator) == (3, 5)  # (2 + 1) / (2 + 3)
    assert value.value == Decimal("0.6000")
    trend = dict(zip(period.trend(), kpi.trend(scope, period.trend()), strict=True))
    assert trend[period].value == Decimal("0.6000")
    month_scope, month = scope_of("2026-04")
    assert kpi.compute(month_scope).value == Decimal("0.3333")  # 1 / 3
