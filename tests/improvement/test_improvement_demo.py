"""The demo's improvement loop (REQ-FBK-04, REQ-QLT-11): HY-2026-081 has a completed analysis with five
issues, the strengths and weaknesses table and four actions (two evaluated within the rulebook's allowance,
one in progress, one overdue); HY-2026-096 an analysis in progress with two actions; both phase-5 outputs of
HY-2026-081 are present; building twice adds nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from huiyi.feedback.improvement import demo, queries
from huiyi.feedback.improvement.models import ImprovementAction
from huiyi.projects.outputs import evidence_for
from huiyi.quality.metrics import measure
from huiyi.rulebook.services import rulebook_for

pytestmark = pytest.mark.django_db


def test_demo_builds_the_improvement_loop(make_user, make_project, org):
    unit = org["north_events"]
    people = {
        "project_manager": make_user("project_manager", unit, username="yang"),
        "on_site_director": make_user("on_site_director", unit, username="zhao"),
        "technical_support": make_user("technical_support", unit, username="sun"),
        "account_manager": make_user("account_manager", unit, username="li"),
        "quality_officer": make_user("quality_officer", unit, username="han"),
    }
    members = [(user, role) for role, user in people.items() if role != "quality_officer"]
    now = timezone.now()
    forum = make_project(
        unit,
        code=demo.FORUM,
        phase=5,
        start=now - timedelta(days=56),
        end=now - timedelta(days=55),
        members=members,
    )
    training = make_project(
        unit,
        code=demo.TRAINING,
        phase=4,
        start=now - timedelta(days=10),
        end=now - timedelta(days=8),
        members=members,
    )
    demo.build([forum, training], people)
    demo.build([forum, training], people)  # idempotent

    analysis = queries.analysis_of(forum)
    assert analysis.is_completed and analysis.issues.count() == 5 and analysis.lines.count() == 5
    counts = queries.issue_counts(analysis)
    assert counts["on_spot"] == 3 and counts["client"] == 2
    actions = list(queries.actions_of(forum))
    statuses = [a.status for a in actions]
    assert statuses.count("effect_evaluated") == 2 and statuses.count("in_progress") == 1
    assert sum(a.is_overdue() for a in actions) == 1 and len(actions) == 4
    rulebook = rulebook_for(forum)
    assert measure("improvement_completion_rate", forum, rulebook).value == Decimal("0.5")
    effect = measure("improvement_effect_evaluation_time", forum, rulebook)
    assert rulebook.rules_where(metric="improvement_effect_evaluation_time")[0].passes(effect.value)
    assert measure("improvement_report_interval", forum, rulebook).value is not None
    assert evidence_for(forum, "strengths_weaknesses_analysis") is not None
    assert evidence_for(forum, "improvement_plan") is not None
    assert any(a.nonconformances.exists() for a in actions)

    assert not queries.analysis_of(training).is_completed
    assert ImprovementAction.objects.filter(project=training).count() == 2
    assert evidence_for(training, "strengths_weaknesses_analysis") is None
