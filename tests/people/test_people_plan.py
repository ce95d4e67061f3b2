"""The training plan's figures (REQ-PPL-03, §5.2): coverage, pass rate and overdue against hand counts."""

import copy
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from huiyi.people import queries, services
from huiyi.people.models import ModuleAttendance, ModuleSession
from huiyi.rulebook.loader import load_rulebook
from huiyi.rulebook.services import active_rulebook

from .conftest import D, session


def test_req_ppl_03_modules_and_cycles_come_from_the_rulebook(db):
    modules = queries.module_map()
    assert set(modules) == {
        "planning_budget",
        "venue_equipment",
        "communication",
        "risk_management",
        "regulations",
    }
    rulebook = active_rulebook()
    for key, module in modules.items():
        assert module.cycle_months == rulebook.value(f"ppl.training.{key}")
    # the plan of §5.2(2) is seeded: methods and expected outcome
    assert modules["communication"].plan.methods == ["role_play", "workshop"]
    assert modules["risk_management"].plan.expected_outcome["zh-hans"] == "具备处理突发事件的初步能力"


def test_req_ppl_03_coverage_and_pass_rate_per_module_and_period(plan):
    s = plan
    hr = s["hr"]
    # Q3 2026: communication (monthly) — planner attends July (90) and August (70, fails), reception attends
    # July (85); south planner never. Target: 3 people (planner, rec, south) → 2 trained.
    session(
        "communication",
        D(2026, 7, 10),
        [
            {"user": s["planner"].pk, "score": 90},
            {"user": s["reception"].pk, "score": 85},
        ],
        by=hr,
    )
    session(
        "communication",
        D(2026, 8, 10),
        [
            {"user": s["planner"].pk, "score": 70},
            {"user": s["south"].pk, "attended": False},
        ],
        by=hr,
    )
    # regulations (yearly) in Q3: the planner → it is not due within a quarter, counted in the year.
    session("regulations", D(2026, 9, 1), [{"user": s["planner"].pk, "score": 80}], by=hr, method="lecture")
    # outside the quarter: not counted in Q3
    session("communication", D(2026, 10, 1), [{"user": s["south"].pk, "score": 95}], by=hr)

    q3 = queries.plan_figures(D(2026, 7, 1), D(2026, 10, 1))
    by = {m.module.key: m for m in q3.modules}
    comm = by["communication"]
    assert (comm.target, comm.trained, comm.coverage) == (3, 2, Decimal("0.6667"))
    assert (comm.scored, comm.passed, comm.pass_rate) == (3, 2, Decimal("0.6667"))
    assert comm.sessions == 2 and comm.due_in_period
    regs = by["regulations"]
    assert (regs.target, regs.trained, regs.due_in_period) == (2, 1, False)  # planner + south planner
    assert (regs.scored, regs.passed) == (1, 1)  # 80 = the pass mark passes
    # overall coverage counts only modules due within a quarter (their cycle ≤ 3 months)
    counted = [m for m in q3.modules if m.due_in_period]
    assert {m.module.key for m in counted} == {"communication", "venue_equipment", "risk_management"}
    assert q3.trained == 2 and q3.target == sum(m.target for m in counted)
    # pass rate over every module: 3 of 4 assessments
    assert (q3.passed, q3.scored, q3.pass_rate) == (3, 4, Decimal("0.7500"))

    year = queries.plan_figures(*queries.period_bounds("year", D(2026, 5, 5)))
    by = {m.module.key: m for m in year.modules}
    assert by["regulations"].due_in_period and by["communication"].trained == 3


def test_req_ppl_03_people_scope_narrows_the_figures(plan):
    s = plan
    session("communication", D(2026, 7, 10), [{"user": s["planner"].pk, "score": 90}], by=s["hr"])
    north = queries.visible_staff(s["director"])
    figures = queries.plan_figures(D(2026, 7, 1), D(2026, 8, 1), people=north)
    comm = next(m for m in figures.modules if m.module.key == "communication")
    assert (comm.target, comm.trained) == (2, 1)  # the south planner is outside the director's units


def test_req_ppl_03_overdue_is_the_cycle_elapsed_since_the_last_session(plan):
    s = plan
    hr = s["hr"]
    session("communication", D(2026, 9, 15), [{"user": s["planner"].pk, "score": 90}], by=hr)
    session("communication", D(2026, 10, 20), [{"user": s["reception"].pk, "score": 88}], by=hr)
    session("communication", D(2026, 11, 2), [{"user": s["south"].pk, "attended": False}], by=hr)
    today = D(2026, 11, 18)  # monthly: due one month after the last attended session
    rows = [r for r in queries.overdue(today) if r.module.key == "communication"]
    late = {r.user.username: (r.last, r.due) for r in rows}
    assert late == {"planner": (D(2026, 9, 15), D(2026, 10, 15)), "south": (None, None)}
    # the person's own view agrees
    mine = {r["module"].key: r for r in queries.person_modules(s["planner"], today)}
    assert mine["communication"]["overdue"] and mine["communication"]["due"] == D(2026, 10, 15)
    assert not {r["module"].key: r for r in queries.person_modules(s["reception"], today)}["communication"][
        "overdue"
    ]


def test_req_ppl_03_a_longer_cycle_in_the_rulebook_changes_who_is_overdue(plan):
    s = plan
    session("communication", D(2026, 9, 15), [{"user": s["planner"].pk, "score": 90}], by=s["hr"])
    data = copy.deepcopy(active_rulebook().as_data())
    for rule in data["rules"]:
        if rule["id"] == "ppl.training.communication":
            rule["value"] = 3
    relaxed = load_rulebook(data)
    today = D(2026, 11, 18)
    assert "planner" in {r.user.username for r in queries.overdue(today) if r.module.key == "communication"}
    assert "planner" not in {
        r.user.username for r in queries.overdue(today, rulebook=relaxed) if r.module.key == "communication"
    }


def test_req_ppl_03_session_pass_mark_is_the_rulebooks_and_attendance_is_all_or_nothing(plan):
    s = plan
    hr = s["hr"]
    one = services.record_session(
        module="risk_management", held_on=D(2026, 6, 1), trainer="周杰", method="drill", by=hr
    )
    assert one.pass_mark == Decimal(str(active_rulebook().value("ppl.training.pass_mark")))
    with pytest.raises(ValidationError) as error:
        services.record_attendance(
            one, [{"user": s["planner"].pk, "score": 90}, {"user": s["reception"].pk, "score": 130}], by=hr
        )
    assert "score" in error.value.message_dict
    assert not ModuleAttendance.objects.exists()
    with pytest.raises(ValidationError):
        services.record_attendance(one, [{"user": s["planner"].pk, "attended": False, "score": 50}], by=hr)
    with pytest.raises(ValidationError) as error:
        services.record_session(module="juggling", held_on=D(2026, 6, 1), trainer="x", method="drill", by=hr)
    assert "module" in error.value.message_dict
    assert ModuleSession.objects.count() == 1


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31)), st.integers(-60, 60))
def test_req_ppl_03_add_months_property(day, months):
    moved = queries.add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day <= day.day
    if moved.day < day.day:  # clamped to the end of a shorter month
        assert (moved + dt.timedelta(days=1)).day == 1


@given(
    st.sampled_from(queries.PERIOD_KINDS),
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31)),
)
def test_req_ppl_03_period_bounds_contain_the_day_and_span_their_months(kind, day):
    start, end = queries.period_bounds(kind, day)
    assert start <= day < end and start.day == 1
    assert queries.months_in(start, end) == {"month": 1, "quarter": 3, "year": 12}[kind]
