"""Broken rulebooks are refused, and the message names the rule and the reason."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rulebook_testkit import minimal_rulebook, rule_in

from huiyi.rulebook.loader import RulebookError, RulebookInvalid, default_rulebook, load_rulebook, validate


def refused(data) -> str:
    """The message of the refusal (fails the test if the rulebook is accepted)."""
    with pytest.raises(RulebookInvalid) as info:
        load_rulebook(data)
    assert info.value.errors and all(isinstance(e, RulebookError) for e in info.value.errors)
    return str(info.value)


def test_minimal_rulebook_is_valid():
    rb = load_rulebook(minimal_rulebook())
    assert rb.value("ons.environment.temperature") == (20, 24)
    assert rb.weights("final") == {"fbk.final_score.alpha": 0.6, "fbk.final_score.beta": 0.4}


def test_between_without_a_pair_names_the_rule_and_the_reason():
    """The brief's example message, on a copy of the default rulebook."""
    data = default_rulebook().as_data()
    rule = rule_in(data, "ccp02.budget_deviation")
    rule["op"] = "between"
    message = refused(data)
    assert "rule ccp02.budget_deviation: op 'between' needs [min, max]" in message


@pytest.mark.parametrize("value", [0.05, [1], [1, 2, 3], ["a", "b"], None])
def test_between_needs_min_max_pair(value):
    data = minimal_rulebook()
    rule_in(data, "ons.environment.temperature")["value"] = value
    assert "rule ons.environment.temperature: op 'between' needs [min, max]" in refused(data)


def test_between_min_greater_than_max_is_refused():
    data = minimal_rulebook()
    rule_in(data, "ons.environment.temperature")["value"] = [24, 20]
    assert "rule ons.environment.temperature: op 'between' needs min ≤ max, got [24, 20]" in refused(data)


@pytest.mark.parametrize("value", [[0.01, 0.05], "5 %", True])
def test_other_ops_need_a_number(value):
    data = minimal_rulebook()
    rule_in(data, "ccp02.budget_deviation")["value"] = value
    assert "rule ccp02.budget_deviation: op '<=' needs a number" in refused(data)


def test_duplicate_rule_id_is_refused():
    data = minimal_rulebook()
    data["rules"].append(dict(rule_in(data, "ccp02.budget_deviation")))
    assert "rule ccp02.budget_deviation: duplicate rule id (used 2 times)" in refused(data)


def test_unknown_requirement_is_refused():
    data = minimal_rulebook()
    rule_in(data, "ccp02.budget_deviation")["req"] = "REQ-PLN-99"
    assert "rule ccp02.budget_deviation: unknown requirement 'REQ-PLN-99'" in refused(data)


def test_unknown_see_also_requirement_is_refused():
    data = minimal_rulebook()
    rule_in(data, "ccp02.budget_deviation")["see_also"] = ["REQ-QLT-03", "REQ-ZZZ-01"]
    assert "rule ccp02.budget_deviation: unknown requirement 'REQ-ZZZ-01'" in refused(data)


def test_known_requirements_can_be_given():
    data = minimal_rulebook()
    errors = validate(data, known_reqs={"REQ-ONS-04", "REQ-FBK-03", "REQ-FBK-08", "REQ-DOC-04"})
    assert [str(e) for e in errors] == ["rule ccp02.budget_deviation: unknown requirement 'REQ-PLN-03'"]


def test_malformed_requirement_id_is_refused():
    data = minimal_rulebook()
    rule_in(data, "ccp02.budget_deviation")["req"] = "PLN-03"
    assert "rule ccp02.budget_deviation: req 'PLN-03' does not match" in refused(data)


def test_unknown_unit_is_refused():
    data = minimal_rulebook()
    rule_in(data, "ccp02.budget_deviation")["unit"] = "furlongs"
    assert "rule ccp02.budget_deviation: unknown unit 'furlongs'" in refused(data)


def test_unknown_kind_and_op_are_refused():
    data = minimal_rulebook()
    rule_in(data, "ccp02.budget_deviation")["kind"] = "wish"
    rule_in(data, "fbk.collect_deadline")["op"] = "≈"
    message = refused(data)
    assert "rule ccp02.budget_deviation: unknown kind 'wish'" in message
    assert "rule fbk.collect_deadline: unknown op '≈'" in message


def test_unknown_control_point_is_refused():
    data = minimal_rulebook()
    rule_in(data, "ccp02.budget_deviation")["control_point"] = "CCP-13"
    assert "rule ccp02.budget_deviation: unknown control point 'CCP-13'" in refused(data)


def test_unknown_phase_and_owner_role_are_refused():
    data = minimal_rulebook()
    rule = rule_in(data, "ons.environment.temperature")
    rule["phase"] = "P9"
    rule["owner_role"] = "wizard"
    message = refused(data)
    assert "rule ons.environment.temperature: unknown phase 'P9'" in message
    assert "rule ons.environment.temperature: unknown owner_role 'wizard'" in message


def test_rule_phase_must_match_its_control_point():
    data = minimal_rulebook()
    data["phases"].append(
        {
            "id": "P2",
            "name": data["title"],
            "outputs": [{"id": "x", "name": data["title"]}],
            "control_points": [],
        }
    )
    data["phases"][0]["weight"] = 0.5
    data["phases"][1]["weight"] = 0.5
    rule_in(data, "ccp02.budget_deviation")["phase"] = "P2"
    assert (
        "rule ccp02.budget_deviation: phase 'P2' differs from control point CCP-02's phase 'P1'"
        in refused(data)
    )


def test_missing_required_field_and_unknown_key_are_refused():
    data = minimal_rulebook()
    rule = rule_in(data, "ccp02.budget_deviation")
    del rule["unit"]
    rule["threshold"] = 5
    message = refused(data)
    assert "rule ccp02.budget_deviation: missing 'unit'" in message
    assert "rule ccp02.budget_deviation: unknown key 'threshold'" in message


def test_every_problem_is_reported_at_once():
    data = minimal_rulebook()
    rule_in(data, "ccp02.budget_deviation")["unit"] = "furlongs"
    rule_in(data, "ons.environment.temperature")["value"] = [30, 10]
    rule_in(data, "fbk.collect_deadline")["req"] = "REQ-FBK-99"
    errors = validate(data)
    assert {e.rule_id for e in errors} == {
        "ccp02.budget_deviation",
        "ons.environment.temperature",
        "fbk.collect_deadline",
    }


def test_ratio_must_be_a_fraction():
    data = minimal_rulebook()
    rule_in(data, "ccp02.budget_deviation")["value"] = 5
    assert "rule ccp02.budget_deviation: ratio 5 is not a fraction in [0, 1] (write 5 % as 0.05)" in refused(
        data
    )


def test_deadline_needs_clock_start_and_fitting_unit():
    data = minimal_rulebook()
    rule = rule_in(data, "fbk.collect_deadline")
    del rule["starts_at"]
    rule["clock"] = "calendar"
    message = refused(data)
    assert "rule fbk.collect_deadline: kind 'deadline' needs starts_at" in message
    assert "rule fbk.collect_deadline: unit 'working_days' does not fit clock 'calendar'" in message


def test_clock_on_a_threshold_is_refused():
    data = minimal_rulebook()
    rule_in(data, "ccp02.budget_deviation")["clock"] = "calendar"
    assert (
        "rule ccp02.budget_deviation: clock and direction belong to deadlines and intervals only"
        in refused(data)
    )


def test_checklist_shape_is_enforced():
    data = minimal_rulebook()
    rule = rule_in(data, "ccp02.budget_deviation")
    rule["kind"] = "checklist"
    assert (
        "rule ccp02.budget_deviation: kind 'checklist' needs op '==', value 1 and unit 'boolean'"
        in refused(data)
    )


def test_weights_of_a_sum_to_one_group_must_add_up_to_one():
    data = minimal_rulebook()
    rule_in(data, "fbk.final_score.beta")["value"] = 0.5
    assert "weight_groups/final: weights add up to 1.1, not 1" in refused(data)


def test_weight_needs_a_declared_group():
    data = minimal_rulebook()
    rule_in(data, "fbk.final_score.beta")["group"] = "elsewhere"
    assert "rule fbk.final_score.beta: unknown weight group 'elsewhere'" in refused(data)


def test_permanent_retention_only_with_null_value():
    data = minimal_rulebook()
    rule = rule_in(data, "doc.retention.attendee_list")
    rule["value"] = 5
    assert "rule doc.retention.attendee_list: permanent retention needs value null" in refused(data)
    data = minimal_rulebook()
    del rule_in(data, "doc.retention.attendee_list")["permanent"]
    assert (
        "rule doc.retention.attendee_list: op '>=' needs a number (null only with permanent: true)"
        in refused(data)
    )


def test_phase_weights_must_add_up_to_one():
    data = minimal_rulebook()
    data["phases"][0]["weight"] = 0.9
    assert "phases: phase weights add up to 0.9, not 1" in refused(data)


def test_control_point_must_be_listed_in_its_phase():
    data = minimal_rulebook()
    data["phases"][0]["control_points"] = []
    assert "control_points/CCP-02: control point 'CCP-02' is not listed in phase 'P1'" in refused(data)


def test_formula_parameters_must_exist():
    data = minimal_rulebook()
    data["formulas"] = {
        "final": {
            "name": data["title"],
            "req": "REQ-FBK-08",
            "clause": "§2",
            "expression": "α·S + β·E",
            "parameters": ["fbk.final_score.gamma"],
        }
    }
    assert "formulas/final: unknown rule 'fbk.final_score.gamma' in parameters" in refused(data)


def test_duplicate_yaml_key_is_refused():
    text = "version: 1\nversion: 2\n"
    assert "found duplicate key 'version'" in refused(text)


def test_invalid_yaml_and_non_mapping_are_refused():
    assert "not valid YAML" in refused("rules: [unclosed\n")
    assert "a rulebook is a mapping at the top level, not list" in refused("- a\n- b\n")


def test_load_rulebook_rejects_other_types():
    with pytest.raises(TypeError):
        load_rulebook(42)  # type: ignore[arg-type]


_OPS = {
    "<=": lambda a, b: a <= b,
    ">=": lambda a, b: a >= b,
    "<": lambda a, b: a < b,
    ">": lambda a, b: a > b,
}
_finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


@given(op=st.sampled_from(sorted(_OPS)), threshold=_finite, measured=_finite)
def test_passes_agrees_with_the_operator(op, threshold, measured):
    """Property: any numeric one-sided rule validates and ``passes`` is the operator itself."""
    data = minimal_rulebook()
    rule = rule_in(data, "ons.environment.temperature")
    rule.update(kind="threshold", op=op, value=threshold)
    rb = load_rulebook(data)
    assert rb.rule("ons.environment.temperature").passes(measured) is _OPS[op](measured, threshold)


@given(a=_finite, b=_finite, measured=_finite)
def test_between_accepts_ordered_pairs_only(a, b, measured):
    data = minimal_rulebook()
    rule_in(data, "ons.environment.temperature")["value"] = [a, b]
    if a > b:
        with pytest.raises(RulebookInvalid, match="needs min ≤ max"):
            load_rulebook(data)
    else:
        rule = load_rulebook(data).rule("ons.environment.temperature")
        assert rule.passes(measured) is (a <= measured <= b)
        assert not math.isnan(rule.low)
