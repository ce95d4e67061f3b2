"""Every number of the default rulebook, checked against the sentence of REQUIREMENTS.md it comes from.

Each row: rule id, the requirement, the exact phrase of REQUIREMENTS.md holding the number, the number as
written there, and the value (and unit) the rule must carry. Ratios are stored as fractions, so
"≤5 %" → 0.05. The phrase is checked against the catalogue whenever ``REQUIREMENTS.md`` is present
(``/work/shared/spec`` beside the repository, or ``HUIYI_REQUIREMENTS``); the value check always runs.
"""

from __future__ import annotations

import pytest
from rulebook_testkit import normalised, requirements_path

from huiyi.rulebook.loader import default_rulebook

# rule id, REQ, phrase in REQUIREMENTS.md, number as written in the phrase, expected value, unit
TABLE: list[tuple[str, str, str, str, object, str]] = [
    # --- REQ-QLT-03 and the requirements that spell out a CCP's standards
    ("ccp01.information_recorded", "REQ-QLT-03", "100 % information recorded", "100", 1.0, "ratio"),
    ("ccp02.creativity_score", "REQ-PLN-03", "creativity score ≥80/100", "80", 80, "score_100"),
    ("ccp02.budget_deviation", "REQ-PLN-03", "budget deviation ≤5 %", "5", 0.05, "ratio"),
    ("ccp02.client_confirmation", "REQ-PLN-03", "client confirmation rate ≥95 %", "95", 0.95, "ratio"),
    ("ccp04.booking_error_rate", "REQ-RES-05", "error rate ≤2 % (§3.2 CCP 4)", "2", 0.02, "ratio"),
    ("ccp05.design_approval", "REQ-PRE-05", "client approval of designs ≥95 %", "95", 0.95, "ratio"),
    ("ccp05.product_satisfaction", "REQ-PRE-05", "product satisfaction ≥90 %", "90", 0.90, "ratio"),
    ("ccp05.on_time_delivery", "REQ-PRE-05", "on-time delivery ≥98 %", "98", 0.98, "ratio"),
    ("ccp06.equipment_functional_rate", "REQ-ONS-03", "Equipment functional rate 100 %", "100", 1.0, "ratio"),
    ("ccp07.training_coverage", "REQ-PRE-02", "coverage 100 %", "100", 1.0, "ratio"),
    ("ccp07.assessment_pass_rate", "REQ-PRE-02", "assessment pass rate ≥90 %", "90", 0.90, "ratio"),
    ("ccp07.host_score", "REQ-PRE-02", "host/MC score ≥85", "85", 85, "score_100"),
    ("ccp08.process_deviation", "REQ-ONS-05", "process deviation ≤10 %", "10", 0.10, "ratio"),
    (
        "ccp08.critical_response_time",
        "REQ-INC-09",
        "Critical incident response time ≤5 min",
        "5",
        5,
        "minutes",
    ),
    (
        "ccp08.photo_video_coverage",
        "REQ-ONS-08",
        "Photo/video coverage of the meeting 100 %",
        "100",
        1.0,
        "ratio",
    ),
    ("ccp08.onsite_satisfaction", "REQ-ONS-08", "on-site satisfaction ≥85/100", "85", 85, "score_100"),
    ("ccp09.revisit_rate", "REQ-FBK-07", "Client revisit 回访 rate ≥90 %", "90", 0.90, "ratio"),
    ("ccp09.average_satisfaction", "REQ-FBK-07", "average satisfaction ≥80/100", "80", 80, "score_100"),
    (
        "ccp09.serious_complaints",
        "REQ-FBK-06",
        "Serious complaints ≤3 per 100 meetings",
        "3",
        3,
        "per_100_meetings",
    ),
    ("ccp10.settlement_deviation", "REQ-QLT-03", "deviation from contract ≤1 %", "1", 0.01, "ratio"),
    ("ccp10.invoice_accuracy", "REQ-QLT-03", "invoices 100 % correct", "100", 1.0, "ratio"),
    ("ccp10.payment_on_time", "REQ-QLT-03", "payments on time ≥95 %", "95", 0.95, "ratio"),
    ("ccp10.fee_disputes", "REQ-QLT-03", "no disputes", "no", 0, "count"),
    ("ccp11.archive_rate", "REQ-QLT-03", "archive 100 %", "100", 1.0, "ratio"),
    ("ccp12.goal_attainment", "REQ-QLT-03", "goal attainment ≥85", "85", 85, "score_100"),
    # --- INT
    ("int.contact.identify_client", "REQ-INT-01", "verify its credentials ≤5 min", "5", 5, "minutes"),
    ("int.contact.classify_request", "REQ-INT-01", "常规/定制/紧急 ≤10 min", "10", 10, "minutes"),
    ("int.contact.capability_match", "REQ-INT-01", "capability match ≤15 min", "15", 15, "minutes"),
    ("int.contact.next_appointment", "REQ-INT-01", "agree the next appointment ≤5 min", "5", 5, "minutes"),
    (
        "int.key_step.initial_survey",
        "REQ-INT-02",
        "initial survey by customer service within 24 h",
        "24",
        24,
        "hours",
    ),
    (
        "int.key_step.plan_recommendation",
        "REQ-INT-02",
        "plan recommendation by the project manager within 48 h",
        "48",
        48,
        "hours",
    ),
    (
        "int.key_step.service_agreement",
        "REQ-INT-02",
        "service agreement by legal within 72 h",
        "72",
        72,
        "hours",
    ),
    ("int.scope.basic_tier_share", "REQ-INT-04", "sign-in reception; every meeting", "every", 1.0, "ratio"),
    ("int.scope.standard_tier_share", "REQ-INT-04", "expected in ≥80 % of meetings", "80", 0.80, "ratio"),
    (
        "int.refund.late_cancellation_non_refundable",
        "REQ-INT-06",
        ">50 % non-refundable",
        "50",
        0.50,
        "ratio",
    ),
    ("int.requirements_list.accuracy", "REQ-INT-07", "Accuracy ≥95 %", "95", 0.95, "ratio"),
    (
        "int.requirements_list.error_rate",
        "REQ-INT-07",
        "error rate = discrepancies / confirmed items ≤2 %",
        "2",
        0.02,
        "ratio",
    ),
    # --- CON
    (
        "con.quality.preparation_deviation",
        "REQ-CON-01",
        "preparation finished within plan ±5 %",
        "5",
        0.05,
        "ratio",
    ),
    ("con.quality.av_failure_rate", "REQ-CON-01", "AV failure rate ≤1 %", "1", 0.01, "ratio"),
    ("con.quality.power_availability", "REQ-CON-01", "power availability 99.9 %", "99.9", 0.999, "ratio"),
    (
        "con.quality.evacuation_response",
        "REQ-CON-01",
        "evacuation guidance response ≤30 s",
        "30",
        30,
        "seconds",
    ),
    (
        "con.change_request.lead_time",
        "REQ-CON-02",
        "submitted ≥72 h before the affected date",
        "72",
        72,
        "hours",
    ),
    ("con.retention.external_contract", "REQ-CON-05", "external service contracts ≥3 years", "3", 3, "years"),
    (
        "con.retention.internal_management_document",
        "REQ-CON-05",
        "internal management documents 1 year",
        "1",
        1,
        "years",
    ),
    # --- RES
    ("res.custom_coefficient.range", "REQ-RES-01", "α ∈ [0.0, 2.0]", "[0.0, 2.0]", (0.0, 2.0), "coefficient"),
    (
        "res.config.projectors",
        "REQ-RES-02",
        "projectors 1–4 per 100 attendees",
        "1–4",
        (1, 4),
        "per_100_attendees",
    ),
    (
        "res.config.tea_break_sets",
        "REQ-RES-02",
        "tea break ≥1 set per 50 attendees",
        "1",
        1,
        "per_50_attendees",
    ),
    ("res.staffing.on_site_director", "REQ-RES-03", "on-site director 现场总控 1", "1", (1, 1), "count"),
    ("res.staffing.technical_support", "REQ-RES-03", "technical support 2–3", "2–3", (2, 3), "count"),
    ("res.staffing.reception", "REQ-RES-03", "礼仪接待 3–5", "3–5", (3, 5), "count"),
    ("res.staffing.security", "REQ-RES-03", "security 1–2", "1–2", (1, 2), "count"),
    ("res.staffing.medical", "REQ-RES-03", "medical 1", "1", (1, 1), "count"),
    ("res.venue.floor_area_per_person", "REQ-RES-04", "≥1.5 m² per person", "1.5", 1.5, "m2_per_person"),
    (
        "res.material.paper_storage_humidity",
        "REQ-RES-07",
        "paper 50–70 % humidity",
        "50–70",
        (50, 70),
        "percent_rh",
    ),
    ("res.equipment.maintenance_interval", "REQ-RES-08", "maintenance every quarter", "quarter", 3, "months"),
    # --- PRE
    (
        "pre.review.administration_draft",
        "REQ-PRE-04",
        "administration drafts the request (1 working day)",
        "1",
        1,
        "working_days",
    ),
    ("pre.review.finance_budget", "REQ-PRE-04", "finance reviews budget (2)", "2", 2, "working_days"),
    (
        "pre.review.technology_equipment",
        "REQ-PRE-04",
        "technology reviews equipment (2)",
        "2",
        2,
        "working_days",
    ),
    ("pre.review.hr_staffing", "REQ-PRE-04", "HR reviews staffing and logistics (2)", "2", 2, "working_days"),
    # --- ONS
    ("ons.setup.lead_time", "REQ-ONS-01", "Set-up finished 2 h before start", "2", 2, "hours"),
    ("ons.checkin.time_per_person", "REQ-ONS-02", "≤5 s per person", "5", 5, "seconds"),
    ("ons.sound.volume", "REQ-ONS-03", "volume ≥85 dB", "85", 85, "dB"),
    ("ons.sound.snr", "REQ-ONS-03", "SNR ≥40 dB", "40", 40, "dB"),
    ("ons.projector.resolution", "REQ-ONS-03", "≥1080p", "1080", 1080, "pixels_vertical"),
    ("ons.projector.brightness", "REQ-ONS-03", "≥3000 lm", "3000", 3000, "lm"),
    ("ons.network.wired_bandwidth", "REQ-ONS-03", "wired ≥100 Mbps", "100", 100, "mbps"),
    ("ons.wifi_signal", "REQ-ONS-03", "Wi-Fi signal ≥ −65 dBm", "−65", -65, "dBm"),
    ("ons.lighting.main_hall_illuminance", "REQ-ONS-03", "main hall ≥500 lux", "500", 500, "lux"),
    (
        "ons.lighting.colour_temperature",
        "REQ-ONS-03",
        "colour temperature 4000–5000 K",
        "4000–5000",
        (4000, 5000),
        "kelvin",
    ),
    ("ons.environment.temperature", "REQ-ONS-04", "temperature 22 ± 2 °C", "22 ± 2", (20, 24), "celsius"),
    (
        "ons.environment.humidity",
        "REQ-ONS-04",
        "relative humidity 50 ± 10 %",
        "50 ± 10",
        (40, 60),
        "percent_rh",
    ),
    ("ons.environment.air_changes", "REQ-ONS-04", "≥4 air changes per hour", "4", 4, "per_hour"),
    ("ons.environment.co2", "REQ-ONS-04", "CO₂ ≤1000 ppm", "1000", 1000, "ppm"),
    ("ons.time.segment_deviation", "REQ-ONS-05", "within ±3 min of plan", "±3", (-3, 3), "minutes"),
    ("ons.time.qa_answer", "REQ-ONS-05", "single Q&A answer ≤2 min", "2", 2, "minutes"),
    ("ons.time.tea_break_duration", "REQ-ONS-05", "tea break 15–20 min", "15–20", (15, 20), "minutes"),
    ("ons.time.tea_break_reminder", "REQ-ONS-05", "reminder 10 min before it ends", "10", 10, "minutes"),
    ("ons.progress_report.interval", "REQ-ONS-06", "Progress report every 2 hours", "2", 2, "hours"),
    (
        "ons.teardown.equipment_recovered",
        "REQ-ONS-07",
        "equipment recovered and counted within 1 h",
        "1",
        1,
        "hours",
    ),
    ("ons.teardown.venue_restored", "REQ-ONS-07", "venue restored within 2 h", "2", 2, "hours"),
    ("ons.liaison.relay_time", "REQ-ONS-09", "information relayed within 1 min", "1", 1, "minutes"),
    # --- INC
    (
        "inc.plan.equipment_failure_diagnosis",
        "REQ-INC-04",
        "director diagnoses within 5 min",
        "5",
        5,
        "minutes",
    ),
    (
        "inc.plan.conflict_report_to_host",
        "REQ-INC-04",
        "director reports to host within 10 min",
        "10",
        10,
        "minutes",
    ),
    (
        "inc.plan.review_interval",
        "REQ-INC-06",
        "every plan is reviewed at least yearly",
        "yearly",
        12,
        "months",
    ),
    # --- TEC
    ("tec.support_hours", "REQ-TEC-01", "Mon–Fri 9:00–18:00", "9:00–18:00", (9, 18), "hour_of_day"),
    ("tec.av_failure_rate", "REQ-TEC-02", "≤1 % AV failure", "1", 0.01, "ratio"),
    # --- FBK
    ("fbk.survey.answer_scale", "REQ-FBK-01", "aᵢ ∈ 1–5", "1–5", (1, 5), "score_5"),
    (
        "fbk.collect_deadline",
        "REQ-FBK-03",
        "collect within 3 working days of the end",
        "3",
        3,
        "working_days",
    ),
    (
        "fbk.analysis_deadline",
        "REQ-FBK-03",
        "analyse within 5 working days of collection",
        "5",
        5,
        "working_days",
    ),
    (
        "fbk.client_questionnaire_deadline",
        "REQ-FBK-03",
        "client questionnaire within 7 working days",
        "7",
        7,
        "working_days",
    ),
    (
        "fbk.effect_evaluation_deadline",
        "REQ-FBK-03",
        "improvement effect evaluated within one month of implementation",
        "one month",
        1,
        "months",
    ),
    (
        "fbk.improvement_report_interval",
        "REQ-FBK-04",
        "quarterly improvement report",
        "quarterly",
        3,
        "months",
    ),
    ("fbk.response.initial_contact", "REQ-FBK-05", "initial contact 24 h", "24", 24, "hours"),
    ("fbk.response.detailed_consultation", "REQ-FBK-05", "detailed consultation 48 h", "48", 48, "hours"),
    ("fbk.response.preparation", "REQ-FBK-05", "preparation 24 h", "24", 24, "hours"),
    ("fbk.response.after_sales", "REQ-FBK-05", "after-sales (survey, complaints) 72 h", "72", 72, "hours"),
    (
        "fbk.complaint.minor.resolution",
        "REQ-FBK-05",
        "after-sales (survey, complaints) 72 h",
        "72",
        72,
        "hours",
    ),
    ("fbk.final_score.alpha", "REQ-FBK-08", "α = 0.6", "0.6", 0.6, "weight"),
    ("fbk.final_score.beta", "REQ-FBK-08", "β = 0.4", "0.4", 0.4, "weight"),
    # --- QLT
    ("qlt.evaluation.item_score_scale", "REQ-QLT-04", "items scored out of 10", "10", (0, 10), "score_10"),
    (
        "qlt.sop.optimisation_meeting_interval",
        "REQ-QLT-10",
        "quarterly process-optimisation meeting",
        "quarterly",
        3,
        "months",
    ),
    # --- DOC
    ("doc.archive_deadline", "REQ-DOC-03", "default 5", "5", 5, "working_days"),
    ("doc.minutes_draft_deadline", "REQ-DOC-03", "minutes draft within 24 h", "24", 24, "hours"),
    ("doc.summary_deadline", "REQ-DOC-03", "summary within 7 working days", "7", 7, "working_days"),
    ("doc.retention.agenda", "REQ-DOC-04", "agenda — internal, high, 1 year", "1", 1, "years"),
    (
        "doc.retention.attendee_list",
        "REQ-DOC-04",
        "attendee list — authorised only, very high, permanent",
        "permanent",
        None,
        "years",
    ),
    (
        "doc.retention.discussion_records",
        "REQ-DOC-04",
        "discussion records — internal, high, 3 years",
        "3",
        3,
        "years",
    ),
    (
        "doc.retention.sign_in_records",
        "REQ-DOC-04",
        "sign-in records — internal, medium, 2 years",
        "2",
        2,
        "years",
    ),
    ("doc.backup_copies", "REQ-DOC-07", "backups (three copies", "three", 3, "count"),
    (
        "doc.confidentiality_agreement_coverage",
        "REQ-DOC-09",
        "Confidentiality agreements signed by every participant",
        "every",
        1.0,
        "ratio",
    ),
    # --- PPL
    ("ppl.training.planning_budget", "REQ-PPL-03", "planning & budget (yearly)", "yearly", 12, "months"),
    ("ppl.training.venue_equipment", "REQ-PPL-03", "venue & equipment (quarterly)", "quarterly", 3, "months"),
    (
        "ppl.training.communication",
        "REQ-PPL-03",
        "communication & coordination (monthly)",
        "monthly",
        1,
        "months",
    ),
    ("ppl.training.risk_management", "REQ-PPL-03", "risk management (quarterly)", "quarterly", 3, "months"),
    (
        "ppl.reception.in_place_before_start",
        "REQ-PPL-04",
        "reception staff in place ≥5 min before start",
        "5",
        5,
        "minutes",
    ),
]

_SPEC = requirements_path()
_SPEC_TEXT = normalised(_SPEC.read_text(encoding="utf-8")) if _SPEC else None


def _params():
    for rule_id, req, phrase, shown, expected, unit in TABLE:
        yield pytest.param(rule_id, req, phrase, shown, expected, unit, id=f"{req}-{rule_id}")


def test_table_rows_are_unique_per_rule_and_phrase():
    """The table is a checklist: no row twice (a copy-paste slip would hide a missing check)."""
    keys = [(row[0], row[2]) for row in TABLE]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize(("rule_id", "req", "phrase", "shown", "expected", "unit"), list(_params()))
def test_rule_value_matches_requirements_text(rule_id, req, phrase, shown, expected, unit):
    """The rule's value is the number REQUIREMENTS.md gives for it, under the requirement it cites."""
    rule = default_rulebook().rule(rule_id)
    assert req in rule.reqs, f"{rule_id} should cite {req} (cites {rule.reqs})"
    assert rule.source in ("spec", "derived"), (
        f"{rule_id} carries a spec number but says source {rule.source}"
    )
    assert shown in phrase, "the table's number must be the one written in the phrase"
    assert rule.unit == unit
    if isinstance(expected, tuple):
        assert rule.op == "between"
        assert rule.value == pytest.approx(expected)
    elif expected is None:
        assert rule.value is None and rule.permanent
    else:
        assert rule.value == pytest.approx(expected)
    if _SPEC_TEXT is not None:
        assert normalised(phrase) in _SPEC_TEXT, f"phrase not found in {_SPEC}: {phrase!r}"


@pytest.mark.skipif(_SPEC_TEXT is None, reason="REQUIREMENTS.md not present")
def test_every_phrase_sits_in_the_requirement_it_is_filed_under():
    """Each phrase occurs inside the bullet of the REQ ID the table names (not just anywhere)."""
    import re

    bullets = dict(re.findall(r"- (REQ-[A-Z]{3}-\d{2}) (.*?)(?= - REQ-|$| ## | -{20,})", _SPEC_TEXT))
    # REQ-QLT-03's twelve CCPs restate several numbers; the requirement that spells them out is cited
    misplaced = [
        (rule_id, req) for rule_id, req, phrase, *_ in TABLE if normalised(phrase) not in bullets.get(req, "")
    ]
    assert not misplaced
