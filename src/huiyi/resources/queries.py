"""Reads of the resources app: registers, due dates, a project's bookings, plan mismatches and readiness."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyi.rulebook.services import active_rulebook

from .models import (
    Booking,
    Equipment,
    EquipmentCategory,
    EquipmentCheck,
    Layout,
    ResourceProposal,
    Room,
    Supplier,
    SupplierScorecard,
    Venue,
)

STAFF_LABELS = {
    "on_site_director": ("现场总控", "on-site director"),
    "technical_support": ("技术支持", "technical support"),
    "reception": ("礼仪接待", "reception"),
    "security": ("安保", "security"),
    "medical": ("医疗", "medical"),
}


def _months(rule_id: str) -> int:
    return int(active_rulebook().value(rule_id))


# --- registers ------------------------------------------------------------------------------------
def venues() -> QuerySet[Venue]:
    return Venue.objects.prefetch_related(Prefetch("rooms", queryset=Room.objects.order_by("name")))


def rooms() -> QuerySet[Room]:
    return Room.objects.filter(is_active=True, venue__is_active=True).select_related("venue")


def maintenance_due(equipment: Equipment, months: int | None = None) -> dt.date | None:
    """Next maintenance: the rulebook's interval after the last one (REQ-RES-08)."""
    if equipment.last_maintenance_on is None:
        return None
    months = months if months is not None else _months("res.equipment.maintenance_interval")
    return equipment.last_maintenance_on + relativedelta(months=months)


def equipment_register(category: str | None = None, overdue_only: bool = False) -> list[Equipment]:
    """Every device with its next maintenance date and overdue flag (two queries)."""
    items = Equipment.objects.all()
    if category:
        items = items.filter(category=category)
    months = _months("res.equipment.maintenance_interval")
    today = timezone.localdate()
    rows = []
    for item in items:
        item.maintenance_due_on = maintenance_due(item, months)
        item.maintenance_overdue = item.maintenance_due_on is None or item.maintenance_due_on < today
        if not overdue_only or item.maintenance_overdue:
            rows.append(item)
    return rows


def supplier_evaluation_due(supplier: Supplier, months: int | None = None) -> dt.date | None:
    if supplier.last_evaluated_on is None:
        return None
    months = months if months is not None else _months("res.supplier.evaluation_interval")
    return supplier.last_evaluated_on + relativedelta(months=months)


def supplier_list(qualified_only: bool = False) -> list[Supplier]:
    suppliers = Supplier.objects.all()
    if qualified_only:
        suppliers = suppliers.filter(qualified=True)
    months = _months("res.supplier.evaluation_interval")
    today = timezone.localdate()
    latest = {}
    for card in (
        SupplierScorecard.objects.filter(supplier__in=suppliers)
        .select_related("standing")
        .order_by("supplier_id", "-period_end")
    ):
        latest.setdefault(card.supplier_id, card)
    rows = list(suppliers)
    for supplier in rows:
        supplier.evaluation_due_on = supplier_evaluation_due(supplier, months)
        supplier.evaluation_overdue = supplier.evaluation_due_on is None or supplier.evaluation_due_on < today
        supplier.latest_scorecard = latest.get(supplier.pk)
    return rows


# --- bookings -------------------------------------------------------------------------------------
def project_bookings(project) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(project=project)
        .select_related("room__venue", "equipment", "staff", "supplier")
        .prefetch_related(Prefetch("checks", queryset=EquipmentCheck.objects.select_related("checked_by")))
    )


def overlapping(queryset: QuerySet[Booking], starts_at, ends_at, *, exclude_pk=None) -> QuerySet[Booking]:
    clash = queryset.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)
    return clash.exclude(pk=exclude_pk) if exclude_pk else clash


def latest_proposal(project) -> ResourceProposal | None:
    return ResourceProposal.objects.filter(project=project).select_related("created_by").first()


# --- the frozen plan ------------------------------------------------------------------------------
def plan_resources(project) -> list | None:
    """The frozen plan's resource lines, or None when the project has no frozen plan yet."""
    from huiyi.projects.planning import queries as planning

    if planning.confirmed_version(project) is None:
        return None
    return list(planning.frozen_plan_resources(project))


@dataclass
class Mismatch:
    line: object
    reason: str
    booked: int = 0


@dataclass
class PlanComparison:
    lines: int = 0
    mismatches: list[Mismatch] = field(default_factory=list)
    unplanned: list[Booking] = field(default_factory=list)
    has_plan: bool = False


def _labels(booking: Booking) -> list[str]:
    if booking.kind == Booking.Kind.VENUE and booking.room_id:
        room = booking.room
        return [room.name, room.venue.name, f"{room.venue.name} {room.name}", str(room)]
    if booking.kind == Booking.Kind.EQUIPMENT and booking.equipment_id:
        item = booking.equipment
        category = EquipmentCategory(item.category)
        return [item.name, item.category, str(category.label)]
    if booking.kind == Booking.Kind.STAFF:
        labels = [booking.staff_role, *STAFF_LABELS.get(booking.staff_role, ())]
        if booking.staff_id:
            labels.append(str(booking.staff))
        return [label for label in labels if label]
    return [booking.material]


def _matches(name: str, labels: list[str]) -> bool:
    wanted = name.strip().lower()
    if not wanted:
        return False
    return any(
        label and (wanted in label.lower() or label.lower() in wanted) for label in labels if len(label) > 1
    )


def _covers(booking: Booking, line) -> bool:
    start, end = getattr(line, "start", None), getattr(line, "end", None)
    if start and booking.starts_at > start:
        return False
    return not (end and booking.ends_at < end)


def compare_with_plan(project, bookings: list[Booking] | None = None) -> PlanComparison:
    """Each plan line is matched with bookings of its kind by name, time and quantity (REQ-RES-05, CCP-04)."""
    lines = plan_resources(project)
    bookings = list(project_bookings(project)) if bookings is None else bookings
    comparison = PlanComparison(has_plan=lines is not None)
    if lines is None:
        return comparison
    comparison.lines = len(lines)
    used: set[int] = set()
    for line in lines:
        candidates = [
            b
            for b in bookings
            if b.kind == line.kind
            and (b.plan_item == line.name or (not b.plan_item and _matches(line.name, _labels(b))))
        ]
        in_time = [b for b in candidates if _covers(b, line)]
        booked = sum(b.quantity for b in in_time)
        used.update(b.pk for b in candidates)
        if not candidates:
            comparison.mismatches.append(Mismatch(line, _("Not booked.")))
        elif not in_time:
            comparison.mismatches.append(Mismatch(line, _("Booked for other times than the plan.")))
        elif booked != line.quantity:
            comparison.mismatches.append(
                Mismatch(
                    line,
                    _("Plan %(planned)s, booked %(booked)s.") % {"planned": line.quantity, "booked": booked},
                    booked,
                )
            )
    comparison.unplanned = [b for b in bookings if b.pk not in used]
    return comparison


# --- readiness (CCP-06) ---------------------------------------------------------------------------
@dataclass
class DeviceReadiness:
    booking: Booking
    check: EquipmentCheck | None

    @property
    def ready(self) -> bool:
        return self.check is not None and self.check.passed

    @property
    def is_key(self) -> bool:
        from .readings import METRICS_BY_CATEGORY

        return self.booking.equipment.is_key or self.booking.equipment.category in METRICS_BY_CATEGORY


def device_readiness(project, bookings: list[Booking] | None = None) -> list[DeviceReadiness]:
    bookings = list(project_bookings(project)) if bookings is None else bookings
    rows = []
    for booking in bookings:
        if booking.kind != Booking.Kind.EQUIPMENT:
            continue
        checks = sorted(booking.checks.all(), key=lambda c: (c.checked_at, c.pk), reverse=True)
        rows.append(DeviceReadiness(booking, checks[0] if checks else None))
    return rows


def visible_project_ids(user):
    from huiyi.projects.queries import visible_projects

    return visible_projects(user).values("pk")


def rooms_for_layout(layout: str, attendees: int) -> QuerySet[Room]:
    """Rooms whose stated capacity for the layout holds the attendees (for the calculator's room list)."""
    if layout not in Layout.values:
        return Room.objects.none()
    return rooms().filter(Q(**{f"capacities__{layout}__gte": attendees}))
