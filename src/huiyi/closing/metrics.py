"""Metrics of CCP 10, 11 and 12 measured from the closing records (the thresholds are the rulebook's)."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huiyi.quality.metrics import Measurement, NotMeasurable, metric

from . import queries, scores


def _money(value) -> str:
    return str(value) if value is not None else ""


@metric(queries.SETTLEMENT_DEVIATION)
def settlement_deviation(project, rulebook):
    """CCP 10: |final amount − contract value| / contract value (the latest signed version, amendments
    included; the agreed value with its note when the project has no contract)."""
    figures = queries.settlement_figures(project, rulebook)
    if figures.settlement is None:
        return NotMeasurable(_("No settlement recorded yet."))
    if figures.value is None:
        return NotMeasurable(_("No contract or agreed value to settle against."))
    if figures.final_amount is None:
        return NotMeasurable(_("The final amount is not recorded yet."))
    return Measurement(
        value=figures.deviation,
        evidence={
            "contract_value": _money(figures.value),
            "value_source": figures.value_source,
            "contract": str(figures.contract) if figures.contract else "",
            "final_amount": _money(figures.final_amount),
            "formula": "|final − contract| / contract",
        },
    )


@metric(queries.INVOICE_ACCURACY)
def invoice_accuracy_rate(project, rulebook):
    """CCP 10: invoices issued correctly the first time / all invoices (a corrected one is not correct)."""
    figures = queries.settlement_figures(project, rulebook)
    if not figures.invoices:
        return NotMeasurable(_("No invoice recorded yet."))
    return Measurement(
        value=figures.invoice_accuracy,
        evidence={
            "invoices": len(figures.invoices),
            "correct": figures.invoices_correct,
            "corrected": ", ".join(i.number for i in figures.invoices if not i.correct),
        },
    )


@metric(queries.PAYMENT_ON_TIME)
def payment_on_time_rate(project, rulebook):
    """CCP 10: payments paid in full by their due date / payments paid or past due (the schedule comes from
    the contract's payment lines; an instalment not yet due and unpaid is not counted yet)."""
    figures = queries.settlement_figures(project, rulebook)
    if not figures.payments_counted:
        return NotMeasurable(_("No payment is due or paid yet."))
    late = [
        p.name for p in figures.payments if queries.payment_counts(p, timezone.localdate()) and not p.on_time
    ]
    return Measurement(
        value=figures.on_time_rate,
        evidence={
            "payments_counted": figures.payments_counted,
            "on_time": figures.payments_on_time,
            "late": ", ".join(late),
        },
    )


@metric(queries.FEE_DISPUTES)
def fee_dispute_count(project, rulebook):
    """CCP 10: client fee disputes raised over the settlement (resolved ones count: a dispute happened)."""
    figures = queries.settlement_figures(project, rulebook)
    if figures.settlement is None:
        return NotMeasurable(_("No settlement recorded yet."))
    return Measurement(
        value=Decimal(len(figures.disputes)),
        evidence={"disputes": len(figures.disputes), "open": figures.open_disputes},
    )


@metric("site_check_passed")
def site_check_passed(project, rulebook):
    """CCP 11: the latest site check after tear-down passed (every checklist item met)."""
    check = queries.latest_site_check(project)
    if check is None:
        return NotMeasurable(_("No site check after tear-down yet."))
    failed = [i["key"] for i in check.items if not i["ok"]]
    return Measurement(
        value=Decimal(1 if check.passed else 0),
        evidence={
            "site_check": check.pk,
            "checked_at": check.checked_at.isoformat(),
            "checked_by": str(check.checked_by),
            "not_met": ", ".join(failed),
        },
    )


@metric("lost_and_found_logged")
def lost_and_found_logged(project, rulebook):
    """CCP 11: the lost-and-found log is complete — the site check records the sweep for lost property, and
    every item logged is kept somewhere known, returned (to whom, when) or disposed of (how, when)."""
    check = queries.latest_site_check(project)
    items = list(queries.lost_items(project))
    if check is None:
        return NotMeasurable(_("The log closes with the site check after tear-down."))
    incomplete = [i.description for i in items if not i.is_complete]
    swept = queries.sweep_done(check)
    return Measurement(
        value=Decimal(1 if swept and not incomplete else 0),
        evidence={
            "items": len(items),
            "returned": sum(1 for i in items if i.status == i.Status.RETURNED),
            "incomplete": ", ".join(incomplete),
            "sweep_done": swept,
        },
    )


@metric("archive_completeness")
def archive_completeness(project, rulebook):
    """CCP 11 with REQ-DOC-03: records of the archive checklist archived within the rulebook's working days
    of the meeting's end / records required.

    Documents themselves come with the document register (issue 8); until then the measure is the
    project's archive checklist — each required record of REQ-DOC-01 ticked with the time it was archived.
    While the window is open and records are missing it is not measured yet.
    """
    status = queries.archive_status(project, rulebook)
    if status.window_open and status.archived < status.required:
        return NotMeasurable(
            _("The archive window is still open (%(archived)s of %(required)s archived).")
            % {"archived": status.archived, "required": status.required}
        )
    return Measurement(
        value=status.rate,
        evidence={
            "required": status.required,
            "archived_on_time": status.on_time,
            "archived": status.archived,
            "deadline": status.deadline.isoformat() if status.deadline else "",
        },
    )


@metric("goal_attainment_score")
def goal_attainment_score(project, rulebook):
    """CCP 12: the goal attainment score recorded with the service evaluation form."""
    evaluation = queries.evaluation_of(project)
    if evaluation is None or evaluation.goal_attainment is None:
        return NotMeasurable(_("No goal attainment score recorded yet."))
    return Measurement(
        value=evaluation.goal_attainment,
        evidence={
            "evaluated_by": str(evaluation.evaluated_by),
            "evaluated_at": evaluation.evaluated_at.isoformat(),
        },
    )


@metric("average_ccp_score_computed")
def average_ccp_score_computed(project, rulebook):
    """CCP 12: the average of the control points' scores (passed / measured criteria, latest evaluation) is
    computed — met once at least one other control point has a measured criterion."""
    rows = scores.ccp_scores(project, rulebook)
    average = scores.average_ccp_score(rows)
    if average is None:
        return NotMeasurable(_("No control point has a measured criterion yet."))
    counted = [r for r in rows if r.score is not None and r.control_point.id != scores.SUMMARY_CONTROL_POINT]
    return Measurement(
        value=Decimal(1),
        evidence={
            "average_ccp_score": str(average.quantize(Decimal("0.0001"))),
            "control_points": len(counted),
        },
    )
