"""Every built-in KPI against a small hand-computed fixture (REQ-QLT-09, REQ-GEN-04, REQ-GEN-02)."""

import datetime as dt
from decimal import Decimal

import pytest

from huiyi.quality.kpis import builtin, periods, queries, registry

from .conftest import at, client_answer, complaint, incident, result, revisit, scope_of, task

pytestmark = pytest.mark.django_db


def test_REQ_QLT_09_period_parsing_accepts_year_quarter_month_only():
    assert periods.parse("2026") == periods.Period("year", 2026)
    q = periods.parse("2026-Q3")
    assert (q.start, q.end) == (dt.date(2026, 7, 1), dt.date(2026, 10, 1))
    m = periods.parse("2026-12")
    assert (m.start, m.end) == (dt.date(2026, 12, 1), dt.date(2027, 1, 1))
    assert [p.key for p in periods.parse("2026-02").trend()][:2] == ["2025-03", "2025-04"]
    assert periods.parse("2026-Q1").trend()[0].key == "2024-Q2"
    assert [p.key for p in periods.parse("2026").trend()] == ["2022", "2023", "2024", "2025", "2026"]
    for bad in ("", "26", "2026-13", "2026-Q5", "2026-7", "2026/07", "Q3 2026", "1899"):
        with pytest.raises(periods.PeriodError, match="2026-Q3"):
            periods.parse(bad)


@pytest.fixture
def meetings(make_project, people):
    """A (March) and B (May) in scope; C out of scope (informal chat); D in 2025."""
    owner = people["manager"]
    a = make_project(start=at("2026-03-02 09:00"), end=at("2026-03-02 17:00"))
    b = make_project(start=at("2026-05-11 09:00"), end=at("2026-05-11 17:00"))
    c = make_project(start=at("2026-03-05 09:00"), end=at("2026-03-05 17:00"), out_of_scope="informal")
    d = make_project(start=at("2025-06-02 09:00"), end=at("2025-06-02 17:00"))
    # P: A's criterion a passed then failed (the latest counts), b passed → 1/2; B 1/1; C and D all fail.
    result(a, "a", "pass", at("2026-03-03 10:00"))
    result(a, "a", "fail", at("2026-03-04 10:00"))
    result(a, "b", "pass", at("2026-03-04 10:00"), control_point="CCP-02")
    result(a, "c", "not_measurable", at("2026-03-04 10:00"))
    result(b, "a", "pass", at("2026-05-12 10:00"))
    for p in (c, d):
        result(p, "a", "fail", at("2026-03-06 10:00"))
    # E: A 1 of 2 tasks on time (one late), B 1 of 1; C none on time.
    task(a, 1, at("2026-02-20 10:00"), at("2026-02-19 10:00"), owner)
    task(a, 2, at("2026-02-21 10:00"), at("2026-02-25 10:00"), owner)
    task(b, 1, at("2026-05-01 10:00"), at("2026-05-01 09:00"), owner)
    task(c, 1, at("2026-03-01 10:00"), None, owner)
    # S: A's client answered 4.5 / 5 (≥ 80/100: satisfied) and a revisit scored 60 → 1/2; B unmeasured.
    client_answer(a, "4.5", owner)
    revisit(a, 60, owner)
    client_answer(c, "1.0", owner)
    # Complaints: A one minor and one serious; C (out of scope) three.
    complaint(a, "minor", owner, 1)
    complaint(a, "serious", owner, 2)
    for n in range(3):
        complaint(c, "serious", owner, 10 + n)
    # Incidents: A one level II and one drill (never counted); C one level I.
    incident(a, "II", owner, 1)
    incident(a, "I", owner, 2, drill=True)
    incident(c, "I", owner, 1)
    return {"a": a, "b": b, "c": c, "d": d}


def _value(key, scope):
    return registry.get(key).compute(scope)


def test_REQ_GEN_04_q_s_e_p_are_period_averages_of_the_projects_scores(meetings):
    scope, _period = scope_of("2026")
    p = _value("standard_p", scope)
    assert p.value == Decimal("0.7500") and p.denominator == 2  # (1/2 + 1) / 2
    e = _value("on_time_e", scope)
    assert e.value == Decimal("0.7500")  # (1/2 + 1) / 2
    s = _value("satisfaction_s", scope)
    assert s.value == Decimal("0.5000") and s.denominator == 1  # only A has client answers
    q = _value("quality_q", scope)
    assert q.value == Decimal("0.1250") and q.denominator == 1  # A: 0.5 × 0.5 × 0.5; B has no S


def test_REQ_GEN_02_out_of_scope_meetings_and_other_periods_are_not_counted(meetings):
    scope, _period = scope_of("2026-Q1")
    # Only A (C is out of scope, B in Q2, D in 2025).
    assert _value("standard_p", scope).value == Decimal("0.5000")
    assert _value("complaint_rate", scope).numerator == 2
    assert _value("incidents", scope).value == 1


def test_REQ_QLT_09_ccp_pass_rate_pools_the_latest_results_with_a_breakdown(meetings):
    scope, _period = scope_of("2026")
    value = _value("ccp_pass_rate", scope)
    assert (value.numerator, value.denominator, value.value) == (2, 3, Decimal("0.6667"))
    assert value.breakdown["CCP-01"]["numerator"] == 1 and value.breakdown["CCP-01"]["denominator"] == 2
    assert value.breakdown["CCP-02"]["value"] == "1.0000"


def test_REQ_FBK_06_complaints_per_100_meetings_and_serious_ones(meetings):
    scope, _period = scope_of("2026")
    rate = _value("complaint_rate", scope)
    assert (rate.numerator, rate.denominator, rate.value) == (2, 2, Decimal("100.00"))
    assert rate.breakdown == {"minor": 1, "serious": 1}
    serious = _value("serious_complaint_rate", scope)
    assert serious.value == Decimal("50.00")
    figure = queries.figure(registry.get("serious_complaint_rate"), scope, periods.parse("2026"), trend=False)
    assert figure.verdict == queries.FAIL  # ccp09.serious_complaints: ≤ 3 per 100 meetings


def test_REQ_INC_01_incidents_by_level_exclude_drills(meetings):
    scope, _period = scope_of("2026")
    value = _value("incidents", scope)
    assert value.value == 1 and value.breakdown["II"] == 1 and value.breakdown["I"] == 0


def test_REQ_QLT_09_average_satisfaction_on_100(meetings):
    scope, _period = scope_of("2026")
    value = _value("average_satisfaction", scope)
    assert value.value == Decimal("75.00") and value.denominator == 2  # (90 + 60) / 2


def test_REQ_QLT_09_no_data_is_none_never_zero(make_project):
    scope, _period = scope_of("2026")
    for kpi in builtin.BUILTIN:
        assert kpi.compute(scope).value is None, kpi.key


def test_REQ_QLT_09_trend_is_grouped_by_month_with_gaps(meetings):
    scope, period = scope_of("2026-05")
    trend = dict(queries.trend_of(registry.get("standard_p"), scope, period))
    assert len(trend) == 12
    assert trend[periods.parse("2026-03")].value == Decimal("0.5000")
    assert trend[periods.parse("2026-05")].value == Decimal("1.0000")
    assert trend[periods.parse("2026-04")].value is None  # no meeting: a gap, not 0
    year_scope, year = scope_of("2026")
    yearly = dict(queries.trend_of(registry.get("standard_p"), year_scope, year))
    assert yearly[periods.parse("2025")].value == Decimal("0.0000")  # D: measured, all failed — a real 0
    assert yearly[periods.parse("2024")].value is None
