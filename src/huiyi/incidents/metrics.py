"""CCP 8, REQ-INC-04/06/09, REQ-ONS-09 and REQ-TEC-02/REQ-CON-01 measured from incident records.

Drills never count: every measure reads real incidents only (``is_drill=False``). Thresholds are never here:
the evaluator compares these values (in the rule's unit: minutes, ratio, months, boolean) with the project's
pinned rulebook. Where a measure is "the worst case", the evidence lists every incident it looked at.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huiyi.quality import formulas
from huiyi.quality.metrics import Measurement, NotMeasurable, metric

from . import clocks
from .models import ChainStep, Incident, IncidentType, PlanReview, ResponsePlan

#: Audio-visual categories of the equipment register (REQ-CON-01 "音视频设备").
AV_CATEGORIES = (
    "projector",
    "screen",
    "sound",
    "microphone",
    "video_conferencing",
    "recording",
    "interpretation",
)
NO_INCIDENT = _("No real incident on this meeting.")


def _minutes(delta) -> Decimal:
    return Decimal(str(delta.total_seconds() / 60)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _real(project):
    return Incident.objects.filter(project=project, is_drill=False)


def _end(incident, now):
    return incident.closed_at or now


def _worst(rows):
    return max(rows, key=lambda row: row[1])


@metric("critical_incident_response_time")
def critical_incident_response_time(project, rulebook):
    """CCP 8 (REQ-INC-09): the longest response — report to the first acknowledgement in the command chain —
    among the meeting's critical incidents (levels whose urgency is immediate or urgent), in minutes. An
    incident nobody answered counts until now (or its closing)."""
    now = timezone.now()
    rows = [
        (i, _minutes((i.responded_at or _end(i, now)) - i.reported_at))
        for i in _real(project)
        if clocks.is_critical(rulebook, i.level)
    ]
    if not rows:
        return NotMeasurable(_("No critical incident (level I or II) on this meeting."))
    incident, value = _worst(rows)
    return Measurement(
        value=value,
        evidence={
            "incident": incident.pk,
            "incidents": [
                {"id": i.pk, "level": i.level, "minutes": str(m), "answered": bool(i.responded_at)}
                for i, m in rows
            ],
        },
    )


@metric("emergency_response_standard_time")
def emergency_response_standard_time(project, rulebook):
    """REQ-INC-09 (§3.3(1)): response time = standard time × priority coefficient(level). Each incident's
    response divided by its level's coefficient gives the standard time it needed; the largest is compared
    with the standard time (the same as comparing each response with standard × coefficient)."""
    now = timezone.now()
    rows = []
    for incident in _real(project):
        coefficient = Decimal(str(clocks.priority_coefficient(rulebook, incident.level).value))
        response = _minutes((incident.responded_at or _end(incident, now)) - incident.reported_at)
        rows.append((incident, (response / coefficient).quantize(Decimal("0.01")), response, coefficient))
    if not rows:
        return NotMeasurable(NO_INCIDENT)
    incident, value, _response, _coefficient = max(rows, key=lambda row: row[1])
    return Measurement(
        value=value,
        evidence={
            "incident": incident.pk,
            "incidents": [
                {
                    "id": i.pk,
                    "level": i.level,
                    "response_minutes": str(r),
                    "coefficient": str(c),
                    "normalised": str(v),
                }
                for i, v, r, c in rows
            ],
        },
    )


@metric("information_relay_time")
def information_relay_time(project, rulebook):
    """REQ-ONS-09: the longest time, in minutes, between paging a person of the liaison chain and their
    acknowledgement. A page never acknowledged counts until now (or the incident's closing)."""
    now = timezone.now()
    steps = ChainStep.objects.filter(
        incident__project=project, incident__is_drill=False, paged_at__isnull=False
    ).select_related("incident")
    rows = [(s, _minutes((s.acknowledged_at or _end(s.incident, now)) - s.paged_at)) for s in steps]
    if not rows:
        return NotMeasurable(_("Nobody has been paged for a real incident on this meeting."))
    step, value = _worst(rows)
    return Measurement(
        value=value,
        evidence={
            "incident": step.incident_id,
            "step": step.pk,
            "role": step.role,
            "pages": len(rows),
            "unacknowledged": sum(1 for s, _m in rows if s.acknowledged_at is None),
        },
    )


def _type_deadline(project, incident_type, field):
    now = timezone.now()
    rows = [
        (i, _minutes((getattr(i, field) or _end(i, now)) - i.reported_at))
        for i in _real(project).filter(type=incident_type)
    ]
    if not rows:
        return None
    incident, value = _worst(rows)
    return Measurement(
        value=value,
        evidence={
            "incident": incident.pk,
            "incidents": [
                {"id": i.pk, "minutes": str(m), "recorded": bool(getattr(i, field))} for i, m in rows
            ],
        },
    )


@metric("equipment_failure_diagnosis_time")
def equipment_failure_diagnosis_time(project, rulebook):
    """REQ-INC-04: the longest time from report to the director's diagnosis of an equipment failure."""
    return _type_deadline(project, IncidentType.EQUIPMENT_FAILURE, "diagnosed_at") or NotMeasurable(
        _("No equipment failure on this meeting.")
    )


@metric("conflict_report_time")
def conflict_report_time(project, rulebook):
    """REQ-INC-04: the longest time from report to the director's report to the host of a conflict."""
    return _type_deadline(project, IncidentType.CONFLICT, "host_reported_at") or NotMeasurable(
        _("No conflict between people on this meeting.")
    )


def av_failures(project):
    """(failures, AV devices booked, evidence) of a meeting — REQ-TEC-02's technical fault log."""
    from huiyi.resources.models import Booking

    bookings = Booking.objects.filter(
        project=project, kind="equipment", equipment__category__in=AV_CATEGORIES
    ).select_related("equipment")
    devices = sum(b.quantity for b in bookings)
    failures = list(
        _real(project)
        .filter(type=IncidentType.EQUIPMENT_FAILURE, equipment__category__in=AV_CATEGORIES)
        .select_related("equipment")
    )
    evidence = {
        "av_devices": devices,
        "failures": [{"id": i.pk, "device": str(i.equipment)} for i in failures],
    }
    return len(failures), devices, evidence


def _av_rate(project):
    if timezone.now() < project.start:
        return NotMeasurable(_("The meeting has not started yet."))
    failures, devices, evidence = av_failures(project)
    if not devices:
        return NotMeasurable(_("No audio-visual device is booked for this meeting."))
    value = formulas.ratio(failures, devices, part_name="failures", whole_name="devices")
    return Measurement(value=value.quantize(Decimal("0.0001")), evidence=evidence)


@metric("av_failure_rate")
def av_failure_rate(project, rulebook):
    """REQ-CON-01: audio-visual devices that failed / audio-visual devices booked for the meeting."""
    return _av_rate(project)


@metric("av_failure_rate_per_meeting")
def av_failure_rate_per_meeting(project, rulebook):
    """REQ-TEC-02: the same failure rate, from the technical fault log of the meeting."""
    return _av_rate(project)


@metric("response_plan_review_interval")
def response_plan_review_interval(project, rulebook):
    """REQ-INC-06 (§2.8(6)): months since the least recently reviewed response plan was reviewed."""
    from dateutil.relativedelta import relativedelta

    plans = list(ResponsePlan.objects.all())
    if not plans:
        return NotMeasurable(_("No response plan exists yet."))
    now = timezone.now()
    oldest = min(plans, key=lambda p: p.last_reviewed_at)
    delta = relativedelta(now, oldest.last_reviewed_at)
    months = Decimal(delta.years * 12 + delta.months) + (Decimal(delta.days) / Decimal(31)).quantize(
        Decimal("0.01")
    )
    return Measurement(
        value=months.quantize(Decimal("0.01")),
        evidence={"plan": oldest.incident_type, "last_reviewed_at": oldest.last_reviewed_at.isoformat()},
    )


@metric("response_plan_reviewed_after_incident")
def response_plan_reviewed_after_incident(project, rulebook):
    """REQ-INC-06: 1 when the plan of every closed real incident of the meeting has been reviewed, else 0."""
    closed = list(_real(project).filter(status=Incident.Status.CLOSED))
    if not closed:
        return NotMeasurable(_("No closed real incident on this meeting."))
    done = set(
        PlanReview.objects.filter(incident__in=closed, status=PlanReview.Status.DONE).values_list(
            "incident_id", flat=True
        )
    )
    missing = [i.pk for i in closed if i.pk not in done]
    return Measurement(
        value=Decimal(0 if missing else 1), evidence={"closed": len(closed), "not_reviewed": missing}
    )
