"""Per-control-point scores and their average (REQ-QLT-03 CCP 12 "各CCP执行得分平均值").

A control point's score is the share of its measured criteria that pass in the latest evaluation (the same
pass/measured ratio the scorecard uses for P and the phase scores); the average is taken over the control
points with at least one measured criterion. CCP 12 itself is left out of the average it checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from huiyi.quality import formulas, queries
from huiyi.quality.models import ControlPointResult
from huiyi.rulebook.loader import Rulebook

SUMMARY_CONTROL_POINT = "CCP-12"
PASS = ControlPointResult.Verdict.PASS
FAIL = ControlPointResult.Verdict.FAIL


@dataclass
class ControlPointScore:
    control_point: object  # the rulebook's ControlPoint
    results: list[ControlPointResult]
    passed: int
    measured: int

    @property
    def score(self) -> Decimal | None:
        return formulas.standard_rate(self.passed, self.measured, empty=None)


def ccp_scores(project, rulebook: Rulebook, results: dict | None = None) -> list[ControlPointScore]:
    results = results if results is not None else queries.current_results(project)
    rows = []
    for cp in rulebook.control_points:
        mine = [r for r in results.values() if r.control_point == cp.id]
        measured = [r for r in mine if r.verdict in (PASS, FAIL)]
        rows.append(
            ControlPointScore(
                control_point=cp,
                results=sorted(mine, key=lambda r: r.rule_id),
                passed=sum(1 for r in measured if r.verdict == PASS),
                measured=len(measured),
            )
        )
    return rows


def average_ccp_score(scores: list[ControlPointScore]) -> Decimal | None:
    values = [s.score for s in scores if s.score is not None and s.control_point.id != SUMMARY_CONTROL_POINT]
    if not values:
        return None
    return sum(values, Decimal(0)) / len(values)
