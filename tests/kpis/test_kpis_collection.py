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


def _two_surveys(make_project, people, org):
    owner = people["quality"]
    checked = make_project(org["north_events"], start=at("2026-03-02 09:00"), end=at("2026-03-02 17:00"))
    for n, came in enumerate((True, True, False)):
        _attendee(checked, n, owner, came=came)
    _survey(checked, owner, responses=1, only_checked_in=True)
    return checked, owner


def test_REQ_FBK_02_ended_surveys_keep_the_figures_recorded_when_collection_ended(make_project, people, org):
    from huiyi.feedback.surveys import services

    checked, owner = _two_surveys(make_project, people, org)
    scope, _period = scope_of("2026")
    kpi = registry.get("collection_rate")
    assert (kpi.compute(scope).numerator, kpi.compute(scope).denominator) == (1, 2)

    assert services.record_final_counts() == 1
    survey = Survey.objects.get(project=checked)
    assert (survey.final_responses, survey.final_targeted) == (1, 2)
    assert services.record_final_counts() == 0  # recorded once
    # a late check-in (an offline scan replayed weeks later) does not change what collection measured
    _attendee(checked, 7, owner, came=True)
    value = kpi.compute(scope)
    assert (value.numerator, value.denominator) == (1, 2)
    rows = kpi.rows(scope)
    assert [(row["responses"], row["targeted"]) for row in map(rows.to_row, rows.rows)] == [(1, 2)]


def test_REQ_FBK_02_a_survey_still_open_is_counted_from_the_rows(make_project, people, org):
    from huiyi.feedback.surveys import services

    checked, owner = _two_surveys(make_project, people, org)
    Survey.objects.filter(project=checked).update(closes_at=timezone.now() + timezone.timedelta(days=1))
    assert services.record_final_counts() == 0
    _attendee(checked, 7, owner, came=True)
    scope, _period = scope_of("2026")
    assert registry.get("collection_rate").compute(scope).denominator == 3


def test_REQ_FBK_02_a_survey_for_some_categories_targets_only_their_attendees(make_project, people, org):
    checked, owner = _two_surveys(make_project, people, org)
    Attendee.objects.filter(project=checked, external_key__endswith="-0").update(category="speaker")
    Survey.objects.filter(project=checked).update(categories=["speaker"])
    scope, _period = scope_of("2026")
    value = registry.get("collection_rate").compute(scope)
    assert (value.numerator, value.denominator) == (1, 1)
