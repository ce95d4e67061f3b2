"""Every change of a borrowing: one function per business action, in a transaction, audited (REQ-DOC-05).

    request_borrowing(document, *, by, medium, purpose, starts_at=None, due_at) -> Borrowing
    approve(b, *, by, note="")        reject(b, *, by, reason)        cancel(b, *, by)
    hand_out(b, *, by)                return_borrowing(b, *, by)       (paper: the keeper records both)
    sign_agreement(b, *, by)          the approved borrower of a very-high document signs the agreement
    send_overdue_reminders(now=None)  the periodic job (tasks.py)

requested → approved → (paper) handed out → returned;  requested → rejected | withdrawn;  an electronic
borrowing is readable while approved and inside its window, and returned early ends it. The longest period,
the reminder interval and the lead's grace come from the project's rulebook (``doc.borrowing_*``). Every
action takes an optional ``now`` so tests and the demo can travel in time. Bad input raises
``ValidationError`` keyed by field and changes nothing; a person who may not act gets ``PermissionDenied``.
"""

from __future__ import annotations

import datetime as dt

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyi.core.audit import record_event
from huiyi.core.notifications import notify
from huiyi.documents.models import ConfidentialityAgreement, Document
from huiyi.rulebook.services import active_rulebook, rulebook_for

from . import queries
from .models import Borrowing, BorrowingStatus, Medium

MAX_PERIOD_RULE = "doc.borrowing_max_period"
REMINDER_INTERVAL_RULE = "doc.borrowing_reminder_interval"
LEAD_GRACE_RULE = "doc.borrowing_escalation_grace"
#: Input limits (protection of the form, not numbers of the specification).
TEXT_MAX_CHARS = 2000


def _now(now):
    now = now or timezone.now()
    if timezone.is_naive(now):
        raise ValueError("now must be timezone-aware")
    return now


def rulebook_of(project):
    return rulebook_for(project) if project is not None else active_rulebook()


def _days(rulebook, rule_id: str) -> dt.timedelta:
    rule = rulebook.rule(rule_id)
    if rule.unit != "calendar_days":
        raise ValueError(f"rule {rule_id}: unit {rule.unit!r}, expected calendar_days")
    return dt.timedelta(days=float(rule.value))


def max_period(project) -> dt.timedelta:
    return _days(rulebook_of(project), MAX_PERIOD_RULE)


def _text(value, field: str, *, required: bool) -> str:
    text = "" if value is None else str(value)
    if "\x00" in text:
        raise ValidationError({field: _("The text contains characters that cannot be stored.")})
    text = text.strip()
    if required and not text:
        raise ValidationError({field: _("This field is required.")})
    if len(text) > TEXT_MAX_CHARS:
        raise ValidationError({field: _("Keep this to %(limit)s characters.") % {"limit": TEXT_MAX_CHARS}})
    return text


def _lock(borrowing: Borrowing) -> Borrowing:
    return (
        # of=("self",): PostgreSQL refuses FOR UPDATE on the nullable side of the outer join to the project
        Borrowing.objects.select_for_update(of=("self",))
        .select_related("document", "document__project", "project", "borrower")
        .get(pk=borrowing.pk)
    )


def _require(borrowing: Borrowing, allowed, action: str) -> None:
    if borrowing.status not in allowed:
        raise ValidationError(
            {
                "status": _("A borrowing that is “%(status)s” cannot be %(action)s.")
                % {"status": borrowing.get_status_display(), "action": action}
            },
            code="workflow",
        )


def _url(borrowing: Borrowing) -> str:
    return reverse("borrowing:detail", args=[borrowing.pk])


def _refresh(given: Borrowing, locked: Borrowing) -> Borrowing:
    given.refresh_from_db()
    return locked


# -- request -------------------------------------------------------------------------------------------------


@transaction.atomic
def request_borrowing(
    document: Document, *, by, medium: str, purpose: str, due_at, starts_at=None, now=None
) -> Borrowing:
    """Ask to borrow `document` for `purpose` from `starts_at` (default now) until `due_at`."""
    now = _now(now)
    if not by.has_perm("borrowing.request", document):
        raise PermissionDenied(_("Your roles do not allow borrowing documents of this meeting."))
    if medium not in Medium.values:
        raise ValidationError({"medium": _("Choose paper or electronic.")})
    purpose = _text(purpose, "purpose", required=True)
    starts_at = starts_at or now
    if due_at is None:
        raise ValidationError({"due_at": _("Give the time the document comes back.")})
    if timezone.is_naive(starts_at) or timezone.is_naive(due_at):
        raise ValidationError({"due_at": _("Give times with their time zone.")})
    if due_at <= starts_at:
        raise ValidationError({"due_at": _("The end of the period must be after its start.")})
    if due_at <= now:
        raise ValidationError({"due_at": _("The end of the period has already passed.")})
    longest = max_period(document.project)
    if due_at - starts_at > longest:
        raise ValidationError(
            {
                "due_at": _("A borrowing lasts at most %(days)s days (rulebook rule %(rule)s).")
                % {"days": f"{longest.total_seconds() / 86400:g}", "rule": MAX_PERIOD_RULE}
            }
        )
    duplicate = Borrowing.objects.filter(
        document=document,
        borrower=by,
        medium=medium,
        status__in=[BorrowingStatus.REQUESTED, BorrowingStatus.APPROVED, BorrowingStatus.LENT],
        due_at__gt=now,
    ).exists()
    if duplicate:
        raise ValidationError(
            {"document": _("You already have an open borrowing of this document; return it first.")}
        )
    with set_actor(by):
        borrowing = Borrowing.objects.create(
            document=document,
            project=document.project,
            borrower=by,
            medium=medium,
            purpose=purpose,
            starts_at=starts_at,
            due_at=due_at,
        )
    approvers = (
        queries.leads(document.project)
        if document.project is not None
        else []  # organisation documents: whoever holds the approving role sees them on their page
    )
    for lead in approvers:
        if lead.pk == by.pk:
            continue
        notify(
            lead,
            _("Borrowing request: %(title)s") % {"title": document.title},
            body=_("%(who)s asks to borrow it (%(medium)s) until %(due)s: %(purpose)s")
            % {
                "who": by,
                "medium": borrowing.get_medium_display(),
                "due": timezone.localtime(due_at).strftime("%Y-%m-%d %H:%M"),
                "purpose": purpose[:200],
            },
            url=_url(borrowing),
            kind="borrowing",
            dedupe_key=f"borrowing.{borrowing.pk}.requested.{lead.pk}",
        )
    return borrowing


@transaction.atomic
def cancel(borrowing: Borrowing, *, by, now=None) -> Borrowing:
    """The borrower withdraws a request not decided yet."""
    now = _now(now)
    locked = _lock(borrowing)
    if locked.borrower_id != by.pk:
        raise PermissionDenied(_("Only the borrower withdraws a request."))
    _require(locked, [BorrowingStatus.REQUESTED], _("withdrawn"))
    with set_actor(by):
        locked.status = BorrowingStatus.CANCELLED
        locked.decided_at = now
        locked.save(update_fields=["status", "decided_at", "updated_at"])
    return _refresh(borrowing, locked)


# -- decision (the meeting's lead) ---------------------------------------------------------------------------


def _decider(borrowing: Borrowing, by) -> str:
    if borrowing.borrower_id == by.pk:
        raise PermissionDenied(_("Nobody approves their own borrowing."))
    role = queries.lead_role(by, borrowing.project)
    if not role:
        raise PermissionDenied(_("Only the meeting's lead decides on borrowing its documents."))
    return role


@transaction.atomic
def approve(borrowing: Borrowing, *, by, note: str = "", now=None) -> Borrowing:
    """The lead approves. An electronic borrowing opens read access for its window at once."""
    now = _now(now)
    locked = _lock(borrowing)
    role = _decider(locked, by)
    _require(locked, [BorrowingStatus.REQUESTED], _("approved"))
    note = _text(note, "note", required=False)
    if locked.due_at <= now:
        raise ValidationError({"due_at": _("The period asked for has already ended.")})
    with set_actor(by):
        locked.status = BorrowingStatus.APPROVED
        locked.decided_by, locked.decided_at, locked.approver_role = by, now, role
        locked.decision_note = note
        fields = ["status", "decided_by", "decided_at", "approver_role", "decision_note", "updated_at"]
        if locked.is_electronic:
            locked.borrowed_at = max(now, locked.starts_at)
            fields.append("borrowed_at")
        locked.save(update_fields=fields)
    if locked.is_electronic:
        body = _("You may read it from %(start)s until %(due)s.") % {
            "start": timezone.localtime(locked.starts_at).strftime("%Y-%m-%d %H:%M"),
            "due": timezone.localtime(locked.due_at).strftime("%Y-%m-%d %H:%M"),
        }
        if queries.needs_agreement(locked.borrower, locked):
            body += " " + _("Sign the meeting's confidentiality agreement first.")
    else:
        body = _("Collect the paper copy from the keeper; return it by %(due)s.") % {
            "due": timezone.localtime(locked.due_at).strftime("%Y-%m-%d %H:%M")
        }
    notify(
        locked.borrower,
        _("Borrowing approved: %(title)s") % {"title": locked.document.title},
        body=body,
        url=_url(locked),
        kind="borrowing",
        dedupe_key=f"borrowing.{locked.pk}.approved",
    )
    return _refresh(borrowing, locked)


@transaction.atomic
def reject(borrowing: Borrowing, *, by, reason: str, now=None) -> Borrowing:
    """The lead refuses, saying why."""
    now = _now(now)
    locked = _lock(borrowing)
    role = _decider(locked, by)
    _require(locked, [BorrowingStatus.REQUESTED], _("rejected"))
    reason = _text(reason, "reason", required=True)
    with set_actor(by):
        locked.status = BorrowingStatus.REJECTED
        locked.decided_by, locked.decided_at, locked.approver_role = by, now, role
        locked.decision_note = reason
        locked.save(
            update_fields=[
                "status",
                "decided_by",
                "decided_at",
                "approver_role",
                "decision_note",
                "updated_at",
            ]
        )
    notify(
        locked.borrower,
        _("Borrowing rejected: %(title)s") % {"title": locked.document.title},
        body=reason[:500],
        url=_url(locked),
        kind="borrowing",
        dedupe_key=f"borrowing.{locked.pk}.rejected",
    )
    return _refresh(borrowing, locked)


# -- paper: the keeper ---------------------------------------------------------------------------------------


def _keeper(borrowing: Borrowing, by) -> None:
    if not by.has_perm("borrowing.keep", borrowing):
        raise PermissionDenied(_("Only a document keeper records handing out and return of paper copies."))


@transaction.atomic
def hand_out(borrowing: Borrowing, *, by, now=None) -> Borrowing:
    """The keeper hands the approved paper copy to the borrower (borrowed_at)."""
    now = _now(now)
    locked = _lock(borrowing)
    if locked.is_electronic:
        raise ValidationError({"medium": _("An electronic borrowing is not handed out.")})
    _keeper(locked, by)
    _require(locked, [BorrowingStatus.APPROVED], _("handed out"))
    if queries.needs_agreement(locked.borrower, locked):
        raise ValidationError(
            {"agreement": _("The borrower must sign the meeting's confidentiality agreement first.")}
        )
    with set_actor(by):
        locked.status = BorrowingStatus.LENT
        locked.borrowed_at, locked.handed_out_by = now, by
        locked.save(update_fields=["status", "borrowed_at", "handed_out_by", "updated_at"])
    return _refresh(borrowing, locked)


@transaction.atomic
def return_borrowing(borrowing: Borrowing, *, by, now=None) -> Borrowing:
    """Paper: the keeper takes the copy back. Electronic: the borrower, the lead or a keeper ends the access
    early (an expired one is closed the same way, for the record)."""
    now = _now(now)
    locked = _lock(borrowing)
    if locked.is_electronic:
        if not by.has_perm("borrowing.give_back", locked):
            raise PermissionDenied(_("Your roles do not allow ending this borrowing."))
        _require(locked, [BorrowingStatus.APPROVED], _("returned"))
    else:
        _keeper(locked, by)
        _require(locked, [BorrowingStatus.LENT], _("returned"))
    with set_actor(by):
        locked.status = BorrowingStatus.RETURNED
        locked.returned_at = min(now, locked.due_at) if locked.is_expired_at(now) else now
        locked.received_by = by
        locked.save(update_fields=["status", "returned_at", "received_by", "updated_at"])
    return _refresh(borrowing, locked)


# -- very-high documents: the borrower's agreement -----------------------------------------------------------


@transaction.atomic
def sign_agreement(borrowing: Borrowing, *, by, now=None) -> ConfidentialityAgreement:
    """The approved borrower of a very-high document signs its meeting's confidentiality agreement.

    Decision (REQ-DOC-05 with REQ-DOC-09): a borrower outside the team signs the same agreement as the
    team before the first read (or before a paper copy is handed out). Members' coverage (the
    ``confidentiality_agreement_coverage`` metric) counts members only, so an outsider's signature does not
    change it."""
    now = _now(now)
    locked = _lock(borrowing)
    if locked.borrower_id != by.pk:
        raise PermissionDenied(_("Only the borrower signs for their borrowing."))
    if locked.project_id is None:
        raise ValidationError({"agreement": _("This document belongs to no meeting and needs no agreement.")})
    _require(locked, [BorrowingStatus.APPROVED], _("signed for"))
    with set_actor(by):
        agreement, created = ConfidentialityAgreement.objects.get_or_create(
            project_id=locked.project_id, user=by, defaults={"signed_at": now}
        )
    if created:
        record_event(locked, by, {"agreement": ["", _("signed by the borrower")]})
    return agreement


# -- overdue reminders (the periodic job) --------------------------------------------------------------------


def send_overdue_reminders(now=None) -> dict[str, int]:
    """Remind borrowers of overdue paper copies, and the lead once the grace is over; each at most once per
    the rulebook's reminder interval (``doc.borrowing_reminder_interval``). Idempotent within the interval."""
    now = _now(now)
    sent = {"borrowers": 0, "leads": 0}
    for borrowing in queries.overdue(now).order_by("pk"):
        with transaction.atomic():
            locked = Borrowing.objects.select_for_update().get(pk=borrowing.pk)
            if not locked.is_overdue_at(now):
                continue
            rulebook = rulebook_of(borrowing.project)
            interval = _days(rulebook, REMINDER_INTERVAL_RULE)
            grace = _days(rulebook, LEAD_GRACE_RULE)
            late_days = (now - locked.due_at).days
            title = _("Overdue: %(title)s") % {"title": borrowing.document.title}
            body = _("Borrowed by %(who)s, due back %(due)s (%(days)s day(s) overdue).") % {
                "who": borrowing.borrower,
                "due": timezone.localtime(locked.due_at).strftime("%Y-%m-%d %H:%M"),
                "days": late_days,
            }
            fields = []
            if locked.reminded_at is None or now - locked.reminded_at >= interval:
                notify(
                    borrowing.borrower,
                    title,
                    body=body,
                    url=_url(borrowing),
                    kind="borrowing_overdue",
                    dedupe_key=f"borrowing.{locked.pk}.overdue.{now:%Y%m%d%H%M}",
                )
                locked.reminded_at = now
                locked.reminders += 1
                fields += ["reminded_at", "reminders"]
                sent["borrowers"] += 1
            if now - locked.due_at >= grace and (
                locked.lead_reminded_at is None or now - locked.lead_reminded_at >= interval
            ):
                for lead in queries.leads(borrowing.project):
                    notify(
                        lead,
                        title,
                        body=body,
                        url=_url(borrowing),
                        kind="borrowing_overdue",
                        dedupe_key=f"borrowing.{locked.pk}.overdue_lead.{lead.pk}.{now:%Y%m%d%H%M}",
                    )
                    sent["leads"] += 1
                locked.lead_reminded_at = now
                fields.append("lead_reminded_at")
            if fields:
                locked.save(update_fields=[*fields, "updated_at"])
    return sent
