"""Demo plans (issue 4, "Done when"): confirmed plans for phase ≥2 projects, one in review in phase 1."""

from decimal import Decimal
from unittest import mock

import pytest

from huiyi.projects.planning import demo, queries
from huiyi.projects.planning.models import PlanStatus
from huiyi.quality.metrics import measure
from huiyi.rulebook.services import rulebook_for


@pytest.fixture
def people(make_user, org):
    roles = ["project_director", "project_manager", "planner", "account_manager"]
    return {role: make_user(role, org["north_events"]) for role in roles}


def test_demo_plans_match_the_quality_demo(make_project, people):
    early = make_project(phase=1)
    failing = make_project(phase=2)
    later = make_project(phase=4)
    demo.build([early, failing, later], people)

    assert early.plan_versions.get().status == PlanStatus.REVIEW
    assert list(failing.plan_versions.order_by("number").values_list("status", flat=True)) == [
        PlanStatus.SUPERSEDED,
        PlanStatus.CONFIRMED,
    ]
    assert queries.frozen_plan_resources(later)
    with mock.patch("huiyi.projects.planning.queries.client_budget", return_value=Decimal("1000000")):
        over = measure("budget_deviation", failing, rulebook_for(failing))
        ok = measure("budget_deviation", later, rulebook_for(later))
    rule = rulebook_for(failing).rule("ccp02.budget_deviation")
    assert not rule.passes(over.value) and rule.passes(ok.value)
    for project in (failing, later):
        rulebook = rulebook_for(project)
        for key in ("plan_client_signed", "plan_esigned_copy_archived", "plan_versions_clear"):
            assert measure(key, project, rulebook).value == 1
        assert rulebook.rule("ccp02.creativity_score").passes(
            measure("plan_creativity_score", project, rulebook).value
        )
