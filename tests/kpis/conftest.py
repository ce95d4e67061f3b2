import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from huiyi.feedback.complaints.models import Complaint
from huiyi.feedback.surveys.models import Audience, Response, Revisit, Survey, SurveyTemplate
from huiyi.incidents.models import Incident
from huiyi.projects.preparation.models import Task
from huiyi.quality.kpis import periods, queries
from huiyi.quality.models import ControlPointResult

SH = dt.timezone(dt.timedelta(hours=8))


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SH)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def people(make_user, org):
    return {
        "quality": make_user("quality_officer", org["company"], username="qo", email="qo@example.com"),
        "director": make_user("project_director", org["north"], username="director", email="d@example.com"),
        "manager": make_user("project_manager", org["north_events"], username="pm", email="pm@example.com"),
        "planner": make_user("planner", org["north_events"], username="planner"),
        "south_pm": make_user("project_manager", org["south_events"], username="south_pm"),
    }


def result(project, rule_id: str, verdict: str, when: dt.datetime, control_point: str = "CCP-01"):
    return ControlPointResult.objects.record(
        project=project,
        control_point=control_point,
        rule_id=rule_id,
        req="REQ-QLT-03",
        clause="§3.2",
        metric="m",
        op=">=",
        threshold=1,
        unit="ratio",
        verdict=verdict,
        rulebook_version=project.rulebook_version,
        evaluated_at=when,
    )


def task(project, number: int, due: dt.datetime, done_at: dt.datetime | None, owner):
    return Task.objects.create(
        project=project,
        number=number,
        title=f"task {number}",
        owner=owner,
        due=due,
        done_criterion="done",
        status=Task.Status.DONE if done_at else Task.Status.OPEN,
        done_at=done_at,
        created_by=owner,
    )


def client_answer(project, score: str, owner):
    template = SurveyTemplate.objects.filter(
        audience=Audience.CLIENT
    ).first() or SurveyTemplate.objects.create(name="client", audience=Audience.CLIENT, created_by=owner)
    survey = Survey.objects.filter(
        project=project, audience=Audience.CLIENT
    ).first() or Survey.objects.create(
        project=project,
        template=template,
        audience=Audience.CLIENT,
        opens_at=project.end,
        closes_at=project.end + dt.timedelta(days=7),
        created_by=owner,
    )
    return Response.objects.create(survey=survey, source="staff", score=score)


def revisit(project, score: int, owner):
    return Revisit.objects.create(
        project=project, contact="刘洋", channel="phone", on=project.end.date(), score=score, created_by=owner
    )


def complaint(project, severity: str, owner, n: int):
    return Complaint.objects.create(
        project=project,
        reference=f"C-{project.pk}-{n}",
        channel="phone",
        severity=severity,
        received_at=project.end,
        created_by=owner,
    )


def incident(project, level: str, owner, n: int, drill: bool = False):
    return Incident.objects.create(
        project=project,
        number=n,
        type="power",
        place="hall",
        occurred_at=project.start,
        reported_at=project.start,
        suggested_level=level,
        level=level,
        is_drill=drill,
        reporter=owner,
        created_by=owner,
    )


def scope_of(period_text: str, user=None, **params):
    period = periods.parse(period_text)
    filters = queries.parse_filters(params, user)
    return queries.scope_for(period, filters, user), period


@pytest.fixture
def now():
    return timezone.now()
