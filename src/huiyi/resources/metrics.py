"""CCP-04 and CCP-06 measured from bookings, equipment checks and rehearsals (registered in apps.ready)."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from huiyi.quality import formulas
from huiyi.quality.metrics import Measurement, NotMeasurable, metric

from . import queries
from .models import Booking, Rehearsal


@metric("booking_confirmations_complete")
def booking_confirmations_complete(project, rulebook):
    """Every booking is confirmed with its letter or contract (REQ-RES-05, CCP-04)."""
    bookings = list(
        Booking.objects.filter(project=project).values("pk", "confirmed", "confirmation_document")
    )
    if not bookings:
        return NotMeasurable(_("No bookings yet."))
    open_ = [b["pk"] for b in bookings if not (b["confirmed"] and b["confirmation_document"])]
    return Measurement(
        value=Decimal(0 if open_ else 1),
        evidence={"bookings": len(bookings), "unconfirmed": open_},
    )


@metric("booking_error_rate")
def booking_error_rate(project, rulebook):
    """Mismatches between bookings and the frozen plan / plan resource lines (REQ-RES-05, CCP-04)."""
    comparison = queries.compare_with_plan(project)
    if not comparison.has_plan:
        return NotMeasurable(_("The plan is not frozen yet."))
    if not comparison.lines:
        return NotMeasurable(_("The frozen plan lists no resources."))
    if not Booking.objects.filter(project=project).exists():
        # Before anything is booked every plan line "mismatches"; that is not an error rate yet.
        return NotMeasurable(_("No bookings yet."))
    return Measurement(
        value=formulas.error_rate(len(comparison.mismatches), comparison.lines),
        evidence={
            "plan_lines": comparison.lines,
            "mismatches": [f"{m.line.kind}: {m.line.name} — {m.reason}" for m in comparison.mismatches],
        },
    )


@metric("equipment_functional_rate")
def equipment_functional_rate(project, rulebook):
    """Booked devices whose latest pre-use check passed / booked devices (CCP-06, REQ-ONS-03)."""
    devices = queries.device_readiness(project)
    if not devices:
        return NotMeasurable(_("No equipment booked."))
    if not any(d.check for d in devices):
        return NotMeasurable(_("No equipment checked yet."))
    ready = [d for d in devices if d.ready]
    return Measurement(
        value=formulas.ratio(len(ready), len(devices), part_name="functional", whole_name="devices"),
        evidence={
            "devices": len(devices),
            "functional": len(ready),
            "not_ready": [str(d.booking.equipment) for d in devices if not d.ready],
        },
    )


@metric("key_equipment_tests_passed")
def key_equipment_tests_passed(project, rulebook):
    """Every key device (projection, sound, network, lighting …) passed its latest check (CCP-06)."""
    key = [d for d in queries.device_readiness(project) if d.is_key]
    if not key:
        return NotMeasurable(_("No key equipment booked."))
    if not any(d.check for d in key):
        return NotMeasurable(_("No equipment checked yet."))
    failed = [str(d.booking.equipment) for d in key if not d.ready]
    return Measurement(
        value=Decimal(0 if failed else 1), evidence={"key_devices": len(key), "not_passed": failed}
    )


@metric("av_rehearsal_done")
def av_rehearsal_done(project, rulebook):
    """场地预先试音视频 recorded for the project (CCP-06)."""
    rehearsal = Rehearsal.objects.filter(project=project).select_related("held_by").first()
    if rehearsal is None:
        # Held shortly before the meeting: until then there is nothing to measure (not a failure).
        return NotMeasurable(_("No AV rehearsal recorded yet."))
    return Measurement(
        value=Decimal(1),
        evidence={"held_at": rehearsal.held_at.isoformat(), "by": str(rehearsal.held_by)},
    )
