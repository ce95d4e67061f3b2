"""Every change of a meeting's closing records: one function per business action, in a transaction, audited.

    log_lost_item / update_lost_item / return_lost_item / dispose_lost_item          (CCP 11)
    record_site_check(project, results={key: bool}, …)                               (CCP 11, REQ-ONS-07)
    ensure_archive_checklist / archive_record / unarchive_record                     (REQ-DOC-03, CCP 11)
    save_settlement / add_invoice / correct_invoice / add_payment / record_payment /
    open_dispute / resolve_dispute                                                   (CCP 10)
    save_evaluation(project, scores={item: score}, goal_attainment=…)                (REQ-QLT-04, CCP 12)

Bad input raises ``ValidationError({field: message})`` and changes nothing. Money is Decimal with at most
two decimal places. The models are registered with the audit trail; ``set_actor`` names the person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from contextlib import contextmanager
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Any

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyi.quality import services as quality_services

from . import checklist, queries
from .models import (
    ArchiveItem,
    Dispute,
    EvaluationScore,
    Invoice,
    LostItem,
    Payment,
    ServiceEvaluation,
    Settlement,
    SiteCheck,
)

#: The largest amount a money field stores (14 digits, 2 after the point).
MONEY_LIMIT = Decimal("999999999999.99")
CENT = Decimal("0.01")


@contextmanager
def _actor(user):
    if user is not None and getattr(user, "is_authenticated", False):
        with set_actor(user):
            yield
    else:
        yield


def _save(instance):
    instance.full_clean(validate_constraints=False)
    instance.save()
    return instance


def parse_money(raw: Any, field: str, *, allow_zero: bool = True) -> Decimal:
    """A money amount from a Decimal, number or string; ValidationError naming ``field`` otherwise."""
    if raw is None or raw == "" or isinstance(raw, bool):
        raise ValidationError({field: _("Enter an amount.")}, code="required")
    try:
        amount = raw if isinstance(raw, Decimal) else Decimal(str(raw).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Enter an amount in yuan, e.g. 12800.00.")}, code="invalid") from None
    if not amount.is_finite():
        raise ValidationError({field: _("Enter an amount in yuan, e.g. 12800.00.")}, code="invalid")
    if amount < 0:
        raise ValidationError({field: _("The amount cannot be negative.")}, code="negative")
    if amount == 0 and not allow_zero:
        raise ValidationError({field: _("The amount must be greater than zero.")}, code="zero")
    if amount > MONEY_LIMIT:
        raise ValidationError({field: _("The amount is too large.")}, code="too_large")
    if amount != amount.quantize(CENT, rounding=ROUND_DOWN):
        raise ValidationError({field: _("An amount has at most two decimal places (fen).")}, code="precision")
    return amount.quantize(CENT)


def _text(value: Any, field: str, *, required: bool = True, max_length: int | None = None) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise ValidationError({field: _("This field is required.")}, code="required")
    if max_length and len(text) > max_length:
        raise ValidationError({field: _("At most %(n)s characters.") % {"n": max_length}}, code="max_length")
    return text


def _date(value: Any, field: str, *, required: bool = True) -> dt.date | None:
    if value in (None, ""):
        if required:
            raise ValidationError({field: _("Enter a date.")}, code="required")
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError({field: _("Enter a date as YYYY-MM-DD.")}, code="invalid") from None


def _moment(value: Any, field: str, *, default_now: bool = True) -> dt.datetime:
    if value in (None, ""):
        if default_now:
            return timezone.now()
        raise ValidationError({field: _("Enter a date and time.")}, code="required")
    if not isinstance(value, dt.datetime):
        raise ValidationError({field: _("Enter a date and time.")}, code="invalid")
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({field: _("This time is in the future.")}, code="future")
    return value


# -- lost and found (CCP 11) -------------------------------------------------------------------------------


@transaction.atomic
def log_lost_item(
    project,
    *,
    description,
    found_where,
    found_at=None,
    found_by=None,
    found_by_name: str = "",
    stored_where: str = "",
    by,
) -> LostItem:
    """Log an item left behind: what, where and when found, by whom, where it is kept."""
    item = LostItem(
        project=project,
        description=_text(description, "description", max_length=200),
        found_where=_text(found_where, "found_where", max_length=200),
        found_at=_moment(found_at, "found_at"),
        found_by=found_by,
        found_by_name=_text(found_by_name, "found_by_name", required=False, max_length=100),
        stored_where=_text(stored_where, "stored_where", required=False, max_length=200),
        created_by=by,
    )
    if found_by is None and not item.found_by_name:
        item.found_by = by
    with _actor(by):
        return _save(item)


@transaction.atomic
def update_lost_item(item: LostItem, *, by, **changes) -> LostItem:
    item = LostItem.objects.select_for_update().get(pk=item.pk)
    limits = {"description": 200, "found_where": 200, "stored_where": 200, "found_by_name": 100}
    for field, limit in limits.items():
        if field in changes:
            required = field in ("description", "found_where")
            setattr(item, field, _text(changes[field], field, required=required, max_length=limit))
    if "found_at" in changes:
        item.found_at = _moment(changes["found_at"], "found_at", default_now=False)
    with _actor(by):
        return _save(item)


@transaction.atomic
def return_lost_item(item: LostItem, *, returned_to, returned_at=None, by) -> LostItem:
    item = LostItem.objects.select_for_update().get(pk=item.pk)
    if item.status != LostItem.Status.STORED:
        raise ValidationError({"status": _("This item has been handed over already.")})
    item.returned_to = _text(returned_to, "returned_to", max_length=100)
    item.returned_at = _moment(returned_at, "returned_at")
    if item.returned_at < item.found_at:
        raise ValidationError({"returned_at": _("An item cannot be returned before it was found.")})
    item.status = LostItem.Status.RETURNED
    with _actor(by):
        return _save(item)


@transaction.atomic
def dispose_lost_item(item: LostItem, *, how, disposed_at=None, by) -> LostItem:
    item = LostItem.objects.select_for_update().get(pk=item.pk)
    if item.status != LostItem.Status.STORED:
        raise ValidationError({"status": _("This item has been handed over already.")})
    item.disposal_note = _text(how, "disposal_note", max_length=300)
    item.disposed_at = _moment(disposed_at, "disposed_at")
    if item.disposed_at < item.found_at:
        raise ValidationError({"disposed_at": _("An item cannot be disposed of before it was found.")})
    item.status = LostItem.Status.DISPOSED
    with _actor(by):
        return _save(item)


# -- site check after tear-down (CCP 11, REQ-ONS-07) -------------------------------------------------------


@transaction.atomic
def record_site_check(
    project, *, results: Mapping[str, Any], checked_at=None, note: str = "", by
) -> SiteCheck:
    """Record the site check: every checklist item answered met or not; passed when all are met."""
    if by is None:
        raise ValidationError({"checked_by": _("A site check needs the person who made it.")})
    unknown = set(results) - set(checklist.SITE_CHECK_KEYS)
    if unknown:
        raise ValidationError(
            {"items": _("Unknown checklist item: %(items)s.") % {"items": ", ".join(sorted(unknown))}}
        )
    missing = [key for key in checklist.SITE_CHECK_KEYS if key not in results]
    if missing:
        raise ValidationError(
            {"items": _("Answer every checklist item: %(items)s.") % {"items": ", ".join(missing)}}
        )
    items = []
    for key in checklist.SITE_CHECK_KEYS:
        value = results[key]
        if not isinstance(value, bool):
            raise ValidationError({key: _("Answer met or not met.")})
        items.append({"key": key, "ok": value})
    moment = _moment(checked_at, "checked_at")
    if moment < project.start:
        raise ValidationError({"checked_at": _("The site check comes after the meeting has started.")})
    note = _text(note, "note", required=False)
    if not all(i["ok"] for i in items) and not note:
        raise ValidationError({"note": _("Say what is not in order.")})
    check = SiteCheck(
        project=project,
        checked_at=moment,
        checked_by=by,
        items=items,
        passed=all(i["ok"] for i in items),
        note=note,
    )
    with _actor(by):
        return _save(check)


# -- archive checklist (REQ-DOC-03) ------------------------------------------------------------------------


@transaction.atomic
def ensure_archive_checklist(project) -> list[ArchiveItem]:
    """The project's archive checklist, created once with every required record."""
    existing = set(ArchiveItem.objects.filter(project=project).values_list("key", flat=True))
    for position, key in enumerate(checklist.ARCHIVE_KEYS):
        if key not in existing:
            try:
                with transaction.atomic():
                    ArchiveItem.objects.create(project=project, key=key, position=position)
            except IntegrityError:  # created concurrently: the constraint keeps one
                pass
    return list(ArchiveItem.objects.filter(project=project))


@transaction.atomic
def archive_record(project, key: str, *, archived_at=None, location: str = "", by) -> ArchiveItem:
    if key not in checklist.ARCHIVE_KEYS:
        raise ValidationError({"key": _("Unknown record “%(key)s”.") % {"key": key}})
    ensure_archive_checklist(project)
    item = ArchiveItem.objects.select_for_update().get(project=project, key=key)
    if item.archived_at is not None:
        raise ValidationError({"key": _("This record is archived already.")})
    item.archived_at = _moment(archived_at, "archived_at")
    item.archived_by = by
    item.location = _text(location, "location", required=False, max_length=200)
    with _actor(by):
        return _save(item)


@transaction.atomic
def unarchive_record(project, key: str, *, by) -> ArchiveItem:
    item = ArchiveItem.objects.select_for_update().filter(project=project, key=key).first()
    if item is None or item.archived_at is None:
        raise ValidationError({"key": _("This record is not archived.")})
    item.archived_at = None
    item.archived_by = None
    item.location = ""
    with _actor(by):
        return _save(item)


# -- financial settlement (CCP 10) -------------------------------------------------------------------------


def _lock_settlement(settlement: Settlement) -> Settlement:
    return Settlement.objects.select_for_update().get(pk=settlement.pk)


@transaction.atomic
def save_settlement(
    project,
    *,
    by,
    final_amount: Any = ...,
    agreed_value: Any = ...,
    agreed_value_note: Any = ...,
    settled_at: Any = ...,
    note: Any = ...,
) -> Settlement:
    """Create or update the project's settlement (fields left out are kept).

    With a signed contract the value is the contract's (its latest version, amendments included) and the
    payments are scheduled from its payment lines; without one the agreed value and its source are required.
    """
    type(project).objects.select_for_update().filter(pk=project.pk).first()
    settlement = Settlement.objects.filter(project=project).first()
    created = settlement is None
    if created:
        settlement = Settlement(project=project, created_by=by)
    contract = queries.settlement_contract(project)
    if final_amount is not ...:
        settlement.final_amount = (
            None if final_amount in (None, "") else parse_money(final_amount, "final_amount")
        )
    if agreed_value is not ...:
        if contract is not None and agreed_value not in (None, ""):
            raise ValidationError(
                {
                    "agreed_value": _("The signed contract gives the value (%(number)s); leave this empty.")
                    % {"number": contract}
                }
            )
        settlement.agreed_value = (
            None
            if agreed_value in (None, "")
            else parse_money(agreed_value, "agreed_value", allow_zero=False)
        )
    if agreed_value_note is not ...:
        settlement.agreed_value_note = _text(
            agreed_value_note, "agreed_value_note", required=False, max_length=300
        )
    if settled_at is not ...:
        settlement.settled_at = _date(settled_at, "settled_at", required=False)
    if note is not ...:
        settlement.note = _text(note, "note", required=False)
    if contract is None:
        if settlement.agreed_value is None:
            raise ValidationError(
                {"agreed_value": _("This project has no signed contract: enter the agreed value.")}
            )
        if not settlement.agreed_value_note:
            raise ValidationError(
                {"agreed_value_note": _("Say where the agreed value comes from (no contract in Huiyi).")}
            )
    if settlement.final_amount is None and settlement.settled_at is not None:
        raise ValidationError({"final_amount": _("A settled settlement needs its final amount.")})
    with _actor(by):
        _save(settlement)
        if created and contract is not None:
            for line in contract.payments.all():
                Payment.objects.create(
                    settlement=settlement,
                    schedule_line=line,
                    name=line.name,
                    amount=line.amount,
                    due_date=line.due_date,
                    created_by=by,
                )
    return settlement


@transaction.atomic
def add_invoice(
    settlement: Settlement,
    *,
    number,
    amount,
    issued_at,
    correct: bool = True,
    correction: str = "",
    corrected_at=None,
    by,
) -> Invoice:
    settlement = _lock_settlement(settlement)
    number = _text(number, "number", max_length=40)
    if Invoice.objects.filter(settlement=settlement, number=number).exists():
        raise ValidationError({"number": _("Invoice %(number)s is recorded already.") % {"number": number}})
    invoice = Invoice(
        settlement=settlement,
        number=number,
        amount=parse_money(amount, "amount", allow_zero=False),
        issued_at=_date(issued_at, "issued_at"),
        correct=bool(correct),
        created_by=by,
    )
    if not invoice.correct:
        invoice.correction = _text(correction, "correction")
        invoice.corrected_at = _date(corrected_at, "corrected_at", required=False)
        if invoice.corrected_at and invoice.corrected_at < invoice.issued_at:
            raise ValidationError({"corrected_at": _("A correction cannot come before the invoice.")})
    with _actor(by):
        return _save(invoice)


@transaction.atomic
def correct_invoice(invoice: Invoice, *, correction, corrected_at, by) -> Invoice:
    """An invoice found wrong: record the correction. It stays counted as not issued correctly."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    invoice.correct = False
    invoice.correction = _text(correction, "correction")
    invoice.corrected_at = _date(corrected_at, "corrected_at")
    if invoice.corrected_at < invoice.issued_at:
        raise ValidationError({"corrected_at": _("A correction cannot come before the invoice.")})
    with _actor(by):
        return _save(invoice)


@transaction.atomic
def add_payment(settlement: Settlement, *, name, amount, due_date, by) -> Payment:
    """An instalment due (for projects whose schedule is not in a contract, or an extra one agreed)."""
    settlement = _lock_settlement(settlement)
    payment = Payment(
        settlement=settlement,
        name=_text(name, "name", max_length=100),
        amount=parse_money(amount, "amount", allow_zero=False),
        due_date=_date(due_date, "due_date"),
        created_by=by,
    )
    with _actor(by):
        return _save(payment)


@transaction.atomic
def record_payment(payment: Payment, *, paid_amount, paid_at, by) -> Payment:
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    payment.paid_amount = parse_money(paid_amount, "paid_amount", allow_zero=False)
    payment.paid_at = _date(paid_at, "paid_at")
    if payment.paid_at > timezone.localdate():
        raise ValidationError({"paid_at": _("This date is in the future.")})
    with _actor(by):
        return _save(payment)


@transaction.atomic
def open_dispute(settlement: Settlement, *, subject, opened_at=None, amount=None, by) -> Dispute:
    settlement = _lock_settlement(settlement)
    dispute = Dispute(
        settlement=settlement,
        subject=_text(subject, "subject", max_length=300),
        opened_at=_date(opened_at, "opened_at", required=False) or timezone.localdate(),
        amount=None if amount in (None, "") else parse_money(amount, "amount", allow_zero=False),
        created_by=by,
    )
    with _actor(by):
        return _save(dispute)


@transaction.atomic
def resolve_dispute(dispute: Dispute, *, resolution, resolved_at=None, by) -> Dispute:
    dispute = Dispute.objects.select_for_update().get(pk=dispute.pk)
    if dispute.resolved_at is not None:
        raise ValidationError({"resolved_at": _("This dispute is resolved already.")})
    dispute.resolution = _text(resolution, "resolution")
    dispute.resolved_at = _date(resolved_at, "resolved_at", required=False) or timezone.localdate()
    if dispute.resolved_at < dispute.opened_at:
        raise ValidationError({"resolved_at": _("A dispute cannot be resolved before it was opened.")})
    with _actor(by):
        return _save(dispute)


# -- service evaluation form (REQ-QLT-04) and goal attainment (CCP 12) -------------------------------------


@transaction.atomic
def save_evaluation(
    project,
    *,
    scores: Mapping[str, Any],
    comments: Mapping[str, str] | None = None,
    goal_attainment: Any = None,
    goal_note: str = "",
    by,
) -> ServiceEvaluation:
    """Score every item of the form (the items and their scale come from the rulebook)."""
    form = queries.evaluation_items(project)
    if not form.items:
        raise ValidationError({"scores": _("The rulebook of this project has no evaluation form.")})
    low, high = form.scale
    unknown = set(scores) - {item.key for item in form.items}
    if unknown:
        raise ValidationError(
            {"scores": _("Unknown item: %(items)s.") % {"items": ", ".join(sorted(unknown))}}
        )
    values: dict[str, Decimal] = {}
    for item in form.items:
        field = f"score_{item.key}"
        raw = scores.get(item.key)
        if raw in (None, ""):
            raise ValidationError({field: _("Score this item.")})
        value = quality_services.parse_number(raw, field)
        if not low <= value <= high:
            raise ValidationError(
                {field: _("A score lies between %(low)s and %(high)s.") % {"low": low, "high": high}}
            )
        if value != value.quantize(CENT):
            raise ValidationError({field: _("At most two decimal places.")})
        values[item.key] = value
    goal = None
    if goal_attainment not in (None, ""):
        goal = quality_services.parse_number(goal_attainment, "goal_attainment")
        rule = form.goal_rule
        if rule is not None:
            goal = quality_services.check_value(rule, goal, "goal_attainment")
        if goal != goal.quantize(CENT):
            raise ValidationError({"goal_attainment": _("At most two decimal places.")})
    comments = comments or {}
    evaluation = ServiceEvaluation.objects.select_for_update().filter(project=project).first()
    with _actor(by):
        if evaluation is None:
            evaluation = ServiceEvaluation(project=project, created_by=by)
        evaluation.evaluated_at = timezone.now()
        evaluation.evaluated_by = by
        evaluation.goal_attainment = goal
        evaluation.goal_note = _text(goal_note, "goal_note", required=False)
        _save(evaluation)
        existing = {s.item: s for s in evaluation.scores.all()}
        for position, item in enumerate(form.items):
            row = existing.pop(item.key, None) or EvaluationScore(evaluation=evaluation, item=item.key)
            row.name = item.name
            row.score = values[item.key]
            row.comment = _text(
                comments.get(item.key, ""), f"comment_{item.key}", required=False, max_length=300
            )
            row.position = position
            row.save()
        for stale in existing.values():  # an item the rulebook no longer lists
            stale.delete()
    return evaluation
