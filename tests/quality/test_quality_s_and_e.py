"""S and E of Q = S × E × P measured from the project's records (REQ-GEN-04)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from huiyi.feedback.surveys.models import Revisit
from huiyi.projects.preparation.models import Task
from huiyi.quality import scoring
from huiyi.quality.metrics import Measurement, NotMeasurable, measure
from huiyi.rulebook.services import rulebook_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(make_user, org):
    return make_user("project_manager", org["north_events"], username="s-e-manager")


@pytest.fixture
def project(make_project, manager):
    return make_project(members=[(manager, "project_manager")], start_in_days=-3)


def _revisit(project, by, score, outcome=Revisit.Outcome.DONE):
    return Revisit.objects.create(
        project=project,
        contact="王经理",
        channel="phone",
        on=date.today(),
        outcome=outcome,
        score=score,
        created_by=by,
    )


def _task(project, owner, number, *, due, done_at=None):
    return Task.objects.create(
        project=project,
        number=number,
        title=f"任务{number}",
        owner=owner,
        due=due,
        done_criterion="完成",
        status=Task.Status.DONE if done_at else Task.Status.OPEN,
        done_at=done_at,
    )


def test_satisfaction_rate_counts_clients_at_or_above_the_rulebook_line(project, manager):
    """REQ-GEN-04: S = satisfied clients / all clients; the line (80 by default) comes from the rulebook."""
    rulebook = rulebook_for(project)
    line = rulebook.rule("qlt.quality.satisfied_client_score").value
    for score in (line, line + 10, line - 1, 40):
        _revisit(project, manager, score)
    _revisit(project, manager, None, outcome=Revisit.Outcome.PLANNED)  # not yet asked: not a client answer
    result = measure("client_satisfaction_rate", project, rulebook)
    assert isinstance(result, Measurement)
    assert result.value == Decimal("0.5")
    assert result.evidence["satisfied"] == 2 and result.evidence["clients"] == 4


def test_satisfaction_rate_not_measurable_without_answers(project):
    """REQ-GEN-04: no client answer is "not measurable", never a zero."""
    assert isinstance(measure("client_satisfaction_rate", project, rulebook_for(project)), NotMeasurable)


def test_on_time_rate_counts_tasks_due_so_far(project, manager):
    """REQ-GEN-04: E = tasks done by their due time / tasks due; open overdue tasks are late, future ones
    are not counted."""
    now = timezone.now()
    _task(project, manager, 1, due=now - timedelta(days=2), done_at=now - timedelta(days=3))  # on time
    _task(project, manager, 2, due=now - timedelta(days=2), done_at=now - timedelta(days=1))  # late
    _task(project, manager, 3, due=now - timedelta(hours=1))  # overdue, open
    _task(project, manager, 4, due=now - timedelta(days=1), done_at=now - timedelta(days=1))  # exactly due
    _task(project, manager, 5, due=now + timedelta(days=1))  # not yet due
    result = measure("service_on_time_rate", project, rulebook_for(project))
    assert result.value == Decimal("0.5")
    assert result.evidence == {"on_time": 2, "due": 4, "at": result.evidence["at"]}


def test_q_is_measurable_once_s_e_and_p_are(project, manager):
    """REQ-GEN-04: with S and E registered, Q = S × E × P is computed for a project."""
    _revisit(project, manager, 100)
    _task(
        project,
        manager,
        1,
        due=timezone.now() - timedelta(days=1),
        done_at=timezone.now() - timedelta(days=2),
    )
    scores = scoring.project_scores(project)
    assert scores.s.value == Decimal(1)
    assert scores.e.value == Decimal(1)
    assert scores.q.measurable is scores.p.measurable
