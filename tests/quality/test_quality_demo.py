"""The demo's quality records: real verdicts with clauses and a failed budget deviation whose nonconformance
has a planned corrective action (issue 3, "Done when")."""

import pytest

from huiyi.quality import demo
from huiyi.quality.models import ControlPointResult, Nonconformance
from huiyi.rulebook.services import rulebook_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user, org):
    roles = ["project_director", "account_manager", "project_execution", "visual_design", "technical_support"]
    return {role: make_user(role, org["north"]) for role in [*roles, "hr", "finance"]}


def test_demo_builds_verdicts_and_one_nonconformance_with_an_action(make_project, people):
    director = people["project_director"]
    early = make_project(phase=1, members=[(director, "project_director")])
    failing = make_project(phase=2, members=[(director, "project_director")])
    later = make_project(phase=5, members=[(director, "project_director")])
    skipped = make_project(phase=3, out_of_scope="informal")

    opened = demo.build([early, failing, later, skipped], people)

    assert not ControlPointResult.objects.filter(project__in=[early, skipped]).exists()
    p1 = rulebook_for(failing).phases[0].control_points
    assert set(
        ControlPointResult.objects.filter(project=failing).values_list("control_point", flat=True)
    ) == set(p1)
    assert ControlPointResult.objects.filter(project=failing, verdict="pass").exists()
    budget = ControlPointResult.objects.get(project=failing, rule_id="ccp02.budget_deviation")
    assert budget.verdict == "fail" and budget.clause

    [nc] = opened
    assert nc.project == failing and nc.rule_id == "ccp02.budget_deviation"
    assert nc.actions.count() == 1 and nc.status == Nonconformance.Status.ACTION_PLANNED
    assert nc.root_cause

    later_results = ControlPointResult.objects.filter(project=later)
    assert later_results.filter(control_point="CCP-10").exists()
    assert not later_results.filter(verdict="fail").exists()
    assert not Nonconformance.objects.filter(project=later).exists()
