"""State changes of the resources app: one function per business action, each in a transaction, audited.

Model saves are recorded by the audit trail (registered in apps.py); events it cannot see (a refused
double booking is not one of them — it changes nothing) are recorded with record_event.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyi.core.audit import record_event
from huiyi.core.files import file_facts, safe_name
from huiyi.quality import formulas
from huiyi.rulebook.services import rulebook_for

from . import calculator, queries, readings
from .models import (
    Booking,
    Equipment,
    EquipmentCheck,
    MaintenanceRecord,
    MaterialAcceptance,
    Rehearsal,
    ResourceProposal,
    Room,
    ScorecardCriterion,
    ScorecardScore,
    ScorecardStanding,
    SparePart,
    Supplier,
    SupplierScorecard,
    TestReport,
    UsageLog,
    Venue,
)


class DoubleBooking(ValidationError):
    """The room or device is already booked for an overlapping time."""


def _saved(instance, **fields):
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    return instance


# --- venues and rooms (REQ-RES-04) -----------------------------------------------------------------
@transaction.atomic
def create_venue(*, created_by=None, **fields) -> Venue:
    return _saved(Venue(created_by=created_by), **fields)


@transaction.atomic
def update_venue(venue: Venue, **changes) -> Venue:
    return _saved(venue, **changes)


@transaction.atomic
def add_room(venue: Venue, *, created_by=None, **fields) -> Room:
    return _saved(Room(venue=venue, created_by=created_by), **fields)


@transaction.atomic
def update_room(room: Room, **changes) -> Room:
    return _saved(room, **changes)


# --- equipment register (REQ-RES-08) ---------------------------------------------------------------
@transaction.atomic
def register_equipment(*, created_by=None, **fields) -> Equipment:
    return _saved(Equipment(created_by=created_by), **fields)


@transaction.atomic
def update_equipment(equipment: Equipment, **changes) -> Equipment:
    return _saved(equipment, **changes)


@transaction.atomic
def record_test_report(equipment: Equipment, *, recorded_by=None, **fields) -> TestReport:
    fields.setdefault("tested_at", timezone.now())
    return _saved(TestReport(equipment=equipment, recorded_by=recorded_by), **fields)


@transaction.atomic
def log_usage(equipment: Equipment, **fields) -> UsageLog:
    fields.setdefault("used_at", timezone.now())
    return _saved(UsageLog(equipment=equipment), **fields)


@transaction.atomic
def record_maintenance(equipment: Equipment, *, recorded_by=None, **fields) -> MaintenanceRecord:
    record = _saved(MaintenanceRecord(equipment=equipment, recorded_by=recorded_by), **fields)
    locked = Equipment.objects.select_for_update().get(pk=equipment.pk)
    if locked.last_maintenance_on is None or record.performed_on > locked.last_maintenance_on:
        _saved(locked, last_maintenance_on=record.performed_on)
        equipment.last_maintenance_on = record.performed_on
    return record


@transaction.atomic
def add_spare_part(*, created_by=None, **fields) -> SparePart:
    return _saved(SparePart(created_by=created_by), **fields)


@transaction.atomic
def adjust_spare_stock(part: SparePart, change: int, *, by=None) -> SparePart:
    locked = SparePart.objects.select_for_update().get(pk=part.pk)
    if locked.quantity + change < 0:
        raise ValidationError({"quantity": _("Only %(n)s in stock.") % {"n": locked.quantity}})
    before = locked.quantity
    _saved(locked, quantity=before + change)
    record_event(locked, by, {"quantity": [before, locked.quantity]})
    return locked


def electrical_safety_pass_rate(equipment_ids=None) -> Decimal | None:
    """1 − faults / devices tested, from each device's latest electrical safety test (REQ-RES-08)."""
    reports = TestReport.objects.filter(kind=TestReport.Kind.ELECTRICAL_SAFETY).order_by(
        "equipment_id", "-tested_at", "-pk"
    )
    if equipment_ids is not None:
        reports = reports.filter(equipment_id__in=equipment_ids)
    latest = {}
    for equipment_id, passed in reports.values_list("equipment_id", "passed"):
        latest.setdefault(equipment_id, passed)
    faults = sum(1 for passed in latest.values() if not passed)
    return formulas.electrical_safety_pass_rate(faults, len(latest), empty=None)


# --- suppliers (REQ-RES-06) ------------------------------------------------------------------------
@transaction.atomic
def add_supplier(*, created_by=None, **fields) -> Supplier:
    return _saved(Supplier(created_by=created_by), **fields)


@transaction.atomic
def update_supplier(supplier: Supplier, **changes) -> Supplier:
    return _saved(supplier, **changes)


@transaction.atomic
def evaluate_supplier(
    supplier: Supplier, *, period_start, period_end, scores: dict[str, Decimal], by, note: str = ""
) -> SupplierScorecard:
    """A scorecard for one period: weighted criteria → total, standing; a failing standing delists."""
    criteria = list(ScorecardCriterion.objects.filter(is_active=True))
    values, errors = {}, {}
    for criterion in criteria:
        try:
            value = Decimal(str(scores.get(criterion.key)))
            if not value.is_finite() or not 0 <= value <= 100:
                raise ArithmeticError
        except ArithmeticError:
            errors[criterion.key] = _("Give a score from 0 to 100.")
            continue
        values[criterion.key] = value
    if errors:
        raise ValidationError(errors)
    weights = sum((c.weight for c in criteria), Decimal(0))
    if weights <= 0:
        raise ValidationError(_("The scorecard criteria have no weight; set them up first."))
    total = (sum(values[c.key] * c.weight for c in criteria) / weights).quantize(Decimal("0.01"))
    standing = ScorecardStanding.objects.filter(min_score__lte=total).order_by("-min_score").first()
    if standing is None:
        standing = ScorecardStanding.objects.order_by("min_score").first()
    if standing is None:
        raise ValidationError(_("No scorecard standings are set up."))
    card = _saved(
        SupplierScorecard(supplier=supplier, created_by=by),
        period_start=period_start,
        period_end=period_end,
        total_score=total,
        standing=standing,
        evaluated_on=timezone.localdate(),
        note=note,
    )
    ScorecardScore.objects.bulk_create(
        ScorecardScore(scorecard=card, criterion=c, score=values[c.key], weight=c.weight) for c in criteria
    )
    record_event(card, by, {c.key: ["", values[c.key]] for c in criteria})
    _saved(
        supplier,
        last_evaluated_on=card.evaluated_on,
        qualified=supplier.qualified and standing.keeps_qualified,
    )
    return card


# --- material acceptance (REQ-RES-07) --------------------------------------------------------------
def storage_findings(acceptance: MaterialAcceptance, rulebook) -> list[str]:
    """Storage rules of the material's class that the recorded humidity breaks."""
    findings = []
    for rule in rulebook.rules_where(
        metric="storage_relative_humidity", material_class=acceptance.material_class
    ):
        if acceptance.storage_humidity is not None and not rule.passes(acceptance.storage_humidity):
            from huiyi.rulebook.display import format_value

            findings.append(
                _("Storage humidity %(value)s %% RH is outside %(range)s.")
                % {"value": acceptance.storage_humidity, "range": format_value(rule)}
            )
    return findings


@transaction.atomic
def record_material_acceptance(*, signed_by, created_by=None, **fields) -> MaterialAcceptance:
    fields.setdefault("signed_at", timezone.now())
    return _saved(MaterialAcceptance(signed_by=signed_by, created_by=created_by or signed_by), **fields)


# --- calculator proposal (REQ-RES-01…04) -----------------------------------------------------------
def _plan_deviations(project, proposal: dict) -> list[dict]:
    """Frozen plan lines for staff roles or projectors whose quantity differs from the proposal."""
    lines = queries.plan_resources(project) or []
    found = []
    for line in lines:
        name = line.name.strip().lower()
        if line.kind == "staff":
            for role, labels in queries.STAFF_LABELS.items():
                if name in (role, *labels) and line.quantity != proposal[role]:
                    found.append({"field": role, "plan": line.quantity, "proposal": proposal[role]})
        elif (
            line.kind == "equipment"
            and name in ("projector", "投影仪", "projectors")
            and line.quantity != proposal["projectors"]
        ):
            found.append({"field": "projectors", "plan": line.quantity, "proposal": proposal["projectors"]})
    return found


@transaction.atomic
def apply_proposal(project, data: dict, *, by, chosen: dict | None = None, override_reason: str = ""):
    """Store the calculator's proposal on the project; deviations from the rules or the plan need a reason."""
    if not by.has_perm("projects.change_meetingproject", project):
        raise PermissionDenied(_("You cannot change this project."))
    rulebook = rulebook_for(project)
    inputs = calculator.parse(data, rulebook, rooms=queries.rooms())
    proposal = calculator.calculate(inputs, rulebook)
    chosen = {k: v for k, v in (chosen or {}).items() if v is not None}
    if chosen:
        proposal = {**proposal, "chosen": chosen}
    deviations = calculator.deviations(proposal, chosen) + _plan_deviations(project, {**proposal, **chosen})
    row = ResourceProposal(
        project=project,
        inputs={**data, "alpha": str(inputs.alpha), "room": inputs.room.pk if inputs.room else None},
        result=proposal,
        deviations=deviations,
        override_reason=override_reason.strip(),
        created_by=by,
    )
    row.full_clean()
    row.save()
    return row


# --- bookings (REQ-RES-05, CCP-04) -----------------------------------------------------------------
def _lock_and_check(booking: Booking) -> None:
    """Lock the booked room or device row, then refuse an overlapping booking (safe under concurrency)."""
    if booking.kind == Booking.Kind.VENUE and booking.room_id:
        room = Room.objects.select_for_update().get(pk=booking.room_id)
        clash = (
            queries.overlapping(
                Booking.objects.filter(room_id=room.pk),
                booking.starts_at,
                booking.ends_at,
                exclude_pk=booking.pk,
            )
            .select_related("project")
            .first()
        )
        if clash:
            raise DoubleBooking(
                {
                    "room": _("%(resource)s is already booked from %(start)s to %(end)s for %(project)s.")
                    % _clash_params(room, clash)
                },
                code="double_booking",
            )
    if booking.kind == Booking.Kind.EQUIPMENT and booking.equipment_id:
        device = Equipment.objects.select_for_update().get(pk=booking.equipment_id)
        if device.status != Equipment.Status.IN_SERVICE:
            raise ValidationError({"equipment": _("This device is not in service.")})
        clash = (
            queries.overlapping(
                Booking.objects.filter(equipment_id=device.pk),
                booking.starts_at,
                booking.ends_at,
                exclude_pk=booking.pk,
            )
            .select_related("project")
            .first()
        )
        if clash:
            raise DoubleBooking(
                {
                    "equipment": _(
                        "%(resource)s is already booked from %(start)s to %(end)s for %(project)s."
                    )
                    % _clash_params(device, clash)
                },
                code="double_booking",
            )


def _clash_params(resource, clash: Booking) -> dict:
    local = timezone.localtime
    return {
        "resource": resource,
        "start": local(clash.starts_at).strftime("%Y-%m-%d %H:%M"),
        "end": local(clash.ends_at).strftime("%Y-%m-%d %H:%M"),
        "project": clash.project.code,
    }


def _require_change(project, by):
    if not by.has_perm("projects.change_meetingproject", project):
        raise PermissionDenied(_("You cannot book resources for this project."))


def _hash(upload) -> str:
    return file_facts(upload).sha256


def _renamed(upload):
    """Store an upload under a name of our own (issue 10): the sender's name may hold a path or ".html"."""
    upload.name = safe_name(upload)
    return upload


@transaction.atomic
def book(project, *, by, confirmation_document=None, layout_drawing=None, **fields) -> Booking:
    """Book a room, device, person or material for the project; overlapping rooms/devices are refused."""
    _require_change(project, by)
    booking = Booking(project=project, created_by=by, **fields)
    if booking.kind == Booking.Kind.VENUE and booking.room_id and booking.layout:
        seats = booking.room.capacity_for(booking.layout)
        if seats is None or project.expected_attendees > seats:
            raise ValidationError(
                {
                    "room": _("Room too small for the layout: %(seats)s seats for %(attendees)s attendees.")
                    % {"seats": seats or 0, "attendees": project.expected_attendees}
                }
            )
    if confirmation_document:
        booking.confirmation_document = _renamed(confirmation_document)
        booking.document_sha256 = _hash(confirmation_document)
    if layout_drawing:
        booking.layout_drawing = _renamed(layout_drawing)
    if booking.confirmed:
        booking.confirmed_at, booking.confirmed_by = timezone.now(), by
    booking.full_clean()
    _lock_and_check(booking)
    booking.save()
    return booking


@transaction.atomic
def confirm_booking(booking: Booking, *, by, document=None) -> Booking:
    """Attach the confirmation letter or contract (SHA-256 kept) and mark the booking confirmed."""
    _require_change(booking.project, by)
    locked = Booking.objects.select_for_update().get(pk=booking.pk)
    if document is None and not locked.confirmation_document:
        raise ValidationError({"confirmation_document": _("Upload the confirmation letter or contract.")})
    if document is not None:
        locked.confirmation_document = _renamed(document)
        locked.document_sha256 = _hash(document)
    return _saved(locked, confirmed=True, confirmed_at=timezone.now(), confirmed_by=by)


@transaction.atomic
def attach_layout_drawing(booking: Booking, *, by, drawing) -> Booking:
    _require_change(booking.project, by)
    if booking.kind != Booking.Kind.VENUE:
        raise ValidationError({"layout_drawing": _("A layout drawing belongs to a room booking.")})
    return _saved(booking, layout_drawing=_renamed(drawing) if drawing else drawing)


@transaction.atomic
def cancel_booking(booking: Booking, *, by) -> None:
    _require_change(booking.project, by)
    record_event(booking.project, by, {"booking_cancelled": [str(booking), ""]})
    booking.delete()


# --- equipment readiness (CCP-06) ------------------------------------------------------------------
def can_check_equipment(user, project) -> bool:
    return user.has_perm("projects.change_meetingproject", project) or (
        user.has_perm("projects.view_meetingproject", project)
        and user.has_perm("resources.add_equipmentcheck")
    )


@transaction.atomic
def record_equipment_check(booking: Booking, *, by, readings_given: dict, functional: bool, note: str = ""):
    """Check a booked device before use against the ONS rules of its category (REQ-ONS-03)."""
    if not can_check_equipment(by, booking.project):
        raise PermissionDenied(_("You cannot record equipment checks for this project."))
    if booking.kind != Booking.Kind.EQUIPMENT:
        raise ValidationError({"booking": _("Only booked devices are checked.")})
    rulebook = rulebook_for(booking.project)
    results, errors = readings.evaluate(booking.equipment.category, readings_given, rulebook)
    if errors:
        raise ValidationError(errors)
    passed = bool(functional) and all(r["passed"] for r in results)
    return _saved(
        EquipmentCheck(booking=booking, checked_by=by),
        readings={r["metric"]: r["value"] for r in results},
        functional=bool(functional),
        passed=passed,
        results=results,
        checked_at=timezone.now(),
        note=note,
    )


@transaction.atomic
def record_rehearsal(project, *, by, held_at=None, note: str = "") -> Rehearsal:
    if not can_check_equipment(by, project):
        raise PermissionDenied(_("You cannot record rehearsals for this project."))
    return _saved(Rehearsal(project=project, held_by=by), held_at=held_at or timezone.now(), note=note)
