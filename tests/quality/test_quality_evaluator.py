"""The metric registry and the evaluator (REQ-QLT-03), nonconformances opened by failures (REQ-QLT-06).

Thresholds are never re-typed here: every expected verdict is derived from the rule's value in the
project's pinned rulebook.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from huiyi.calendar import services as calendar
from huiyi.quality import metrics, services
from huiyi.quality.models import ControlPointResult, ManualMeasurement, Nonconformance
from huiyi.rulebook.services import rulebook_for

pytestmark = pytest.mark.django_db

BUDGET = Decimal("1000000")


@pytest.fixture
def director(make_user, org):
    return make_user("project_director", org["north"], display_name="赵敏")


@pytest.fixture
def project(make_project, director):
    return make_project(phase=2, members=[(director, "project_director")])


def budget_rule(project):
    return rulebook_for(project).rule("ccp02.budget_deviation")


def planned_for(project, *, passing: bool) -> Decimal:
    """A planned cost just inside or just outside the rulebook's budget-deviation threshold."""
    limit = Decimal(str(budget_rule(project).value))
    margin = Decimal("0.01") if not passing else Decimal("-0.01")
    return BUDGET * (1 + limit + margin)


def current(project, rule_id):
    return ControlPointResult.objects.filter(project=project, rule_id=rule_id).first()


def test_req_qlt_03_evaluates_every_criterion_of_the_twelve_control_points(project, director):
    rulebook = rulebook_for(project)
    results = services.evaluate(project, by=director)
    expected = [r.id for r in rulebook.rules if r.control_point]
    assert [r.rule_id for r in results] == expected
    assert {r.control_point for r in results} == {c.id for c in rulebook.control_points}
    assert all(r.verdict == ControlPointResult.Verdict.NOT_MEASURABLE for r in results)
    assert all(r.reason["zh-hans"] and r.reason["en"] for r in results)
    assert results[0].rulebook_version == project.rulebook_version


def test_req_pln_03_budget_deviation_fail_and_pass_against_the_rulebook_value(project, director):
    rule = budget_rule(project)
    services.record_budget(project, planned=planned_for(project, passing=False), budget=BUDGET, by=director)
    [result] = [r for r in services.evaluate(project, "CCP-02", by=director) if r.rule_id == rule.id]
    assert result.verdict == "fail"
    assert result.value > Decimal(str(rule.value))
    assert result.op == rule.op and result.threshold == rule.value and result.unit == rule.unit
    assert result.clause == rule.clause and result.req == rule.req
    assert result.evidence["planned"] == str(planned_for(project, passing=False))
    assert result.evidence["budget"] == str(BUDGET)
    assert result.measured_by == director and result.evaluated_by == director

    services.record_budget(project, planned=planned_for(project, passing=True), budget=BUDGET, by=director)
    [again] = [r for r in services.evaluate(project, "CCP-02", by=director) if r.rule_id == rule.id]
    assert again.verdict == "pass"


def test_req_qlt_03_threshold_edge_is_a_pass(project, director):
    """A value exactly at the threshold meets it (≤ / ≥ are inclusive)."""
    rule = rulebook_for(project).rule("ccp02.creativity_score")
    services.record_measurement(project, rule.metric, Decimal(str(rule.value)), by=director)
    [result] = [r for r in services.evaluate(project, "CCP-02") if r.rule_id == rule.id]
    assert result.verdict == "pass"


def test_results_are_append_only(project, director):
    rule = rulebook_for(project).rule("ccp02.creativity_score")
    services.record_measurement(project, rule.metric, Decimal(str(rule.value)) - 1, by=director)
    services.evaluate(project, "CCP-02", by=director)
    services.record_measurement(project, rule.metric, Decimal(str(rule.value)) + 1, by=director)
    services.evaluate(project, "CCP-02", by=director)
    rows = list(ControlPointResult.objects.filter(project=project, rule_id=rule.id).order_by("pk"))
    assert [r.verdict for r in rows] == ["fail", "pass"]
    with pytest.raises(ValueError, match="append-only"):
        rows[0].save()


def test_req_qlt_06_one_nonconformance_per_failing_criterion_and_none_on_reevaluation(project, director):
    rulebook = rulebook_for(project)
    creativity = rulebook.rule("ccp02.creativity_score")
    services.record_budget(project, planned=planned_for(project, passing=False), budget=BUDGET, by=director)
    services.record_measurement(project, creativity.metric, Decimal(str(creativity.value)) - 5, by=director)
    first = services.evaluate(project, "CCP-02", by=director)
    assert Nonconformance.objects.filter(project=project).count() == 2
    second = services.evaluate(project, "CCP-02", by=director)
    assert Nonconformance.objects.filter(project=project).count() == 2
    budget_first = next(r for r in first if r.rule_id == "ccp02.budget_deviation")
    budget_second = next(r for r in second if r.rule_id == "ccp02.budget_deviation")
    assert budget_first.nonconformance_id == budget_second.nonconformance_id is not None
    assert budget_first.nonconformance.results.count() == 2


def test_req_qlt_06_nonconformance_fields(project, director):
    rule = budget_rule(project)
    services.record_budget(project, planned=planned_for(project, passing=False), budget=BUDGET, by=director)
    services.evaluate(project, "CCP-02", by=director)
    nc = Nonconformance.objects.get(project=project, rule_id=rule.id)
    assert nc.source == "ccp" and nc.control_point == "CCP-02"
    assert nc.severity == (rule.severity or "minor")
    cp = rulebook_for(project).control_point("CCP-02")
    assert nc.owner_role == cp.owner_role
    assert nc.owner == director  # the project member holding the owner role
    assert nc.status == "open"
    assert rule.name.zh_hans in nc.description["zh-hans"]
    assert rule.name.en in nc.description["en"]
    assert rule.clause in nc.description["en"]


def test_req_qlt_06_due_date_comes_from_the_rulebook_through_the_calendar(project, director):
    rulebook = rulebook_for(project)
    rule = budget_rule(project)
    severity = rule.severity or "minor"
    [deadline_rule] = [
        r for r in rulebook.rules_where(metric=services.NC_DEADLINE_METRIC) if r.severity == severity
    ]
    services.record_budget(project, planned=planned_for(project, passing=False), budget=BUDGET, by=director)
    services.evaluate(project, "CCP-02", by=director)
    nc = Nonconformance.objects.get(project=project, rule_id=rule.id)
    expected = calendar.due(nc.opened_at, working_days=int(deadline_rule.value))
    assert nc.due_at == expected.due
    assert nc.due_confirmed == expected.confirmed
    assert nc.due_rule == deadline_rule.id


def test_a_pass_does_not_close_the_nonconformance(project, director):
    services.record_budget(project, planned=planned_for(project, passing=False), budget=BUDGET, by=director)
    services.evaluate(project, "CCP-02", by=director)
    services.record_budget(project, planned=planned_for(project, passing=True), budget=BUDGET, by=director)
    services.evaluate(project, "CCP-02", by=director)
    assert Nonconformance.objects.get(project=project).status == "open"


def test_the_database_refuses_two_live_nonconformances_for_one_criterion(project, director):
    """The partial unique constraint is what keeps two concurrent evaluations from opening two."""
    services.record_budget(project, planned=planned_for(project, passing=False), budget=BUDGET, by=director)
    services.evaluate(project, "CCP-02", by=director)
    nc = Nonconformance.objects.get(project=project)
    with pytest.raises(IntegrityError), transaction.atomic():
        Nonconformance.objects.create(project=project, rule_id=nc.rule_id, description={"en": "dup"})
    Nonconformance.objects.filter(pk=nc.pk).update(status="closed")
    Nonconformance.objects.create(project=project, rule_id=nc.rule_id, description={"en": "again"})


def test_a_closed_nonconformance_lets_a_new_failure_open_another(project, director):
    services.record_budget(project, planned=planned_for(project, passing=False), budget=BUDGET, by=director)
    services.evaluate(project, "CCP-02", by=director)
    Nonconformance.objects.update(status="closed")
    services.evaluate(project, "CCP-02", by=director)
    assert Nonconformance.objects.filter(project=project).count() == 2


def test_unknown_control_point_is_refused(project):
    with pytest.raises(ValidationError) as error:
        services.evaluate(project, "CCP-99")
    assert "control_point" in error.value.message_dict


def test_manual_measurement_counts_with_its_author(project, director, make_user, org):
    reviewer = make_user("quality_officer", org["north"], display_name="韩梅")
    rule = rulebook_for(project).rule("ccp02.creativity_score")
    services.record_measurement(project, rule.metric, 86, note="内部评审", by=reviewer)
    [result] = [r for r in services.evaluate(project, "CCP-02", by=director) if r.rule_id == rule.id]
    assert result.source == "manual"
    assert result.measured_by == reviewer
    assert result.evidence["note"] == "内部评审"
    assert result.value == Decimal("86")


def test_latest_manual_measurement_wins(project, director):
    rule = rulebook_for(project).rule("ccp02.creativity_score")
    services.record_measurement(project, rule.metric, 10, by=director)
    services.record_measurement(project, rule.metric, 90, by=director)
    outcome = metrics.measure(rule.metric, project, rulebook_for(project))
    assert outcome.value == Decimal("90")


def test_checklist_criteria_can_be_ticked(project, director):
    rule = rulebook_for(project).rule("ccp03.client_signature")
    services.record_measurement(project, rule.metric, 1, by=director)
    [result] = [r for r in services.evaluate(project, "CCP-03") if r.rule_id == rule.id]
    assert result.verdict == "pass"
    services.record_measurement(project, rule.metric, 0, by=director)
    [result] = [r for r in services.evaluate(project, "CCP-03") if r.rule_id == rule.id]
    assert result.verdict == "fail"


@pytest.mark.parametrize(
    ("rule_id", "value", "field"),
    [
        ("ccp03.client_signature", 2, "value"),
        ("ccp02.client_confirmation", "-0.1", "value"),
        ("ccp02.client_confirmation", "1.5", "value"),
        ("ccp02.creativity_score", "abc", "value"),
        ("ccp02.creativity_score", "NaN", "value"),
    ],
)
def test_bad_manual_values_are_refused_and_nothing_is_saved(project, director, rule_id, value, field):
    rule = rulebook_for(project).rule(rule_id)
    with pytest.raises(ValidationError) as error:
        services.record_measurement(project, rule.metric, value, by=director)
    assert field in error.value.message_dict
    assert not ManualMeasurement.objects.exists()


def test_bad_budget_amounts_name_the_field(project, director):
    with pytest.raises(ValidationError) as error:
        services.record_budget(project, planned="100", budget="0", by=director)
    assert "budget" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.record_budget(project, planned="-1", budget="100", by=director)
    assert "planned" in error.value.message_dict
    assert not ManualMeasurement.objects.exists()


def test_unknown_metric_cannot_be_recorded(project, director):
    with pytest.raises(ValidationError) as error:
        services.record_measurement(project, "no_such_metric", 1, by=director)
    assert "metric" in error.value.message_dict


def test_registered_metric_wins_and_registry_refuses_duplicates(project, director):
    key = "plan_creativity_score"
    original = metrics.registry().get(key)  # the planning app's own computation, restored below
    metrics.unregister(key)

    @metrics.metric(key)
    def computed(project, rulebook):
        return metrics.Measurement(value=Decimal("99"), evidence={"reviews": 3})

    try:
        services.record_measurement(project, key, 10, by=director)
        outcome = metrics.measure(key, project, rulebook_for(project))
        assert outcome.value == Decimal("99") and outcome.source == "computed"
        with pytest.raises(Exception, match="already registered"):

            @metrics.metric(key)
            def other(project, rulebook):  # pragma: no cover
                return metrics.NotMeasurable("x")
    finally:
        metrics.unregister(key)
        if original is not None:
            metrics.metric(key, replace=True)(original)


def test_not_measurable_metric_falls_back_to_manual_then_reports_its_reason(project, director):
    key = "plan_client_confirmation_rate"
    original = metrics.registry().get(key)  # the planning app's own computation, restored below
    metrics.unregister(key)

    @metrics.metric(key)
    def computed(project, rulebook):
        return metrics.NotMeasurable("no signed confirmation yet")

    try:
        rulebook = rulebook_for(project)
        assert metrics.measure(key, project, rulebook).reason == "no signed confirmation yet"
        services.record_measurement(project, key, "0.97", by=director)
        assert metrics.measure(key, project, rulebook).value == Decimal("0.97")
    finally:
        metrics.unregister(key)
        if original is not None:
            metrics.metric(key, replace=True)(original)


def test_evaluation_runs_in_bounded_queries(project, director, django_assert_max_num_queries):
    services.record_budget(project, planned=planned_for(project, passing=False), budget=BUDGET, by=director)
    n = len([r for r in rulebook_for(project).rules if r.control_point])
    # one insert + one audit entry per result, a few reads per registered metric, plus a fixed overhead
    from huiyi.quality.metrics import registry

    with django_assert_max_num_queries(2 * n + 3 * len(registry()) + 30):
        services.evaluate(project, by=director)


def test_req_qlt_03_only_the_latest_result_of_each_criterion_is_current(project, director):
    from datetime import timedelta

    from huiyi.quality import queries

    first = services.evaluate(project, by=director)
    second = services.evaluate(project, by=director)
    current_ids = set(
        ControlPointResult.objects.filter(project=project, is_current=True).values_list("pk", flat=True)
    )
    assert current_ids == {r.pk for r in second}
    assert not current_ids & {r.pk for r in first}
    assert {r.pk for r in queries.current_results(project).values()} == current_ids
    # a result recorded later but evaluated earlier (an import of an older measurement) does not displace it
    latest = second[0]
    older = ControlPointResult.objects.record(
        project=project,
        control_point=latest.control_point,
        rule_id=latest.rule_id,
        metric=latest.metric,
        op=latest.op,
        unit=latest.unit,
        verdict=latest.verdict,
        rulebook_version=project.rulebook_version,
        evaluated_at=latest.evaluated_at - timedelta(days=1),
    )
    assert not older.is_current
    assert ControlPointResult.objects.get(pk=latest.pk).is_current
