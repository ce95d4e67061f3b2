"""A project's scores, each with how it was computed (REQ-GEN-04, REQ-FBK-08, REQ-QLT-02, REQ-QLT-03).

* P — criteria passed / criteria measured (current results of CCP-01 … CCP-12);
* S — client satisfaction rate, metric ``client_satisfaction_rate`` (registered by the feedback capability);
* E — on-time rate, metric ``service_on_time_rate`` (registered by the execution capability);
* Q = S × E × P (REQ-GEN-04);
* phase scores — P restricted to each phase's control points; overall quality = Σ phase weight × phase
  score (REQ-QLT-02), the weights from the rulebook's phases, renormalised over the phases measured so far;
* final service score = α·(service process score) + β·(client satisfaction) (REQ-FBK-08): the process
  score is the overall phase-weighted quality, the satisfaction is S; α and β are the rulebook's
  ``final_service_score`` weights (picked by their ``applies_to.component``).

No weight or threshold is written here: all come from the project's pinned rulebook.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huiyi.core.translation import localize
from huiyi.rulebook.loader import Rulebook
from huiyi.rulebook.services import rulebook_for

from . import display, formulas, metrics, queries
from .models import ControlPointResult

SATISFACTION_METRIC = "client_satisfaction_rate"
ON_TIME_METRIC = "service_on_time_rate"
FINAL_SCORE_GROUP = "final_service_score"
PROCESS_COMPONENT = "service_process"
SATISFACTION_COMPONENT = "client_satisfaction"

PASS = ControlPointResult.Verdict.PASS
FAIL = ControlPointResult.Verdict.FAIL


@dataclass
class Score:
    """A score and how it was computed: ``formula`` and ``inputs`` [(label, value shown)]."""

    key: str
    label: Any
    value: Decimal | None
    formula: str
    inputs: list[tuple[str, str]] = field(default_factory=list)
    reason: str = ""
    req: str = ""

    @property
    def measurable(self) -> bool:
        return self.value is not None

    @property
    def shown(self) -> str:
        return display.percent(self.value)

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": str(self.label),
            "value": None if self.value is None else str(self.value),
            "formula": self.formula,
            "inputs": [{"name": str(n), "value": v} for n, v in self.inputs],
            "reason": str(self.reason),
            "req": self.req,
        }


@dataclass
class Scores:
    p: Score
    s: Score
    e: Score
    q: Score
    final: Score
    overall: Score
    phases: list[Score]

    def as_dict(self) -> dict[str, Any]:
        return {
            "P": self.p.as_dict(),
            "S": self.s.as_dict(),
            "E": self.e.as_dict(),
            "Q": self.q.as_dict(),
            "final": self.final.as_dict(),
            "overall": self.overall.as_dict(),
            "phases": [p.as_dict() for p in self.phases],
        }


def _expression(rulebook: Rulebook, formula_id: str, fallback: str) -> str:
    formula = rulebook.formulas.get(formula_id)
    return formula.expression if formula else fallback


def _pass_ratio(results) -> tuple[int, int, Decimal | None]:
    measured = [r for r in results if r.verdict in (PASS, FAIL)]
    passed = sum(1 for r in measured if r.verdict == PASS)
    value = formulas.standard_rate(passed, len(measured), empty=None)
    return passed, len(measured), value


def _metric_score(
    key: str, label, metric_key: str, project, rulebook, req: str, *, comes_from: str, formula: str
) -> Score:
    outcome = metrics.measure(metric_key, project, rulebook)
    if isinstance(outcome, metrics.NotMeasurable):
        reason = str(outcome.reason)
        if not metrics.is_registered(metric_key):
            reason = _("%(source)s: no record yet.") % {"source": comes_from}
        return Score(key, label, None, formula, inputs=[(_("metric"), metric_key)], reason=reason, req=req)
    try:
        value = formulas.ratio(outcome.value, 1, part_name=metric_key)
    except formulas.FormulaError as error:
        return Score(key, label, None, formula, reason=str(error), req=req)
    inputs = [(str(k), str(v)) for k, v in outcome.evidence.items() if not isinstance(v, dict | list)]
    return Score(key, label, value, formula, inputs=inputs, req=req)


def _weights(rulebook: Rulebook) -> dict[str, Decimal]:
    """α and β by component (``service_process`` / ``client_satisfaction``)."""
    found = {}
    for rule in rulebook.rules:
        if rule.kind == "weight" and rule.group == FINAL_SCORE_GROUP:
            component = rule.applies_to.get("component")
            if component:
                found[component] = Decimal(str(rule.value))
    return found


def project_scores(project, *, results: dict | None = None, rulebook: Rulebook | None = None) -> Scores:
    rulebook = rulebook or rulebook_for(project)
    results = results if results is not None else queries.current_results(project)
    current = list(results.values())

    # P (REQ-GEN-04 / REQ-QLT-03)
    passed, measured, p_value = _pass_ratio(current)
    p = Score(
        "P",
        gettext_lazy("P — criteria meeting the standard"),
        p_value,
        "P = " + _("criteria passed / criteria measured"),
        inputs=[(_("criteria passed"), str(passed)), (_("criteria measured"), str(measured))],
        reason="" if p_value is not None else _("No criterion has been measured yet."),
        req="REQ-GEN-04",
    )

    # Phase scores and overall quality (REQ-QLT-02)
    phase_scores: list[Score] = []
    values: dict[str, Decimal] = {}
    weights: dict[str, Decimal] = {}
    for phase in rulebook.phases:
        in_phase = [r for r in current if r.control_point in phase.control_points]
        ph_passed, ph_measured, value = _pass_ratio(in_phase)
        label = localize(phase.name.as_dict())
        phase_scores.append(
            Score(
                phase.id,
                label,
                value,
                _("passed / measured in %(cps)s") % {"cps": ", ".join(phase.control_points)},
                inputs=[
                    (_("criteria passed"), str(ph_passed)),
                    (_("criteria measured"), str(ph_measured)),
                    (_("phase weight"), display.percent(Decimal(str(phase.weight)), "0.1")),
                ],
                reason="" if value is not None else _("No criterion of this phase has been measured yet."),
                req="REQ-QLT-01",
            )
        )
        if value is not None:
            values[phase.id] = value
            weights[phase.id] = Decimal(str(phase.weight))
    overall_formula = _expression(rulebook, "overall_quality", "Σ phase weight × phase score")
    overall_value = None
    reason = _("No phase has a measured criterion yet.")
    if values:
        try:
            overall_value = formulas.phase_weighted_quality(values, weights, normalize=True)
            reason = ""
        except formulas.FormulaError as error:
            reason = str(error)
    overall = Score(
        "overall",
        gettext_lazy("Overall phase-weighted quality"),
        overall_value,
        overall_formula,
        inputs=[(f"{pid} × {display.percent(weights[pid])}", display.percent(v)) for pid, v in values.items()]
        + (
            [(_("phases measured"), f"{len(values)} / {len(rulebook.phases)}")]
            if len(values) < len(rulebook.phases)
            else []
        ),
        reason=reason,
        req="REQ-QLT-02",
    )

    # S and E from metrics (REQ-GEN-04)
    s = _metric_score(
        "S",
        gettext_lazy("S — client satisfaction rate"),
        SATISFACTION_METRIC,
        project,
        rulebook,
        "REQ-GEN-04",
        comes_from=_("Measured from client satisfaction surveys"),
        formula="S = " + _("satisfied clients / all clients"),
    )
    e = _metric_score(
        "E",
        gettext_lazy("E — on-time rate"),
        ON_TIME_METRIC,
        project,
        rulebook,
        "REQ-GEN-04",
        comes_from=_("Measured from the services' completion records"),
        formula="E = " + _("services completed on time / all services"),
    )

    # Q = S × E × P
    q_formula = _expression(rulebook, "service_quality_q", "Q = S × E × P").split(";")[0]
    q_inputs = [("S", s.shown), ("E", e.shown), ("P", p.shown)]
    if s.measurable and e.measurable and p.measurable:
        q = Score(
            "Q",
            gettext_lazy("Q — service quality"),
            formulas.service_quality(s.value, e.value, p.value),
            q_formula,
            q_inputs,
            req="REQ-GEN-04",
        )
    else:
        missing = ", ".join(x.key for x in (s, e, p) if not x.measurable)
        q = Score(
            "Q",
            gettext_lazy("Q — service quality"),
            None,
            q_formula,
            q_inputs,
            reason=_("Not yet measurable: %(missing)s not measured.") % {"missing": missing},
            req="REQ-GEN-04",
        )

    # Final score = α·S + β·E (REQ-FBK-08)
    found = _weights(rulebook)
    alpha, beta = found.get(PROCESS_COMPONENT), found.get(SATISFACTION_COMPONENT)
    final_formula = _expression(rulebook, "final_service_score", "final score = α·S + β·E")
    final_inputs = [
        ("α", "—" if alpha is None else str(alpha.normalize())),
        ("β", "—" if beta is None else str(beta.normalize())),
        (_("service process score (overall quality)"), overall.shown),
        (_("client satisfaction (S)"), s.shown),
    ]
    final_value, final_reason = None, ""
    if alpha is None or beta is None:
        final_reason = _("The rulebook has no final-score weights.")
    elif not (overall.measurable and s.measurable):
        missing = ", ".join(
            str(label)
            for label, score in ((_("service process score"), overall), (_("client satisfaction"), s))
            if not score.measurable
        )
        final_reason = _("Not yet measurable: %(missing)s not measured.") % {"missing": missing}
    else:
        try:
            final_value = formulas.final_service_score(overall.value, s.value, alpha, beta, max_score=1)
        except formulas.FormulaError as error:
            final_reason = str(error)
    final = Score(
        "final",
        gettext_lazy("Final service score"),
        final_value,
        final_formula,
        final_inputs,
        reason=final_reason,
        req="REQ-FBK-08",
    )
    return Scores(p=p, s=s, e=e, q=q, final=final, overall=overall, phases=phase_scores)
