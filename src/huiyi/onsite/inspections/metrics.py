"""The on-site metrics measured from inspection records (REQ-ONS-01/03/04/07, REQ-PPL-04, CCP 6) and the
material acceptance metrics of REQ-RES-07 measured from resources' 物料验收单 records.

Readings: each metric takes, in every room inspected, the latest reading of its item that no correction
replaced, and reports the worst of those across the rooms — the one furthest on the wrong side of the rule
(or, when all pass, the one with the least margin). A room that was fixed and measured again counts with its
new reading; a room still failing keeps the metric failing.
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huiyi.quality.metrics import Measurement, NotMeasurable, metric
from huiyi.resources.models import Booking, MaterialAcceptance
from huiyi.rulebook.loader import Rule

from . import items as sheet
from . import queries, timing
from .models import SiteMilestone


def margin(rule: Rule, value: Decimal) -> Decimal:
    """How far a value is on the right side of the rule (negative: by how much it fails)."""
    if isinstance(rule.value, tuple):
        low, high = (Decimal(str(v)) for v in rule.value)
        return min(value - low, high - value)
    threshold = Decimal(str(rule.value))
    if rule.op in (">=", ">"):
        return value - threshold
    if rule.op in ("<=", "<"):
        return threshold - value
    return -abs(value - threshold)


def _worst(rule: Rule, rows, value_of):
    return min(rows, key=lambda row: margin(rule, Decimal(value_of(row))))


# -- readings ---------------------------------------------------------------------------------------------


def measure_reading(key: str, project, rulebook) -> Measurement | NotMeasurable:
    rule = queries.first_rule(rulebook, key)
    if rule is None or rule.value is None:
        return NotMeasurable(_("The rulebook has no threshold for this item."))
    latest = {}
    for reading in queries.live_readings(project).filter(metric=key):
        latest[reading.round.room_key] = reading  # ordered by time: the last one per room wins
    if not latest:
        return NotMeasurable(_("No inspection reading of this item yet."))
    worst = _worst(rule, latest.values(), lambda r: r.value)
    return Measurement(
        value=worst.value,
        measured_at=worst.measured_at,
        evidence={
            "aggregation": "worst of the latest reading per room",
            "room": worst.round.room_label,
            "reading": worst.pk,
            "measured_at": worst.measured_at.isoformat(),
            "rooms": [
                {
                    "room": r.round.room_label,
                    "value": str(r.value),
                    "passed": r.passed,
                    "reading": r.pk,
                    "measured_at": r.measured_at.isoformat(),
                }
                for r in latest.values()
            ],
        },
    )


def _register_reading_metric(key: str) -> None:
    def measure(project, rulebook):
        return measure_reading(key, project, rulebook)

    measure.__name__ = measure.__qualname__ = f"reading_{key}"
    measure.__doc__ = (
        f"``{key}`` from on-site inspection readings: the worst of the latest uncorrected reading per room."
    )
    metric(key)(measure)


#: Every item of the inspection sheet measured from readings (the sheet's metrics, REQ-ONS-03/04).
READING_METRICS = tuple(m for section in sheet.SECTIONS for m in section.metrics)
for _key in READING_METRICS:
    _register_reading_metric(_key)


# -- set-up and tear-down ---------------------------------------------------------------------------------


def _milestone(project, rulebook, milestone: str, key: str) -> Measurement | NotMeasurable:
    rule = queries.first_rule(rulebook, key)
    if not timing.is_timeable(rule):
        return NotMeasurable(_("The rulebook has no timing rule for this milestone."))
    records = list(queries.live_milestones(project).filter(milestone=milestone))
    if not records:
        return NotMeasurable(_("Not recorded yet."))
    worst = _worst(rule, records, lambda r: r.value)
    return Measurement(
        value=worst.value,
        measured_at=worst.at,
        evidence={
            "aggregation": "worst over the meeting and its rooms",
            "at": worst.at.isoformat(),
            "room": worst.room_label or "",
            "records": [
                {
                    "room": r.room_label or "",
                    "at": r.at.isoformat(),
                    "value": str(r.value),
                    "passed": r.passed,
                }
                for r in records
            ],
        },
    )


@metric("setup_done_lead_time")
def setup_done_lead_time(project, rulebook):
    """Hours (the rule's unit) between set-up complete and the meeting start (REQ-ONS-01); with several
    rooms, the room finished last."""
    return _milestone(project, rulebook, SiteMilestone.Milestone.SETUP_DONE, "setup_done_lead_time")


@metric("equipment_recovery_time")
def equipment_recovery_time(project, rulebook):
    """Time from the meeting end until the equipment was recovered and counted (REQ-ONS-07); the latest
    room."""
    return _milestone(
        project, rulebook, SiteMilestone.Milestone.EQUIPMENT_RECOVERED, "equipment_recovery_time"
    )


@metric("venue_restoration_time")
def venue_restoration_time(project, rulebook):
    """Time from the meeting end until the venue was restored (REQ-ONS-07); the latest room."""
    return _milestone(project, rulebook, SiteMilestone.Milestone.VENUE_RESTORED, "venue_restoration_time")


# -- roll-call --------------------------------------------------------------------------------------------


@metric("reception_in_place_lead_time")
def reception_in_place_lead_time(project, rulebook):
    """Minutes (the rule's unit) before the start that the reception staff were in place (REQ-PPL-04): the
    latest of them. Once the meeting has started, a reception member still not checked in counts as arriving
    now."""
    rule = queries.reception_rule(rulebook)
    if rule is None:
        return NotMeasurable(_("The rulebook has no timing rule for reception staff."))
    reception = queries.roll_call_summary(project, rulebook).reception
    if not reception:
        return NotMeasurable(_("No reception staff on the team of this meeting."))
    now = timezone.now()
    started = now >= timing.anchor(rule, project)
    rows = []
    for entry in reception:
        if entry.entry is not None:
            rows.append((str(entry.user), entry.entry.checked_in_at, entry.lead))
        elif started:
            rows.append((str(entry.user), None, timing.elapsed(rule, project, now)))
    if not rows:
        return NotMeasurable(_("No reception staff checked in yet."))
    worst = _worst(rule, rows, lambda row: row[2])
    return Measurement(
        value=worst[2],
        evidence={
            "aggregation": "the latest reception member",
            "person": worst[0],
            "staff": [
                {"name": name, "in_place_at": at.isoformat() if at else None, "lead": str(lead)}
                for name, at, lead in rows
            ],
            "not_checked_in": [str(e.user) for e in reception if e.entry is None],
        },
    )


# -- material acceptance (REQ-RES-07) ---------------------------------------------------------------------


def _classes(rulebook, key: str) -> set[str] | None:
    """The material classes a rule of ``key`` applies to (``None``: every class)."""
    classes = {r.applies_to.get("material_class") for r in rulebook.rules_where(metric=key)}
    return None if None in classes else classes


@metric("material_acceptance_signed")
def material_acceptance_signed(project, rulebook):
    """1 when every material booked for the meeting has a signed 物料验收单 (REQ-RES-07), else 0."""
    acceptances = list(MaterialAcceptance.objects.filter(project=project).select_related("signed_by"))
    booked = sorted(
        set(
            Booking.objects.filter(project=project, kind=Booking.Kind.MATERIAL).values_list(
                "material", flat=True
            )
        )
    )
    if not acceptances and not booked:
        return NotMeasurable(_("No material booked or accepted for this meeting."))
    signed = {a.material.strip().casefold() for a in acceptances if a.signed_by_id and a.signed_at}
    missing = [name for name in booked if name.strip().casefold() not in signed]
    return Measurement(
        value=Decimal(0 if missing else 1),
        evidence={
            "acceptances": [
                {"material": a.material, "signed_by": str(a.signed_by), "result": a.result}
                for a in acceptances
            ],
            "booked_without_acceptance": missing,
        },
    )


@metric("storage_relative_humidity")
def storage_relative_humidity(project, rulebook):
    """Storage humidity of the meeting's materials of the rule's class (paper and print, REQ-RES-07): the
    acceptance furthest outside (or closest to the edge of) the rule's range."""
    rules = rulebook.rules_where(metric="storage_relative_humidity")
    if not rules:
        return NotMeasurable(_("The rulebook has no storage humidity rule."))
    classes = _classes(rulebook, "storage_relative_humidity")
    rows = MaterialAcceptance.objects.filter(project=project, storage_humidity__isnull=False)
    if classes is not None:
        rows = rows.filter(material_class__in=classes)
    rows = list(rows)
    if not rows:
        return NotMeasurable(_("No storage humidity recorded on a material acceptance of this meeting."))
    worst = _worst(rules[0], rows, lambda a: a.storage_humidity)
    return Measurement(
        value=worst.storage_humidity,
        evidence={
            "material": worst.material,
            "acceptance": worst.pk,
            "readings": [{"material": a.material, "humidity": str(a.storage_humidity)} for a in rows],
        },
    )


def _add_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def months_between(start: dt.date, end: dt.date) -> Decimal:
    """Calendar months from ``start`` to ``end`` (not before it); the last month as a fraction of its days."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if _add_months(start, months) > end:
        months -= 1
    anchor, following = _add_months(start, months), _add_months(start, months + 1)
    fraction = Decimal((end - anchor).days) / Decimal((following - anchor).days)
    return (Decimal(months) + fraction).quantize(Decimal("0.01"))


@metric("paper_shelf_life")
def paper_shelf_life(project, rulebook):
    """Age in months of the meeting's paper and printed material at the meeting start, counted from its
    acceptance (received on, REQ-RES-07): the oldest."""
    classes = _classes(rulebook, "paper_shelf_life")
    rows = MaterialAcceptance.objects.filter(project=project)
    if classes is not None:
        rows = rows.filter(material_class__in=classes)
    rows = list(rows)
    if not rows:
        return NotMeasurable(_("No paper or printed material accepted for this meeting."))
    used_on = timezone.localtime(project.start).date()
    ages = [
        (a, months_between(a.received_on, used_on) if a.received_on <= used_on else Decimal(0)) for a in rows
    ]
    oldest, age = max(ages, key=lambda pair: pair[1])
    return Measurement(
        value=age,
        evidence={
            "material": oldest.material,
            "received_on": oldest.received_on.isoformat(),
            "used_on": used_on.isoformat(),
            "materials": [{"material": a.material, "months": str(m)} for a, m in ages],
        },
    )
