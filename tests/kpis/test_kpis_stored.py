"""Issue 9 / REQ-QLT-09: the figures of ended periods are kept as trend points (``quality.kpis.stored``) and
forgotten as soon as a record they count changes, so a kept figure never differs from a recount."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone
from tests.kpis.conftest import at, complaint, result, scope_of, task

from huiyi.accounts.models import Role
from huiyi.projects.models import ProjectMember
from huiyi.quality.kpis import periods, queries, registry, services, stored
from huiyi.quality.kpis.models import StoredFigure

pytestmark = pytest.mark.django_db


def _trend(key: str, scope, period):
    return {p.key: v.value for p, v in queries.trend_of(registry.get(key), scope, period)}


def _recount(key: str, scope, period):
    stored.forget()
    return _trend(key, scope, period)


@pytest.fixture
def history(make_project, people):
    """Two meetings of 2025 (ended) and one of this year, with CCP results, tasks and a complaint."""
    owner = people["manager"]
    a = make_project(start=at("2025-03-02 09:00"), end=at("2025-03-02 17:00"))
    b = make_project(start=at("2025-09-10 09:00"), end=at("2025-09-10 17:00"))
    c = make_project(start=timezone.now() - dt.timedelta(hours=2), end=timezone.now() - dt.timedelta(hours=1))
    result(a, "a", "pass", at("2025-03-03 10:00"))
    result(b, "a", "fail", at("2025-09-11 10:00"))
    result(c, "a", "pass", timezone.now())
    task(a, 1, at("2025-02-20 10:00"), at("2025-02-19 10:00"), owner)
    complaint(b, "minor", owner, 1)
    return {"a": a, "b": b, "c": c, "owner": owner}


def test_issue_9_ended_periods_are_kept_and_read_back_with_fewer_queries(history, people):
    scope, year = scope_of(str(timezone.localdate().year), None)
    with CaptureQueriesContext(connection) as cold:
        first = _trend("ccp_pass_rate", scope, year)
    kept = set(StoredFigure.objects.filter(kpi="ccp_pass_rate").values_list("period", flat=True))
    assert "2025" in kept and year.key not in kept  # the current year is never kept: it has not ended
    with CaptureQueriesContext(connection) as warm:
        second = _trend("ccp_pass_rate", scope, year)
    assert second == first
    assert first["2025"] == pytest.approx(0.5)
    assert len(warm.captured_queries) < len(cold.captured_queries)


def test_issue_9_a_changed_record_forgets_the_periods_of_its_meeting(history):
    scope, year = scope_of("2025", None)
    before = _trend("ccp_pass_rate", scope, year)
    assert before["2025"] == pytest.approx(0.5)
    quarter_scope, quarter = scope_of("2025-Q3", None)
    _trend("ccp_pass_rate", quarter_scope, quarter)
    assert StoredFigure.objects.filter(kpi="ccp_pass_rate", period__in=["2025", "2025-Q3"]).count() == 2
    result(history["b"], "a", "pass", at("2025-09-12 10:00"))  # B's criterion passes on a second check
    left = set(StoredFigure.objects.filter(kpi="ccp_pass_rate").values_list("period", flat=True))
    assert "2025" not in left and "2025-Q3" not in left
    assert "2024" in left  # a year the change does not touch stays kept
    after = _trend("ccp_pass_rate", scope, year)
    assert after["2025"] == pytest.approx(1) == _recount("ccp_pass_rate", scope, year)["2025"]


def test_issue_9_a_meeting_moved_to_another_period_forgets_both(history):
    scope, year = scope_of("2025", None)
    _trend("complaint_rate", scope, periods.parse("2025-09"))
    _trend("complaint_rate", scope, periods.parse("2025-06"))
    assert {"2025-09", "2025-06"} <= set(StoredFigure.objects.values_list("period", flat=True))
    meeting = history["b"]
    meeting.start, meeting.end = at("2025-06-10 09:00"), at("2025-06-10 17:00")
    meeting.save()
    periods_left = set(StoredFigure.objects.filter(kpi="complaint_rate").values_list("period", flat=True))
    assert not {"2025-09", "2025-06", "2025-Q3", "2025-Q2"} & periods_left
    assert _trend("complaint_rate", scope, periods.parse("2025-06"))["2025-06"] is not None


def test_issue_9_kept_figures_expire_and_belong_to_one_rulebook_version(history):
    scope, year = scope_of("2025", None)
    _trend("ccp_pass_rate", scope, year)
    assert stored.read(registry.get("ccp_pass_rate"), scope, [year])
    StoredFigure.objects.update(computed_at=timezone.now() - dt.timedelta(hours=25))
    assert not stored.read(registry.get("ccp_pass_rate"), scope, [year])
    with override_settings(HUIYI_KPI_STORED_HOURS=48):
        assert stored.read(registry.get("ccp_pass_rate"), scope, [year])
    StoredFigure.objects.update(computed_at=timezone.now(), rulebook="another version")
    assert not stored.read(registry.get("ccp_pass_rate"), scope, [year])


def test_issue_9_a_personal_view_is_kept_apart_and_forgotten_when_the_team_changes(history, people, org):
    manager = people["manager"]
    scope, year = scope_of("2025", manager)
    whole, _ = scope_of("2025", None)
    assert stored.scope_key(scope).startswith(f"user:{manager.pk}|")
    assert stored.scope_key(whole).startswith("all|")
    _trend("ccp_pass_rate", scope, year)
    _trend("ccp_pass_rate", whole, year)
    assert StoredFigure.objects.filter(scope__startswith="user:").exists()
    ProjectMember.objects.create(
        project=history["a"], user=people["planner"], role=Role.objects.get(key="planner")
    )
    assert not StoredFigure.objects.filter(scope__startswith="user:").exists()
    assert StoredFigure.objects.filter(scope__startswith="all|").exists()


def test_issue_9_the_nightly_job_keeps_the_whole_views_ended_periods(history):
    assert services.refresh_stored_figures() > 0
    kept = StoredFigure.objects.filter(scope__startswith="all|")
    assert kept.filter(kpi="quality_q", period="2025").exists()
    assert not kept.filter(period=str(timezone.localdate().year)).exists()
    scope, year = scope_of("2025", None)
    assert _trend("quality_q", scope, year) == _recount("quality_q", scope, year)


def test_issue_9_a_batch_of_changes_forgets_once_when_it_ends(history):
    scope, year = scope_of("2025", None)
    _trend("ccp_pass_rate", scope, year)
    with CaptureQueriesContext(connection) as queries_run, stored.batched():
        for n in range(5):
            result(history["b"], f"r{n}", "pass", at("2025-09-12 10:00"))
        assert StoredFigure.objects.filter(kpi="ccp_pass_rate", period="2025").exists()  # not yet
    deletes = [q for q in queries_run.captured_queries if q["sql"].startswith("DELETE")]
    assert len(deletes) == 1
    assert not StoredFigure.objects.filter(kpi="ccp_pass_rate", period="2025").exists()
