"""The default rulebook (``standard.yaml``): it validates, and it holds what REQUIREMENTS.md asks for."""

from __future__ import annotations

import dataclasses
import math
from collections import Counter

import pytest

from huiyi.rulebook.loader import (
    DEFAULT_RULEBOOK_PATH,
    Rulebook,
    default_rulebook,
    load_rulebook,
    validate,
)
from huiyi.rulebook.requirements import REQ_IDS
from huiyi.rulebook.schema import KINDS, UNITS


@pytest.fixture(scope="module")
def rb() -> Rulebook:
    return default_rulebook()


# ---------------------------------------------------------------------------------------------------
# validity and loading


def test_REQ_QLT_03_default_rulebook_validates():
    """The shipped file passes the JSON Schema and every semantic check."""
    import yaml

    data = yaml.safe_load(DEFAULT_RULEBOOK_PATH.read_text(encoding="utf-8"))
    assert validate(data) == []


def test_default_rulebook_is_cached_and_loadable_from_text_path_and_data(rb):
    assert default_rulebook() is rb
    from_path = load_rulebook(DEFAULT_RULEBOOK_PATH)
    from_str_path = load_rulebook(str(DEFAULT_RULEBOOK_PATH))
    from_text = load_rulebook(DEFAULT_RULEBOOK_PATH.read_text(encoding="utf-8"))
    from_data = load_rulebook(rb.as_data())
    assert {from_path.digest, from_str_path.digest, from_text.digest, from_data.digest} == {rb.digest}
    assert from_path == rb


def test_rulebook_is_frozen(rb):
    with pytest.raises(dataclasses.FrozenInstanceError):
        rb.version = 2  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        rb.rules[0].value = 0  # type: ignore[misc]
    with pytest.raises(TypeError):
        rb.roles["x"] = None  # type: ignore[index]
    data = rb.as_data()
    data["rules"][0]["value"] = 12345
    assert rb.rules[0].value != 12345, "as_data() is a copy"


def test_every_REQ_ID_in_the_file_exists(rb):
    """Every ``req`` and ``see_also`` names a requirement of the catalogue."""
    cited = {req for r in rb.rules for req in r.reqs}
    cited |= {f.req for f in rb.formulas.values()} | {g.req for g in rb.weight_groups.values()}
    cited |= {role.req for role in rb.roles.values() if role.req}
    assert cited <= REQ_IDS, cited - REQ_IDS


def test_rule_ids_are_unique_and_dotted(rb):
    ids = [r.id for r in rb.rules]
    assert len(ids) == len(set(ids))
    assert all("." in i and i == i.lower() for i in ids)


def test_requirements_covered_by_rules(rb):
    """The numbers of these requirements are all in the rulebook (the brief's list of REQ IDs)."""
    expected = {
        "REQ-QLT-03", "REQ-INT-01", "REQ-INT-02", "REQ-INT-04", "REQ-INT-05", "REQ-INT-06", "REQ-INT-07",
        "REQ-PLN-02", "REQ-PLN-03", "REQ-CON-01", "REQ-CON-02", "REQ-CON-03", "REQ-CON-04", "REQ-CON-05",
        "REQ-RES-01", "REQ-RES-02", "REQ-RES-03", "REQ-RES-04", "REQ-RES-05", "REQ-RES-06", "REQ-RES-07",
        "REQ-RES-08", "REQ-PRE-02", "REQ-PRE-04", "REQ-PRE-05", "REQ-ONS-01", "REQ-ONS-02", "REQ-ONS-03",
        "REQ-ONS-04", "REQ-ONS-05", "REQ-ONS-06", "REQ-ONS-07", "REQ-ONS-08", "REQ-ONS-09", "REQ-INC-01",
        "REQ-INC-03", "REQ-INC-04", "REQ-INC-06", "REQ-INC-08", "REQ-INC-09", "REQ-INC-10", "REQ-TEC-01",
        "REQ-TEC-02", "REQ-FBK-01", "REQ-FBK-03", "REQ-FBK-04", "REQ-FBK-05", "REQ-FBK-06", "REQ-FBK-07",
        "REQ-FBK-08", "REQ-QLT-04", "REQ-QLT-10", "REQ-DOC-02", "REQ-DOC-03", "REQ-DOC-04", "REQ-DOC-05",
        "REQ-DOC-06", "REQ-DOC-07", "REQ-DOC-09", "REQ-PPL-03", "REQ-PPL-04",
    }  # fmt: skip
    assert expected <= rb.req_ids, expected - rb.req_ids
    formula_reqs = {f.req for f in rb.formulas.values()}
    assert {"REQ-GEN-04", "REQ-QLT-02", "REQ-FBK-02"} <= formula_reqs


def test_kinds_and_units_come_from_the_closed_lists(rb):
    assert {r.kind for r in rb.rules} <= set(KINDS)
    assert {r.unit for r in rb.rules} <= set(UNITS)


def test_ratios_are_stored_as_fractions(rb):
    """ARCHITECTURE: ratios are fractions (≤5 % → 0.05), shown as percentages later."""
    for r in rb.rules:
        if r.unit == "ratio":
            values = r.value if isinstance(r.value, tuple) else (r.value,)
            assert all(0 <= v <= 1 for v in values), r.id


def test_values_not_given_by_the_spec_say_so_and_explain_why(rb):
    """A rule whose value is not literally in the spec (default/guidance/derived) explains its origin."""
    for r in rb.rules:
        if r.source != "spec":
            assert r.description is not None and r.description.en and r.description.zh_hans, r.id
    sources = Counter(r.source for r in rb.rules)
    assert sources["spec"] > sources["default"] > 0


def test_every_rule_is_bilingual(rb):
    for r in rb.rules:
        assert r.name.zh_hans and r.name.en, r.id
        assert r.name.get("en") == r.name.en and r.name.get("zh-hans") == r.name.zh_hans


def test_deadlines_and_intervals_have_a_clock_and_a_start(rb):
    for r in rb.rules_where(kind="deadline") + rb.rules_where(kind="interval"):
        assert r.clock in ("calendar", "working_days", "business_hours"), r.id
        assert r.starts_at, r.id
        assert r.direction in ("after", "before")
        if r.clock == "working_days":
            assert r.unit == "working_days", r.id


# ---------------------------------------------------------------------------------------------------
# QLT — phases and critical control points


def test_REQ_QLT_01_five_phases_with_their_outputs(rb):
    assert [p.id for p in rb.phases] == ["P1", "P2", "P3", "P4", "P5"]
    outputs = [[o.name.zh_hans for o in p.outputs] for p in rb.phases]
    assert outputs == [
        ["客户需求确认书", "会议策划方案", "服务合同"],
        ["场地布置图", "设备清单", "团队职责分工表"],
        ["会中服务记录", "突发事件处理报告"],
        ["客户满意度调查问卷", "服务总结报告"],
        ["服务优差分析表", "改进措施计划书"],
    ]
    assert rb.phase("P1").outputs[0].name.en == "Client requirements confirmation"


def test_REQ_QLT_01_every_control_point_belongs_to_exactly_one_phase(rb):
    listed = [c for p in rb.phases for c in p.control_points]
    assert sorted(listed) == sorted(c.id for c in rb.control_points)
    for p in rb.phases:
        for cid in p.control_points:
            assert rb.control_point(cid).phase == p.id


def test_REQ_QLT_02_phase_weights_are_equal_defaults_adding_to_one(rb):
    """The spec gives no phase weights: equal weights 0.2, marked as this rulebook's default."""
    assert [p.weight for p in rb.phases] == [0.2] * 5
    assert all(p.weight_source == "default" for p in rb.phases)
    assert math.isclose(sum(p.weight for p in rb.phases), 1.0)


# CCP → (owner role, [(rule id, op, value)]) — every criterion of REQ-QLT-03 §3.2
CCP_CRITERIA = {
    "CCP-01": (
        "account_manager",
        [("ccp01.information_recorded", ">=", 1.0), ("ccp01.no_unclear_items", "==", 1)],
    ),
    "CCP-02": (
        "project_director",
        [
            ("ccp02.creativity_score", ">=", 80),
            ("ccp02.budget_deviation", "<=", 0.05),
            ("ccp02.client_confirmation", ">=", 0.95),
        ],
    ),
    "CCP-03": (
        "account_manager",
        [
            ("ccp03.client_signature", "==", 1),
            ("ccp03.esigned_copy_archived", "==", 1),
            ("ccp03.versions_clear", "==", 1),
        ],
    ),
    "CCP-04": (
        "project_execution",
        [("ccp04.confirmations_complete", "==", 1), ("ccp04.booking_error_rate", "<=", 0.02)],
    ),
    "CCP-05": (
        "visual_design",
        [
            ("ccp05.design_approval", ">=", 0.95),
            ("ccp05.product_satisfaction", ">=", 0.90),
            ("ccp05.on_time_delivery", ">=", 0.98),
        ],
    ),
    "CCP-06": (
        "technical_support",
        [
            ("ccp06.equipment_functional_rate", ">=", 1.0),
            ("ccp06.key_tests_passed", "==", 1),
            ("ccp06.rehearsal_done", "==", 1),
        ],
    ),
    "CCP-07": (
        "hr",
        [
            ("ccp07.training_coverage", ">=", 1.0),
            ("ccp07.assessment_pass_rate", ">=", 0.90),
            ("ccp07.host_score", ">=", 85),
        ],
    ),
    "CCP-08": (
        "project_director",
        [
            ("ccp08.process_deviation", "<=", 0.10),
            ("ccp08.critical_response_time", "<=", 5),
            ("ccp08.photo_video_coverage", ">=", 1.0),
            ("ccp08.onsite_satisfaction", ">=", 85),
        ],
    ),
    "CCP-09": (
        "account_manager",
        [
            ("ccp09.revisit_rate", ">=", 0.90),
            ("ccp09.average_satisfaction", ">=", 80),
            ("ccp09.serious_complaints", "<=", 3),
        ],
    ),
    "CCP-10": (
        "finance",
        [
            ("ccp10.settlement_deviation", "<=", 0.01),
            ("ccp10.invoice_accuracy", ">=", 1.0),
            ("ccp10.payment_on_time", ">=", 0.95),
            ("ccp10.fee_disputes", "==", 0),
        ],
    ),
    "CCP-11": (
        "project_execution",
        [
            ("ccp11.site_check_passed", "==", 1),
            ("ccp11.lost_and_found_logged", "==", 1),
            ("ccp11.archive_rate", ">=", 1.0),
        ],
    ),
    "CCP-12": (
        "project_director",
        [("ccp12.goal_attainment", ">=", 85), ("ccp12.average_ccp_score_computed", "==", 1)],
    ),
}


def test_REQ_QLT_03_twelve_control_points(rb):
    assert [c.id for c in rb.control_points] == [f"CCP-{n:02d}" for n in range(1, 13)]
    assert [c.number for c in rb.control_points] == list(range(1, 13))
    assert rb.control_point("CCP-02").name.zh_hans == "方案初稿审核"


def test_REQ_QLT_03_every_control_point_has_rules(rb):
    for c in rb.control_points:
        assert rb.rules_for(c.id), c.id


@pytest.mark.parametrize("ccp", sorted(CCP_CRITERIA))
def test_REQ_QLT_03_control_point_criteria_and_owner(rb, ccp):
    """Each CCP has every criterion of REQ-QLT-03, with its operator, value and owner role."""
    owner, criteria = CCP_CRITERIA[ccp]
    cp = rb.control_point(ccp)
    assert cp.owner_role == owner
    rules = {r.id: r for r in rb.rules_for(ccp)}
    for rule_id, op, value in criteria:
        assert rule_id in rules, f"{ccp} lacks {rule_id}"
        r = rules[rule_id]
        assert (r.op, r.value) == (op, pytest.approx(value)), rule_id
        assert r.owner_role == owner and r.phase == cp.phase, rule_id
        assert "REQ-QLT-03" in r.reqs, f"{rule_id} should cite REQ-QLT-03 (as req or see_also)"
        if r.kind == "checklist":
            assert r.unit == "boolean"


def test_REQ_QLT_03_non_numeric_criteria_are_checklists(rb):
    for rule_id in ("ccp01.no_unclear_items", "ccp03.client_signature", "ccp06.rehearsal_done"):
        r = rb.rule(rule_id)
        assert (r.kind, r.op, r.value, r.unit) == ("checklist", "==", 1, "boolean")
        assert r.passes(True) and not r.passes(False)


def test_REQ_PPL_01_roles_of_section_5_1_are_declared(rb):
    ppl01 = {
        "project_manager", "planner", "execution_supervisor", "on_site_director", "technical_support",
        "reception", "security", "medical", "account_manager", "finance", "visual_design", "hr",
        "quality_officer",
    }  # fmt: skip
    assert ppl01 <= set(rb.roles)
    assert {"project_director", "project_execution"} <= set(rb.roles)
    used = {r.owner_role for r in rb.rules if r.owner_role} | {c.owner_role for c in rb.control_points}
    assert used <= set(rb.roles)


# ---------------------------------------------------------------------------------------------------
# helpers of the model


def test_rule_value_rules_for_helpers(rb):
    assert rb.value("ccp02.budget_deviation") == 0.05
    assert rb.value("ons.environment.temperature") == (20, 24)
    assert rb.rule("ons.environment.temperature").low == 20
    assert rb.rule("ons.environment.temperature").high == 24
    assert "ccp02.budget_deviation" in rb
    with pytest.raises(KeyError, match="no rule 'nope.nothing'"):
        rb.rule("nope.nothing")
    assert [r.id for r in rb.rules_for("CCP-04")] == [
        "ccp04.confirmations_complete",
        "ccp04.booking_error_rate",
    ]
    assert rb.rules_for("CCP-99") == ()
    assert {r.id for r in rb.rules_for_req("REQ-PLN-03")} == {
        "ccp02.creativity_score",
        "ccp02.budget_deviation",
        "ccp02.client_confirmation",
    }


@pytest.mark.parametrize(
    ("rule_id", "measured", "ok"),
    [
        ("ccp02.budget_deviation", 0.05, True),
        ("ccp02.budget_deviation", 0.0501, False),
        ("ons.wifi_signal", -65, True),
        ("ons.wifi_signal", -70, False),
        ("ons.environment.temperature", 24, True),
        ("ons.environment.temperature", 24.5, False),
        ("ons.environment.temperature", 19.9, False),
        ("ccp10.fee_disputes", 0, True),
        ("ccp10.fee_disputes", 1, False),
        ("int.refund.late_cancellation_non_refundable", 0.5, False),
    ],
)
def test_rule_passes_compares_with_op_and_value(rb, rule_id, measured, ok):
    assert rb.rule(rule_id).passes(measured) is ok


def test_permanent_rule_has_nothing_to_compare(rb):
    with pytest.raises(ValueError, match="doc.retention.attendee_list"):
        rb.rule("doc.retention.attendee_list").passes(10)


# ---------------------------------------------------------------------------------------------------
# requirement by requirement


def test_REQ_INT_05_5w2h_items_have_equal_default_weights(rb):
    weights = rb.weights("requirement_completeness_5w2h")
    items = {rb.rule(i).applies_to["item"] for i in weights}
    assert items == {"what", "when", "where", "who", "why", "how", "how_much"}
    assert len(set(weights.values())) == 1
    assert all(rb.rule(i).source == "default" for i in weights)


def test_REQ_FBK_01_survey_dimensions_equal_weights_and_five_point_scale(rb):
    weights = rb.weights("survey_dimensions")
    dims = {rb.rule(i).applies_to["dimension"] for i in weights}
    assert dims == {"agenda", "content", "venue", "technical_support", "overall"}
    assert math.isclose(sum(weights.values()), 1.0)
    assert set(weights.values()) == {0.2}
    assert all(rb.rule(i).source == "default" for i in weights)
    assert rb.value("fbk.survey.answer_scale") == (1, 5)


def test_REQ_FBK_08_alpha_and_beta(rb):
    assert rb.weights("final_service_score") == {"fbk.final_score.alpha": 0.6, "fbk.final_score.beta": 0.4}
    assert rb.weight_groups["final_service_score"].sum_to_one


def test_REQ_QLT_04_evaluation_items_out_of_ten_with_equal_weights(rb):
    weights = rb.weights("service_evaluation_items")
    assert len(weights) == 8 and len(set(weights.values())) == 1
    assert rb.value("qlt.evaluation.item_score_scale") == (0, 10)


def test_REQ_CON_03_coefficient_reproduces_the_spec_example(rb):
    """Meeting extended by 1/3 → cost +25 %: the coefficient is 0.25 / (1/3) = 0.75."""
    k = rb.rule("con.change_cost_coefficient")
    assert k.source == "derived" and k.unit == "coefficient"
    assert math.isclose(k.value * (1 / 3), 0.25)


def test_REQ_CON_04_breach_classes(rb):
    classes = {r.level_code: r.severity for r in rb.rules_where(metric="breach_class")}
    assert classes == {"minor": "minor", "major": "major"}


def test_REQ_RES_01_alpha_range_and_default(rb):
    assert rb.value("res.custom_coefficient.range") == (0.0, 2.0)
    default = rb.value("res.custom_coefficient.default")
    assert 0.0 <= default <= 2.0
    assert rb.rule("res.custom_coefficient.default").source == "default"


def test_REQ_RES_03_staffing_ranges_per_role(rb):
    staffing = {r.staff_role: r.value for r in rb.rules_where(kind="staffing")}
    assert staffing == {
        "on_site_director": (1, 1),
        "technical_support": (2, 3),
        "reception": (3, 5),
        "security": (1, 2),
        "medical": (1, 1),
    }
    low, high = rb.value("res.staffing.scale_band")
    assert low < high


def test_REQ_RES_04_layout_factors_for_every_standard_setup(rb):
    layouts = {r.applies_to["layout"]: r for r in rb.rules_where(metric="layout_floor_area_per_person")}
    assert set(layouts) == {
        "theatre", "classroom", "banquet", "u_shape", "boardroom", "reception", "herringbone",
        "hollow_square", "crescent",
    }  # fmt: skip
    for name in ("theatre", "classroom", "banquet", "reception"):
        assert layouts[name].source == "guidance"
    assert all(r.unit == "m2_per_person" and r.value > 0 for r in layouts.values())
    assert rb.value("res.venue.floor_area_per_person") == 1.5


def test_REQ_INC_01_four_levels_with_urgency(rb):
    levels = sorted(rb.rules_where(metric="incident_level"), key=lambda r: r.value)
    assert [(r.level_code, r.urgency) for r in levels] == [
        ("I", "immediate"),
        ("II", "urgent"),
        ("III", "emergency"),
        ("IV", "general"),
    ]
    assert all(r.description and r.description.zh_hans for r in levels)


def test_REQ_INC_03_command_per_level(rb):
    command = {r.level_code: set(r.command) for r in rb.rules_where(metric="incident_command")}
    assert command == {
        "I": {"host_principal", "government_authority"},
        "II": {"host_principal", "on_site_director", "government_authority"},
        "III": {"on_site_director", "service_team"},
        "IV": {"on_site_director", "service_team"},
    }


def test_REQ_INC_08_emergency_resources_checklist(rb):
    kit = {r.applies_to["resource"] for r in rb.rules_where(metric="emergency_resource_present")}
    assert kit == {
        "first_aid_kit",
        "fire_equipment",
        "emergency_lighting",
        "communications",
        "evacuation_signs",
    }


def test_REQ_INC_09_priority_coefficients_match_the_critical_response(rb):
    """standard time × level I coefficient = the ≤5 min critical response of CCP 8."""
    coefficients = {
        r.applies_to["level"]: r.value for r in rb.rules_where(metric="response_priority_coefficient")
    }
    assert coefficients == {"I": 0.5, "II": 1.0, "III": 2.0, "IV": 4.0}
    standard = rb.value("inc.response.standard_time")
    assert standard * coefficients["I"] == rb.value("ccp08.critical_response_time")


def test_REQ_INC_10_four_risk_levels(rb):
    assert sorted(r.value for r in rb.rules_where(metric="risk_level")) == [1, 2, 3, 4]


def test_REQ_TEC_01_support_hours_weekdays(rb):
    r = rb.rule("tec.support_hours")
    assert (r.kind, r.value, r.weekdays) == ("schedule", (9, 18), (1, 2, 3, 4, 5))


def test_REQ_FBK_06_complaint_clocks_per_severity(rb):
    """Response before resolution, tighter for more serious complaints; after-sales 72 h from the spec."""
    clocks = {}
    for r in rb.rules_where(kind="deadline"):
        if "complaint_severity" in r.applies_to:
            clocks[(r.applies_to["complaint_severity"], r.metric)] = r.value
    for sev in ("minor", "major", "serious"):
        assert clocks[(sev, "complaint_response_time")] < clocks[(sev, "complaint_resolution_time")]
    assert (
        clocks[("serious", "complaint_resolution_time")]
        < clocks[("major", "complaint_resolution_time")]
        < clocks[("minor", "complaint_resolution_time")]
        == rb.value("fbk.response.after_sales")
    )


def test_REQ_DOC_04_confidentiality_and_retention_classes(rb):
    classes = {
        r.applies_to["document_class"]: (r.access, r.confidentiality, r.value, r.permanent)
        for r in rb.rules_where(kind="retention", metric="retention_period")
    }
    assert classes["agenda"] == ("internal", "high", 1, False)
    assert classes["attendee_list"] == ("authorised", "very_high", None, True)
    assert classes["discussion_records"] == ("internal", "high", 3, False)
    assert classes["sign_in_records"] == ("internal", "medium", 2, False)
    contracts = rb.rule("con.retention.external_contract")
    assert contracts.value == 3 and contracts.op == ">=" and "REQ-DOC-04" in contracts.reqs


def test_REQ_DOC_07_three_backup_copies(rb):
    assert (rb.rule("doc.backup_copies").op, rb.value("doc.backup_copies")) == (">=", 3)


def test_REQ_GEN_04_formulas_are_described_with_their_parameters(rb):
    q = rb.formulas["service_quality_q"]
    assert q.req == "REQ-GEN-04" and "S × E × P" in q.expression
    for f in rb.formulas.values():
        for p in f.parameters:
            assert p in rb
        if f.weight_group:
            assert f.weight_group in rb.weight_groups
