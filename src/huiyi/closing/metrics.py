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
    """CCP 11 with REQ-DOC-03: records archived within the rulebook's working days of the meeting's end /
    records required.

    A record is archived when a document of its type has a version (the time of its first version) or, for
    paper records that are not documents, when it is ticked on the archive checklist; each required phase
    output (the phases up to the archive rule's) counts as filed document only. While the window is open and
    records are missing it is not measured yet.
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
            "from_documents": len(status.filed) + sum(1 for row in status.outputs if row.present),
            "missing_outputs": ", ".join(row.doc_type for row in status.missing_outputs),
            "deadline": status.deadline.isoformat() if status.deadline else "",
        },
    )


@metric(queries.ARCHIVE_DEADLINE_METRIC)
def archive_time(project, rulebook):
    """REQ-DOC-03 §3.5(2): working days from the meeting's end until its last required record was archived
    (documents at their first version, paper records at their tick); while a record is missing, the working
    days elapsed so far once the window has passed."""
    from huiyi.documents.filing import working_days_after

    now = timezone.now()
    if now <= project.end:
        return NotMeasurable(_("The meeting has not ended yet."))
    status = queries.archive_status(project, rulebook, now)
    complete = status.archived >= status.required
    if not complete and status.window_open:
        return NotMeasurable(
            _("The archive window is still open (%(archived)s of %(required)s archived).")
            % {"archived": status.archived, "required": status.required}
        )
    until = status.last_archived_at if complete else now
    return Measurement(
        value=Decimal(working_days_after(project.end, max(until, project.end))),
        evidence={
            "meeting_end": project.end.isoformat(),
            "archived_until": until.isoformat() if complete else "",
            "missing": status.required - status.archived,
            "deadline": status.deadline.isoformat() if status.deadline else "",
        },
    )


def _first_version_measure(project, rulebook, metric: str, doc_type: str, measure):
    """A deadline from the meeting's end to the first version of a document of `doc_type` (REQ-DOC-03)."""
    from huiyi.calendar import services as calendar
    from huiyi.documents.filing import first_version_at

    now = timezone.now()
    if now <= project.end:
        return NotMeasurable(_("The meeting has not ended yet."))
    filed = first_version_at(project, doc_type)
    if filed is None:
        rule = queries.first_rule(rulebook, metric)
        if rule is None or rule.value is None:
            return NotMeasurable(_("No document of this type has been filed yet."))
        if rule.unit == "hours":
            due = calendar.due(project.end, hours=rule.value).due
        else:
            due = calendar.due(project.end, working_days=int(rule.value)).due
        if now <= due:
            return NotMeasurable(_("No document of this type has been filed yet."))
    at = filed or now
    return Measurement(
        value=measure(project.end, max(at, project.end)),
        evidence={
            "meeting_end": project.end.isoformat(),
            "first_version_at": filed.isoformat() if filed else "",
            "doc_type": doc_type,
        },
    )


@metric("minutes_draft_time")
def minutes_draft_time(project, rulebook):
    """REQ-DOC-03 §4.3(3): hours from the meeting's end to the first version of its minutes document."""

    def hours(start, end):
        return (Decimal((end - start).total_seconds()) / Decimal(3600)).quantize(Decimal("0.01"))

    return _first_version_measure(project, rulebook, "minutes_draft_time", "minutes", hours)


@metric("summary_report_time")
def summary_report_time(project, rulebook):
    """REQ-DOC-03 §4.3(3): working days from the meeting's end to the first version of its service summary
    report document (holidays and adjusted working days from the calendar)."""
    from huiyi.documents.filing import working_days_after

    return _first_version_measure(
        project,
        rulebook,
        "summary_report_time",
        "service_summary_report",
        lambda start, end: Decimal(working_days_after(start, end)),
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
