"""The training KPIs for the KPI dashboard (REQ-PPL-03, REQ-QLT-09): registered, computed for a scope with a
breakdown per module and a drill-down to the sessions counted."""

from decimal import Decimal

from huiyi.people import kpis  # noqa: F401  (registered by the app)
from huiyi.quality.kpis.registry import Scope, get

from .conftest import D, session


def test_req_ppl_03_training_kpis_registered_and_computed(plan):
    s = plan
    session(
        "communication",
        D(2026, 7, 10),
        [
            {"user": s["planner"].pk, "score": 90},
            {"user": s["reception"].pk, "score": 60},
        ],
        by=s["hr"],
    )
    coverage, pass_rate = get("training_coverage"), get("training_pass_rate")
    assert (
        coverage.target_rule == "ppl.training.coverage" and pass_rate.target_rule == "ppl.training.pass_rate"
    )
    scope = Scope(start=D(2026, 7, 1), end=D(2026, 8, 1))
    value = coverage.compute(scope)
    assert (value.value, value.numerator, value.denominator) == (Decimal("0.6667"), 2, 3)
    assert value.breakdown["communication"]["trained"] == 2
    assert value.breakdown["regulations"]["counted"] is False
    rate = pass_rate.compute(scope)
    assert (rate.value, rate.numerator, rate.denominator) == (Decimal("0.5000"), 1, 2)
    assert coverage.drill(scope) == "/people/training/sessions/?start=2026-07-01&end=2026-08-01"
    # the director's view counts the units they see; an empty period has no data rather than 0
    mine = coverage.compute(Scope(start=D(2026, 7, 1), end=D(2026, 8, 1), user=s["director"]))
    assert (mine.numerator, mine.denominator) == (2, 2)
    assert pass_rate.compute(Scope(start=D(2025, 1, 1), end=D(2025, 2, 1))).value is None
