"""The risk register (REQ-INC-10, §9; REQ-PLN-04): likelihood × impact → the rulebook's four levels, the heat
map, the plan's risk table imported once, overdue reviews flagged and reminded."""

from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from huiyi.core.models import Notification
from huiyi.incidents.preparedness import matrix, queries, services, tasks
from huiyi.incidents.preparedness.models import Risk
from huiyi.rulebook.loader import default_rulebook

pytestmark = pytest.mark.django_db

MATRIX_FILE = Path(matrix.__file__).with_name("risk_matrix.yaml")


def expected_level(likelihood: int, impact: int) -> int:
    """Read straight from the data file: the first band whose minimum the score reaches."""
    data = yaml.safe_load(MATRIX_FILE.read_text(encoding="utf-8"))
    score = likelihood * impact
    return next(b["level"] for b in sorted(data["bands"], key=lambda b: -b["min"]) if score >= b["min"])


def test_req_inc_10_the_levels_are_the_rulebooks_four():
    grid = matrix.matrix_for(default_rulebook())
    rules = default_rulebook().rules_where(metric="risk_level")
    assert len(rules) == 4
    assert set(grid.levels) == {int(rule.value) for rule in rules}
    assert {level.code for level in grid.levels.values()} == {rule.level_code for rule in rules}
    assert grid.levels[1].name["zh-hans"] == "重大风险"


@given(st.integers(min_value=1, max_value=5), st.integers(min_value=1, max_value=5))
def test_req_inc_10_level_from_likelihood_and_impact_follows_the_matrix(likelihood, impact):
    grid = matrix.matrix_for(default_rulebook())
    assert grid.level_number(likelihood, impact) == expected_level(likelihood, impact)


def test_req_inc_10_more_likely_or_worse_is_never_a_lower_level():
    grid = matrix.matrix_for(default_rulebook())
    for likelihood in grid.likelihood_scale:
        for impact in grid.impact_scale:
            level = grid.level_number(likelihood, impact)
            if likelihood < grid.likelihood_scale[-1]:
                assert grid.level_number(likelihood + 1, impact) <= level
            if impact < grid.impact_scale[-1]:
                assert grid.level_number(likelihood, impact + 1) <= level
    assert grid.level_number(5, 5) == 1 and grid.level_number(1, 1) == 4


def test_req_inc_10_create_risk_computes_level_and_refuses_bad_values(team):
    project, director = team["project"], team["director"]
    risk = services.create_risk(
        project=project,
        title="主会场断电",
        type="equipment",
        likelihood=2,
        impact=5,
        prevention="双路供电，UPS 保障主控台",
        trigger="主会场断电超过 1 分钟",
        owner=team["tech"],
        by=director,
    )
    assert risk.level == expected_level(2, 5)
    for bad, field in (
        ({"likelihood": 6, "impact": 3}, "likelihood"),
        ({"likelihood": 2, "impact": "x"}, "impact"),
    ):
        with pytest.raises(ValidationError) as error:
            services.create_risk(project=project, title="坏值", by=director, **bad)
        assert field in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.create_risk(project=project, title="只有可能性", likelihood=3, by=director)
    assert "impact" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.create_risk(project=project, title="  ", likelihood=3, impact=3, by=director)
    assert "title" in error.value.message_dict
    assert Risk.objects.count() == 1


def test_update_risk_recomputes_the_level(team):
    risk = services.create_risk(
        project=team["project"], title="嘉宾迟到", likelihood=3, impact=2, by=team["planner"]
    )
    risk = services.update_risk(risk, impact=5, by=team["planner"])
    assert (risk.likelihood, risk.impact, risk.level) == (3, 5, expected_level(3, 5))
    with pytest.raises(ValidationError) as error:
        services.update_risk(risk, likelihood=0, by=team["planner"])
    assert "likelihood" in error.value.message_dict
    risk.refresh_from_db()
    assert risk.likelihood == 3


def test_req_inc_10_heat_map_counts_open_assessed_risks_per_cell(team):
    project, by = team["project"], team["director"]
    services.create_risk(project=project, title="A", likelihood=5, impact=5, by=by)
    services.create_risk(project=project, title="B", likelihood=5, impact=5, by=by)
    services.create_risk(project=project, title="C", likelihood=1, impact=2, by=by)
    closed = services.create_risk(project=project, title="D", likelihood=1, impact=2, by=by)
    services.set_risk_status(closed, status="closed", by=by)
    services.create_risk(project=project, title="未评估", by=by)
    heat = queries.heatmap(Risk.objects.all())
    data = heat.as_data()
    assert len(data["cells"]) == 25 and data["unassessed"] == 1
    counts = {(c["likelihood"], c["impact"]): c["count"] for c in data["cells"]}
    assert counts[(5, 5)] == 2 and counts[(1, 2)] == 1 and sum(counts.values()) == 3
    assert heat.rows[0][0] == 5  # the most likely row on top
    levels = {(c["likelihood"], c["impact"]): c["level"] for c in data["cells"]}
    assert levels[(5, 5)] == 1 and levels[(1, 1)] == 4


def test_req_pln_04_import_from_the_confirmed_plan_is_idempotent(team, confirmed_plan):
    project = team["project"]
    created, skipped = services.import_plan_risks(project, by=team["director"])
    assert [r.title for r in created] == ["设备故障", "参会者迟到", "恶劣天气"] and skipped == 0
    device = created[0]
    assert device.type == "equipment" and device.owner == team["tech"]  # the plan's owner is a role name
    assert device.prevention == "会前联调；关键设备备份。" and device.level is None
    weather = created[2]
    assert weather.type == "weather" and weather.owner == team["director"]
    created, skipped = services.import_plan_risks(project, by=team["director"])
    assert created == [] and skipped == 3
    assert Risk.objects.filter(project=project).count() == 3


def test_import_without_a_confirmed_plan_says_so(team):
    with pytest.raises(ValidationError) as error:
        services.import_plan_risks(team["project"], by=team["director"])
    assert "plan" in error.value.message_dict


def test_req_inc_10_overdue_review_is_flagged_and_reminded_once(team):
    risk = services.create_risk(
        project=team["project"],
        title="踩踏",
        likelihood=1,
        impact=5,
        owner=team["security"],
        review_date=timezone.localdate() - timedelta(days=1),
        by=team["director"],
    )
    assert risk.review_overdue()
    assert tasks.remind_overdue_reviews() == 1
    assert tasks.remind_overdue_reviews() == 0
    assert Notification.objects.filter(recipient=team["security"], kind="risk_review").count() == 1
    services.review_risk(risk, next_review=timezone.localdate() + timedelta(days=30), by=team["security"])
    risk.refresh_from_db()
    assert not risk.review_overdue() and risk.reviewed_at is not None
    with pytest.raises(ValidationError) as error:
        services.review_risk(risk, next_review=timezone.localdate(), by=team["security"])
    assert "review_date" in error.value.message_dict
