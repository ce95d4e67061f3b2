"""Every state change of the quality system: measure, evaluate, open and work a nonconformance.

One function per business action, each in a transaction and audited (the models are registered with the
audit trail; ``set_actor`` names the person even outside a web request). Views, the API, the demo and
commands all call these, so there is one path and one trail.

    record_measurement(project, metric, value, *, by, note="", inputs=None) -> ManualMeasurement
    record_budget(project, *, planned, budget, by, note="") -> ManualMeasurement   # REQ-PLN-03
    evaluate(project, control_point=None, *, by=None) -> list[ControlPointResult]   # REQ-QLT-03
    open_nonconformance(project, *, source, description, severity, by, …) -> Nonconformance  # REQ-QLT-06
    set_root_cause(nc, root_cause, *, by)
    plan_action(nc, *, kind, description, owner=None, due_date=None, by) -> CorrectiveAction
    complete_action(action, *, result, by) -> CorrectiveAction
    verify_effect(nc, *, note, by) -> Nonconformance
    close(nc, *, by, note="") -> Nonconformance

Bad input and out-of-order steps raise ``django.core.exceptions.ValidationError`` keyed by field, with a
message in the user's language; nothing is changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from typing import Any

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from huiyi.calendar import services as calendar
from huiyi.projects.models import MeetingProject, ProjectMember
from huiyi.rulebook.loader import Rule, Rulebook
from huiyi.rulebook.services import rulebook_for

from . import display, formulas, metrics
from .models import ControlPointResult, CorrectiveAction, ManualMeasurement, Nonconformance, Severity

__all__ = [
    "record_measurement",
    "record_budget",
    "evaluate",
    "open_nonconformance",
    "set_root_cause",
    "plan_action",
    "complete_action",
    "verify_effect",
    "close",
    "criteria_rules",
    "parse_number",
    "bilingual",
]

LANGUAGES = ("zh-hans", "en")
#: The metric whose manual entry is given as planned cost and client budget (REQ-PLN-03).
BUDGET_METRIC = "budget_deviation"
#: The rulebook metric of the nonconformance correction deadlines (qlt.nonconformance.due_<severity>).
NC_DEADLINE_METRIC = "nonconformance_closure_time"

Status = Nonconformance.Status


@contextmanager
def _actor(user):
    if user is not None and getattr(user, "is_authenticated", False):
        with set_actor(user):
            yield
    else:
        yield


def bilingual(render) -> dict[str, str]:
    """``{"zh-hans": …, "en": …}`` from a callable (or lazy string) rendered in each language."""
    texts = {}
    for language in LANGUAGES:
        with translation.override(language):
            texts[language] = str(render() if callable(render) else render)
    return texts


# ------------------------------------------------------------------------------------------------------
# Criteria and values


def criteria_rules(rulebook: Rulebook, control_point: str | None = None) -> list[Rule]:
    """The criteria of the control points (CCP-01 … CCP-12), or of one, in rulebook order."""
    known = {c.id for c in rulebook.control_points}
    return [
        r
        for r in rulebook.rules
        if r.control_point in known and (control_point is None or r.control_point == control_point)
    ]


def parse_number(raw: Any, field: str) -> Decimal:
    """A finite Decimal from a number or numeric string; ValidationError naming ``field`` otherwise."""
    if isinstance(raw, bool) or raw is None:
        raise ValidationError({field: _("Enter a number.")}, code="not_a_number")
    try:
        number = Decimal(str(raw).strip()) if not isinstance(raw, Decimal) else raw
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Enter a number.")}, code="not_a_number") from None
    if not number.is_finite():
        raise ValidationError({field: _("Enter a finite number.")}, code="not_finite")
    return number


_SCALE_TOP = {"score_100": 100, "score_10": 10, "score_5": 5}  # the top of each score unit's own scale


def check_value(rule: Rule, value: Decimal, field: str = "value") -> Decimal:
    """Refuse values a criterion's unit cannot take (a negative rate, a checklist answer other than 0/1)."""
    unit = rule.unit
    if unit == "boolean":
        if value not in (0, 1):
            raise ValidationError({field: _("A checklist item is either met (1) or not met (0).")})
        return Decimal(int(value))
    if value < 0:
        raise ValidationError({field: _("The value cannot be negative.")})
    if unit == "ratio" and value > 1 and not rule.metric.endswith("deviation"):
        raise ValidationError({field: _("A rate cannot exceed 100%.")})
    if unit in _SCALE_TOP and value > _SCALE_TOP[unit]:
        raise ValidationError(
            {field: _("The score cannot exceed %(top)s.") % {"top": _SCALE_TOP[unit]}}, code="too_high"
        )
    if unit == "count" and value != value.to_integral_value():
        raise ValidationError({field: _("Enter a whole number.")})
    return value


def _criterion(rulebook: Rulebook, metric: str) -> Rule:
    for rule in criteria_rules(rulebook):
        if rule.metric == metric:
            return rule
    raise ValidationError(
        {
            "metric": _("“%(metric)s” is not a criterion of this project's control points.")
            % {"metric": metric}
        }
    )


# ------------------------------------------------------------------------------------------------------
# Manual measurements


def record_measurement(
    project: MeetingProject,
    metric: str,
    value: Any,
    *,
    by,
    note: str = "",
    inputs: Mapping[str, Any] | None = None,
    measured_at=None,
) -> ManualMeasurement:
    """Record a value a person measured (it counts as measured, with ``by`` as its author)."""
    if by is None:
        raise ValidationError({"author": _("A measurement needs its author.")})
    rule = _criterion(rulebook_for(project), metric)
    number = check_value(rule, parse_number(value, "value"))
    with transaction.atomic(), _actor(by):
        return ManualMeasurement.objects.create(
            project=project,
            metric=metric,
            value=number,
            note=note.strip(),
            inputs=dict(inputs or {}),
            author=by,
            measured_at=measured_at or timezone.now(),
        )


def record_budget(
    project: MeetingProject, *, planned: Any, budget: Any, by, note: str = ""
) -> ManualMeasurement:
    """REQ-PLN-03: enter the plan's cost and the client's budget; the deviation is computed by the formula."""
    planned_value = parse_number(planned, "planned")
    budget_value = parse_number(budget, "budget")
    try:
        deviation = formulas.budget_deviation(planned_value, budget_value)
    except formulas.FormulaError as error:
        messages = {
            "negative": _("The amount cannot be negative."),
            "not_positive": _("The amount must be greater than zero."),
        }
        raise ValidationError(
            {error.argument: messages.get(error.code, _("Enter a valid amount."))}
        ) from None
    return record_measurement(
        project,
        BUDGET_METRIC,
        deviation,
        by=by,
        note=note,
        inputs={"planned": str(planned_value), "budget": str(budget_value)},
    )


# ------------------------------------------------------------------------------------------------------
# The evaluator (REQ-QLT-03)


def evaluate(
    project: MeetingProject, control_point: str | None = None, *, by=None
) -> list[ControlPointResult]:
    """Evaluate every criterion of the project's control points (or of one) against its pinned rulebook.

    Stores one new :class:`ControlPointResult` per criterion (earlier results are kept). A failing
    criterion opens a nonconformance, unless one for the same project and criterion is still live, in
    which case the new result is linked to it. A pass never closes a nonconformance.
    """
    rulebook = rulebook_for(project)
    if control_point is not None and control_point not in {c.id for c in rulebook.control_points}:
        raise ValidationError(
            {"control_point": _("Unknown control point “%(cp)s”.") % {"cp": control_point}}, code="unknown"
        )
    rules = criteria_rules(rulebook, control_point)
    outcomes = metrics.measure_many(project, rulebook, [r.metric for r in rules])
    now = timezone.now()
    results: list[ControlPointResult] = []
    from huiyi.quality.kpis import stored  # the KPI figures of the meeting's periods: forgotten once

    with transaction.atomic(), _actor(by), stored.batched():
        for rule in rules:
            outcome = outcomes[rule.metric]
            nonconformance = None
            if isinstance(outcome, metrics.Measurement) and rule.value is not None:
                verdict = (
                    ControlPointResult.Verdict.PASS
                    if rule.passes(outcome.value)
                    else ControlPointResult.Verdict.FAIL
                )
                value, reason = outcome.value, {}
                evidence = {"source": outcome.source, **outcome.evidence}
                if verdict == ControlPointResult.Verdict.FAIL:
                    nonconformance = _nonconformance_for_failure(
                        project, rulebook, rule, value, by=by, now=now
                    )
            else:
                verdict, value, evidence = ControlPointResult.Verdict.NOT_MEASURABLE, None, {}
                why = (
                    outcome.reason
                    if isinstance(outcome, metrics.NotMeasurable)
                    else _("The rule has no value.")
                )
                reason = bilingual(why)
            measured = outcome if isinstance(outcome, metrics.Measurement) else None
            results.append(
                ControlPointResult.objects.record(
                    project=project,
                    control_point=rule.control_point,
                    rule_id=rule.id,
                    name=rule.name.as_dict(),
                    req=rule.req,
                    clause=rule.clause,
                    metric=rule.metric,
                    value=value,
                    op=rule.op,
                    threshold=display.threshold_json(rule),
                    unit=rule.unit,
                    verdict=verdict,
                    reason=reason,
                    source=measured.source if measured else "",
                    measured_by=measured.author if measured else None,
                    evidence=evidence,
                    rulebook_version_id=project.rulebook_version_id,
                    evaluated_at=now,
                    evaluated_by=by if getattr(by, "is_authenticated", False) else None,
                    nonconformance=nonconformance,
                )
            )
    return results


def _describe(rule: Rule, value: Decimal) -> dict[str, str]:
    texts = {}
    for language in LANGUAGES:
        with translation.override(language):
            texts[language] = _("%(criterion)s: measured %(value)s, required %(threshold)s (%(clause)s).") % {
                "criterion": rule.name.get(language),
                "value": display.format_measured(value, rule.unit, language),
                "threshold": display.format_threshold(rule, language),
                "clause": rule.clause,
            }
    return texts


def _deadline(rulebook: Rulebook, severity: str, start):
    """Due date of a nonconformance of ``severity``: working days from the rulebook, via the calendar."""
    for rule in rulebook.rules_where(metric=NC_DEADLINE_METRIC):
        if rule.severity == severity and rule.value is not None:
            return rule.id, calendar.due(start, working_days=int(rule.value))
    return "", None


def _owner_for(project: MeetingProject, role_key: str):
    if not role_key:
        return None
    member = (
        ProjectMember.objects.filter(project=project, role__key=role_key)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return member.user if member else None


def _live_nc(project: MeetingProject, rule_id: str) -> Nonconformance | None:
    return (
        Nonconformance.objects.select_for_update()
        .filter(project=project, rule_id=rule_id)
        .exclude(status=Status.CLOSED)
        .first()
    )


def nonconformance_for_failed_rule(
    project: MeetingProject, rule: Rule, value: Any, *, by=None, source: str = ""
) -> Nonconformance:
    """A reading or record that failed ``rule`` (a control point's criterion or any other rule, such as an
    on-site reading of REQ-ONS-04): open its nonconformance, or return the one still live for the rule."""
    number = parse_number(value, "value")
    with transaction.atomic(), _actor(by):
        return _nonconformance_for_failure(
            project, rulebook_for(project), rule, number, by=by, now=timezone.now(), source=source
        )


def _nonconformance_for_failure(
    project, rulebook: Rulebook, rule: Rule, value: Decimal, *, by, now, source: str = ""
):
    live = _live_nc(project, rule.id)
    if live is not None:
        return live
    control_point = rulebook.control_point(rule.control_point) if rule.control_point else None
    owner_role = (control_point.owner_role if control_point else "") or rule.owner_role or ""
    try:
        with transaction.atomic():  # a savepoint: a concurrent evaluation may have opened it first
            return _create_nc(
                project,
                rulebook,
                source=source or Nonconformance.Source.CCP,
                description=_describe(rule, value),
                severity=rule.severity or Severity.MINOR,
                owner_role=owner_role,
                owner=_owner_for(project, owner_role),
                control_point=rule.control_point or "",
                rule_id=rule.id,
                req=rule.req,
                clause=rule.clause,
                by=by,
                now=now,
            )
    except IntegrityError:
        live = _live_nc(project, rule.id)
        if live is None:
            raise
        return live


def _create_nc(project, rulebook, *, severity, by, now, **fields) -> Nonconformance:
    due_rule, deadline = _deadline(rulebook, severity, now)
    return Nonconformance.objects.create(
        project=project,
        severity=severity,
        opened_at=now,
        opened_by=by if getattr(by, "is_authenticated", False) else None,
        due_at=deadline.due if deadline else None,
        due_confirmed=deadline.confirmed if deadline else True,
        due_rule=due_rule,
        **fields,
    )


def open_nonconformance(
    project: MeetingProject,
    *,
    source: str,
    description: Mapping[str, str] | str,
    severity: str = Severity.MINOR,
    by=None,
    owner=None,
    owner_role: str = "",
    control_point: str = "",
    rule_id: str = "",
    req: str = "",
    clause: str = "",
) -> Nonconformance:
    """Open a nonconformance found by an audit, a complaint, an incident … (REQ-QLT-06)."""
    if source not in Nonconformance.Source.values:
        raise ValidationError({"source": _("Unknown source.")})
    if severity not in Severity.values:
        raise ValidationError({"severity": _("Unknown severity.")})
    if isinstance(description, str):
        description = {"zh-hans": description, "en": description}
    if not any(str(v).strip() for v in description.values()):
        raise ValidationError({"description": _("Describe the nonconformance.")})
    with transaction.atomic(), _actor(by):
        if rule_id and _live_nc(project, rule_id) is not None:
            raise ValidationError({"rule_id": _("This criterion already has an open nonconformance.")})
        return _create_nc(
            project,
            rulebook_for(project),
            source=source,
            description=dict(description),
            severity=severity,
            owner=owner or _owner_for(project, owner_role),
            owner_role=owner_role,
            control_point=control_point,
            rule_id=rule_id,
            req=req,
            clause=clause,
            by=by,
            now=timezone.now(),
        )


# ------------------------------------------------------------------------------------------------------
# The CAPA workflow: open → action planned → action done → effect verified → closed


def _lock(nc: Nonconformance) -> Nonconformance:
    return Nonconformance.objects.select_for_update().get(pk=nc.pk)


def _refuse(message: str, field: str = "status"):
    raise ValidationError({field: message}, code="workflow")


def _require_person(by, field: str = "by"):
    if by is None or not getattr(by, "is_authenticated", False):
        _refuse(_("This step needs the person who does it."), field)


def set_root_cause(nc: Nonconformance, root_cause: str, *, by) -> Nonconformance:
    _require_person(by)
    text = (root_cause or "").strip()
    if not text:
        _refuse(_("Describe the root cause."), "root_cause")
    with transaction.atomic(), _actor(by):
        nc = _lock(nc)
        if nc.status == Status.CLOSED:
            _refuse(_("A closed nonconformance cannot be changed."))
        nc.root_cause = text
        nc.save(update_fields=["root_cause", "updated_at"])
        return nc


def plan_action(
    nc: Nonconformance,
    *,
    kind: str,
    description: str,
    owner=None,
    due_date=None,
    by,
) -> CorrectiveAction:
    """Plan an action; the nonconformance moves to "action planned"."""
    _require_person(by)
    if kind not in CorrectiveAction.Kind.values:
        _refuse(_("Choose the kind of action."), "kind")
    if not (description or "").strip():
        _refuse(_("Describe the action."), "description")
    with transaction.atomic(), _actor(by):
        nc = _lock(nc)
        if nc.status not in (Status.OPEN, Status.ACTION_PLANNED, Status.ACTION_DONE):
            _refuse(
                _("Actions can no longer be planned: the effect is already verified or the case is closed.")
            )
        if due_date is not None and due_date < timezone.localdate(nc.opened_at):
            _refuse(_("The due date cannot be before the nonconformance was opened."), "due_date")
        action = CorrectiveAction.objects.create(
            nonconformance=nc,
            kind=kind,
            description=description.strip(),
            owner=owner,
            due_date=due_date,
            created_by=by,
        )
        if nc.status != Status.ACTION_PLANNED:
            nc.status = Status.ACTION_PLANNED
            nc.save(update_fields=["status", "updated_at"])
        return action


def complete_action(action: CorrectiveAction, *, result: str, by) -> CorrectiveAction:
    """Record an action as done with its result; when every action is done the case is "action done"."""
    _require_person(by)
    if not (result or "").strip():
        _refuse(_("Describe the result of the action."), "result")
    with transaction.atomic(), _actor(by):
        nc = _lock(action.nonconformance)
        action = CorrectiveAction.objects.select_for_update().get(pk=action.pk)
        if action.done_at is not None:
            _refuse(_("This action is already done."), "action")
        if nc.status != Status.ACTION_PLANNED:
            _refuse(_("Only a planned action can be completed."))
        action.done_at = timezone.now()
        action.result = result.strip()
        action.save(update_fields=["done_at", "result", "updated_at"])
        if not nc.actions.filter(done_at__isnull=True).exists():
            nc.status = Status.ACTION_DONE
            nc.save(update_fields=["status", "updated_at"])
        return action


def verify_effect(nc: Nonconformance, *, note: str, by) -> Nonconformance:
    """Verify the effect of the actions (needs a note, the verifier and the root cause)."""
    _require_person(by, "verified_by")
    if not (note or "").strip():
        _refuse(_("Write down how the effect was verified."), "verification_note")
    with transaction.atomic(), _actor(by):
        nc = _lock(nc)
        if nc.status != Status.ACTION_DONE:
            _refuse(_("The effect can be verified only after every planned action is done."))
        if not nc.root_cause.strip():
            _refuse(_("Record the root cause before verifying the effect."), "root_cause")
        nc.status = Status.EFFECT_VERIFIED
        nc.verification_note = note.strip()
        nc.verified_by = by
        nc.verified_at = timezone.now()
        nc.save(update_fields=["status", "verification_note", "verified_by", "verified_at", "updated_at"])
        return nc


def close(nc: Nonconformance, *, by, note: str = "") -> Nonconformance:
    """Close a nonconformance — only after its effect has been verified."""
    _require_person(by, "closed_by")
    with transaction.atomic(), _actor(by):
        nc = _lock(nc)
        if nc.status == Status.CLOSED:
            _refuse(_("This nonconformance is already closed."))
        if nc.status != Status.EFFECT_VERIFIED:
            _refuse(_("A nonconformance can be closed only after the effect of its actions is verified."))
        nc.status = Status.CLOSED
        nc.closing_note = (note or "").strip()
        nc.closed_by = by
        nc.closed_at = timezone.now()
        nc.save(update_fields=["status", "closing_note", "closed_by", "closed_at", "updated_at"])
        return nc
