"""Metrics of the improvement loop (REQ-FBK-04, §2.9(2)–(3)). Thresholds come from the rulebook.

* ``improvement_completion_rate`` — the rulebook formula "completion rate = done / all" over the meeting's
  improvement actions (actions whose effect is evaluated are done too).
* ``improvement_effect_evaluation_time`` — ``fbk.effect_evaluation_deadline``: the longest time from an
  action's completion to the evaluation of its effect, in the rule's unit; an action still waiting counts
  its time so far, so a late evaluation shows before it happens.
* ``improvement_report_interval`` — ``fbk.improvement_report_interval``: the gap between the quarterly
  improvement reports that cover the meeting's organisation unit (the last gap or, when longer, the time
  since the last report).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huiyi.quality import formulas
from huiyi.quality.metrics import Measurement, NotMeasurable, metric

from . import queries, services, timing
from .models import ImprovementAction

Status = ImprovementAction.Status


@metric("improvement_completion_rate")
def improvement_completion_rate(project, rulebook):
    actions = list(ImprovementAction.objects.filter(project=project).only("status", "number"))
    if not actions:
        return NotMeasurable(_("No improvement action has been planned for this meeting yet."))
    done = [a.number for a in actions if a.status in ImprovementAction.DONE_STATUSES]
    formula = rulebook.formulas.get("improvement_completion_rate")
    return Measurement(
        value=formulas.completion_rate(len(done), len(actions)),
        evidence={
            "done": len(done),
            "total": len(actions),
            "done_actions": done,
            "formula": formula.expression if formula else "done / all",
        },
    )


@metric("improvement_effect_evaluation_time")
def improvement_effect_evaluation_time(project, rulebook):
    rule = services.effect_rule(rulebook)
    if rule is None:
        return NotMeasurable(_("The rulebook has no effect-evaluation deadline."))
    now = timezone.now()
    rows = []
    for item in ImprovementAction.objects.filter(project=project, done_at__isnull=False).order_by("number"):
        end = item.effect_evaluated_at or now
        rows.append(
            {
                "action": item.number,
                "done_at": item.done_at.isoformat(),
                "evaluated_at": item.effect_evaluated_at.isoformat() if item.effect_evaluated_at else None,
                "elapsed": str(timing.elapsed(item.done_at, end, rule.unit)),
            }
        )
    if not rows:
        return NotMeasurable(_("No improvement action is done yet."))
    worst = max(Decimal(row["elapsed"]) for row in rows)
    return Measurement(value=worst, evidence={"unit": rule.unit, "actions": rows})


@metric("improvement_report_interval")
def improvement_report_interval(project, rulebook):
    rule = services.report_rule(rulebook)
    if rule is None:
        return NotMeasurable(_("The rulebook has no improvement report interval."))
    reports = list(queries.reports_covering(project.org_unit)[:2])
    if not reports:
        return NotMeasurable(_("No quarterly improvement report covers this meeting's unit yet."))
    latest = reports[0]
    since_last = timing.elapsed(latest.submitted_at, timezone.now(), rule.unit)
    evidence = {
        "unit": rule.unit,
        "latest": {
            "report": latest.pk,
            "period": latest.period,
            "submitted_at": latest.submitted_at.isoformat(),
        },
        "since_latest": str(since_last),
    }
    value = since_last
    if len(reports) > 1:
        previous = reports[1]
        gap = timing.elapsed(previous.submitted_at, latest.submitted_at, rule.unit)
        evidence["previous"] = {
            "report": previous.pk,
            "period": previous.period,
            "submitted_at": previous.submitted_at.isoformat(),
        }
        evidence["last_gap"] = str(gap)
        value = max(value, gap)
    return Measurement(value=value, evidence=evidence)
