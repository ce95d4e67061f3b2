"""Every state change of a violation case (REQ-QLT-08): one function per step, in a transaction, audited.

    report_violation(*, title, description, occurred_at, org_unit, by, project=None, rule_id="", …)
    start_investigation(v, *, investigator, by)
    determine_responsibility(v, *, findings, responsible_person, responsible_role, note, by)
    notify_sanction(v, *, sanction, detail, by)               # opens the appeal window of the rulebook
    appeal(v, *, text, by)                                    # only the person concerned, within the window
    decide_appeal(v, *, outcome, note, by)
    close_violation(v, *, note, by, performance_review_ref="")
    open_nonconformance(v, *, severity, by)                   # the breach as a quality nonconformance

The investigation deadline and the appeal window come from the rulebook (``qlt.violation.*``) through the
working-day calendar. Bad input and out-of-order steps raise ``ValidationError`` keyed by field.
"""

from __future__ import annotations

from contextlib import contextmanager

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from huiyi.accounts.models import Role
from huiyi.calendar import services as calendar
from huiyi.core.notifications import notify
from huiyi.core.sequences import next_number
from huiyi.quality import services as quality
from huiyi.quality.models import Nonconformance
from huiyi.rulebook.services import active_rulebook

from .models import Violation, ViolationEvent

INVESTIGATION_RULE = "qlt.violation.investigation_deadline"
APPEAL_RULE = "qlt.violation.appeal_window"
Status = Violation.Status
Step = ViolationEvent.Step


@contextmanager
def _actor(user):
    if user is not None and getattr(user, "is_authenticated", False):
        with set_actor(user):
            yield
    else:
        yield


def _refuse(message: str, field: str = "status"):
    raise ValidationError({field: message}, code="workflow")


def _require_person(by):
    if by is None or not getattr(by, "is_authenticated", False):
        _refuse(_("This step needs the person who does it."), "by")


def _text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        _refuse(message, field)
    return value


def _working_days_deadline(rule_id: str, start):
    rulebook = active_rulebook()
    if rule_id not in rulebook or rulebook.value(rule_id) is None:
        return None
    return calendar.due(start, working_days=int(rulebook.value(rule_id)))


def _event(violation: Violation, step: str, by, note: str = "") -> ViolationEvent:
    return ViolationEvent.objects.create(violation=violation, step=step, by=by, note=note)


def _lock(violation: Violation) -> Violation:
    return Violation.objects.select_for_update().get(pk=violation.pk)


def _tell(person, violation: Violation, title: str):
    if person is None:
        return
    url = reverse("accountability:detail", args=[violation.pk])
    transaction.on_commit(
        lambda: notify(
            person,
            title,
            url=url,
            kind="violation",
            dedupe_key=f"violation:{violation.pk}:{person.pk}:{title}"[:200],
        )
    )


def report_violation(
    *,
    title: str,
    description: str,
    occurred_at,
    org_unit,
    by,
    project=None,
    rule_id: str = "",
    req: str = "",
    clause: str = "",
    reported_at=None,
) -> Violation:
    """Record a violation (§11.2). The investigation deadline runs from the report."""
    _require_person(by)
    title = _text(title, "title", _("Say what happened."))
    description = _text(description, "description", _("Describe the violation."))
    if occurred_at is None:
        _refuse(_("Give when it happened."), "occurred_at")
    now = reported_at or timezone.now()
    if occurred_at > now:
        _refuse(_("A violation cannot be reported before it happened."), "occurred_at")
    if project is not None and org_unit is None:
        org_unit = project.org_unit
    if org_unit is None:
        _refuse(_("Choose the unit concerned."), "org_unit")
    rule_id = (rule_id or "").strip()
    if rule_id:
        rulebook = active_rulebook()
        if rule_id not in rulebook:
            _refuse(_("Unknown criterion “%(rule)s”.") % {"rule": rule_id}, "rule_id")
        rule = rulebook.rule(rule_id)
        req, clause = req or rule.req, clause or rule.clause
    deadline = _working_days_deadline(INVESTIGATION_RULE, now)
    with transaction.atomic(), _actor(by):
        number = next_number(Violation)
        violation = Violation.objects.create(
            number=number,
            title=title,
            description=description,
            occurred_at=occurred_at,
            project=project,
            org_unit=org_unit,
            rule_id=rule_id,
            req=(req or "").strip(),
            clause=(clause or "").strip(),
            reporter=by,
            reported_at=now,
            investigation_due=deadline.due if deadline else None,
            created_by=by,
        )
        _event(violation, Step.REPORTED, by, description)
        return violation


def start_investigation(violation: Violation, *, investigator, by) -> Violation:
    _require_person(by)
    if investigator is None:
        _refuse(_("Name the investigator."), "investigator")
    with transaction.atomic(), _actor(by):
        violation = _lock(violation)
        if violation.status != Status.REPORTED:
            _refuse(_("Only a reported violation can be put under investigation."))
        violation.status = Status.INVESTIGATING
        violation.investigator = investigator
        violation.investigation_started_at = timezone.now()
        violation.save(update_fields=["status", "investigator", "investigation_started_at", "updated_at"])
        _event(violation, Step.INVESTIGATION, by, str(investigator))
        _tell(investigator, violation, _("Violation %(code)s to investigate") % {"code": violation.code})
        return violation


def determine_responsibility(
    violation: Violation, *, findings: str, responsible_person, responsible_role: str, note: str = "", by
) -> Violation:
    """Record what the investigation found and who bears responsibility, in which role (§11.3)."""
    _require_person(by)
    findings = _text(findings, "findings", _("Write down what the investigation found."))
    if responsible_person is None:
        _refuse(_("Name the person responsible."), "responsible_person")
    responsible_role = (responsible_role or "").strip()
    if not Role.objects.filter(key=responsible_role).exists():
        _refuse(_("Choose the role the person held."), "responsible_role")
    with transaction.atomic(), _actor(by):
        violation = _lock(violation)
        if violation.status != Status.INVESTIGATING:
            _refuse(_("Responsibility is determined at the end of the investigation."))
        violation.status = Status.DETERMINED
        violation.findings = findings
        violation.responsible_person = responsible_person
        violation.responsible_role = responsible_role
        violation.responsibility_note = (note or "").strip()
        violation.determined_at = timezone.now()
        violation.save()
        _event(violation, Step.DETERMINED, by, f"{responsible_person} · {responsible_role}")
        return violation


def notify_sanction(violation: Violation, *, sanction: str, detail: str = "", by) -> Violation:
    """Decide and notify the sanction (§11.4); the appeal window of the rulebook starts now."""
    _require_person(by)
    if sanction not in Violation.Sanction.values:
        _refuse(_("Choose the sanction."), "sanction")
    detail = (detail or "").strip()
    if sanction != Violation.Sanction.NONE and not detail:
        _refuse(_("Describe the sanction."), "sanction_detail")
    now = timezone.now()
    deadline = _working_days_deadline(APPEAL_RULE, now)
    with transaction.atomic(), _actor(by):
        violation = _lock(violation)
        if violation.status != Status.DETERMINED:
            _refuse(_("A sanction is decided once responsibility is determined."))
        violation.status = Status.SANCTIONED
        violation.sanction = sanction
        violation.sanction_detail = detail
        violation.sanction_notified_at = now
        violation.appeal_due = deadline.due if deadline else None
        violation.appeal_due_confirmed = deadline.confirmed if deadline else True
        violation.save()
        _event(violation, Step.SANCTIONED, by, f"{violation.get_sanction_display()} {detail}".strip())
        _tell(
            violation.responsible_person,
            violation,
            _("Decision on violation %(code)s: you may appeal until %(due)s")
            % {
                "code": violation.code,
                "due": timezone.localtime(violation.appeal_due).strftime("%Y-%m-%d %H:%M")
                if violation.appeal_due
                else "—",
            },
        )
        return violation


def appeal(violation: Violation, *, text: str, by) -> Violation:
    """The person concerned appeals, within the rulebook's window."""
    _require_person(by)
    text = _text(text, "appeal_text", _("Write the grounds of the appeal."))
    with transaction.atomic(), _actor(by):
        violation = _lock(violation)
        if violation.responsible_person_id != by.pk:
            _refuse(_("Only the person concerned may appeal."), "by")
        if violation.status != Status.SANCTIONED or violation.appealed_at:
            _refuse(_("There is no decision open to appeal."))
        if violation.appeal_due is not None and timezone.now() > violation.appeal_due:
            _refuse(
                _("The appeal window closed on %(due)s.")
                % {"due": timezone.localtime(violation.appeal_due).strftime("%Y-%m-%d %H:%M")},
                "appeal_text",
            )
        violation.status = Status.APPEALED
        violation.appeal_text = text
        violation.appealed_at = timezone.now()
        violation.save(update_fields=["status", "appeal_text", "appealed_at", "updated_at"])
        _event(violation, Step.APPEALED, by, text)
        return violation


def decide_appeal(violation: Violation, *, outcome: str, note: str, by) -> Violation:
    _require_person(by)
    if outcome not in Violation.AppealOutcome.values:
        _refuse(_("Choose the decision on the appeal."), "appeal_outcome")
    note = _text(note, "appeal_decision_note", _("Give the reasons for the decision."))
    with transaction.atomic(), _actor(by):
        violation = _lock(violation)
        if violation.status != Status.APPEALED:
            _refuse(_("There is no appeal to decide."))
        if violation.responsible_person_id == by.pk:
            _refuse(_("Nobody decides their own appeal."), "by")
        violation.status = Status.SANCTIONED
        violation.appeal_outcome = outcome
        violation.appeal_decision_note = note
        violation.appeal_decided_by = by
        violation.appeal_decided_at = timezone.now()
        violation.save()
        _event(violation, Step.APPEAL_DECIDED, by, f"{violation.get_appeal_outcome_display()}: {note}")
        _tell(
            violation.responsible_person,
            violation,
            _("Your appeal on %(code)s was decided") % {"code": violation.code},
        )
        return violation


def close_violation(
    violation: Violation, *, note: str = "", by, performance_review_ref: str = ""
) -> Violation:
    """Close the case: after the sanction, once the appeal is decided or the window has passed."""
    _require_person(by)
    with transaction.atomic(), _actor(by):
        violation = _lock(violation)
        if violation.status != Status.SANCTIONED:
            _refuse(_("A case is closed after its sanction is notified and any appeal decided."))
        window_open = (
            not violation.appealed_at
            and violation.appeal_due is not None
            and timezone.now() <= violation.appeal_due
            and violation.sanction != Violation.Sanction.NONE
        )
        if window_open:
            _refuse(
                _("The appeal window is open until %(due)s.")
                % {"due": timezone.localtime(violation.appeal_due).strftime("%Y-%m-%d %H:%M")}
            )
        violation.status = Status.CLOSED
        violation.closing_note = (note or "").strip()
        violation.closed_at = timezone.now()
        violation.performance_review_ref = (
            performance_review_ref or violation.performance_review_ref
        ).strip()
        violation.save()
        _event(violation, Step.CLOSED, by, violation.closing_note)
        return violation


def open_nonconformance(violation: Violation, *, severity: str = "minor", by) -> Nonconformance:
    """The breach as a quality nonconformance (source "violation") with its CAPA loop; once per case."""
    _require_person(by)
    if violation.project_id is None:
        _refuse(_("A nonconformance needs the meeting project of the violation."), "project")
    with transaction.atomic(), _actor(by):
        violation = _lock(violation)
        if violation.nonconformance_id:
            return violation.nonconformance
        texts = {}
        for language in ("zh-hans", "en"):
            with translation.override(language):
                texts[language] = _("Violation %(code)s: %(title)s") % {
                    "code": violation.code,
                    "title": violation.title,
                }
        nc = quality.open_nonconformance(
            violation.project,
            source=Nonconformance.Source.VIOLATION,
            description=texts,
            severity=severity,
            by=by,
            req=violation.req,
            clause=violation.clause,
        )
        violation.nonconformance = nc
        violation.save(update_fields=["nonconformance", "updated_at"])
        _event(violation, Step.NONCONFORMANCE, by, nc.code)
        return nc
