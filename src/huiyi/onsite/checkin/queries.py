"""Reads for the scanner page, the live board, the cockpit panel and the metric."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from huiyi.onsite.attendees.models import Attendee, Category, Ticket
from huiyi.onsite.attendees.queries import mask_phone

from .models import CheckIn, Conflict, Direction, Result, ScanRecord

#: The arrivals chart counts check-ins per this many minutes.
BUCKET_MINUTES = 5
SEARCH_LIMIT = 8
RECENT_SCANS = 12
#: A phone fragment is searched only from this many digits on (fewer match half the list).
MIN_PHONE_DIGITS = 3


def search_attendees(project, text: str) -> list[dict]:
    """A few attendees whose name (or organisation) contains `text`, or whose phone contains its digits."""
    text = (text or "").replace("\x00", "").strip()[:50].encode("utf-8", "ignore").decode("utf-8")
    if not text:
        return []
    digits = "".join(ch for ch in text if ch.isdigit())
    condition = Q(name__icontains=text) | Q(organisation__icontains=text)
    if len(digits) >= MIN_PHONE_DIGITS and len(digits) == len(text.replace(" ", "").replace("-", "")):
        condition = Q(phone__contains=digits)
    rows = (
        Attendee.objects.filter(project=project)
        .filter(condition)
        .select_related("ticket", "ticket__checkin")
        .order_by("name", "pk")[:SEARCH_LIMIT]
    )
    results = []
    for attendee in rows:
        ticket = getattr(attendee, "ticket", None)
        checkin = getattr(ticket, "checkin", None) if ticket is not None else None
        results.append(
            {
                "id": attendee.pk,
                "name": attendee.name,
                "organisation": attendee.organisation,
                "category": attendee.category,
                "seat": attendee.seat,
                "phone": mask_phone(attendee.phone),
                "status": attendee.status,
                "code": ticket.code if ticket is not None else "",
                "checked_in_at": checkin.checked_in_at if checkin else None,
                "present": checkin.present if checkin else None,
            }
        )
    return results


def summary(project) -> dict:
    """Arrived / expected (active registrations), inside now, VIPs missing, open conflicts."""
    expected = Attendee.objects.filter(project=project, status=Attendee.Status.ACTIVE).count()
    checkins = CheckIn.objects.filter(project=project)
    counts = checkins.aggregate(arrived=Count("pk"), inside=Count("pk", filter=Q(present=True)))
    vips_missing = (
        Attendee.objects.filter(project=project, status=Attendee.Status.ACTIVE, category=Category.VIP)
        .filter(Q(ticket__isnull=True) | Q(ticket__checkin__isnull=True))
        .count()
    )
    open_conflicts = Conflict.objects.filter(project=project, acknowledged_at__isnull=True).count()
    arrived = counts["arrived"]
    return {
        "expected": expected,
        "arrived": arrived,
        "inside": counts["inside"],
        "percent": round(arrived * 100 / expected) if expected else None,
        # The progress bar's width (someone cancelled after arriving can push the share over 100 %).
        "bar": min(100, round(arrived * 100 / expected)) if expected else 0,
        "vips_missing": vips_missing,
        "open_conflicts": open_conflicts,
    }


def by_category(project) -> list[dict]:
    expected = dict(
        Attendee.objects.filter(project=project, status=Attendee.Status.ACTIVE)
        .values_list("category")
        .annotate(n=Count("pk"))
        .order_by()
    )
    arrived = dict(
        CheckIn.objects.filter(project=project)
        .values_list("ticket__attendee__category")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = []
    for value, label in Category.choices:
        if expected.get(value) or arrived.get(value):
            e, a = expected.get(value, 0), arrived.get(value, 0)
            rows.append(
                {
                    "category": value,
                    "label": label,
                    "expected": e,
                    "arrived": a,
                    "percent": round(a * 100 / e) if e else None,
                }
            )
    return rows


def arrivals_per_bucket(project, *, now: datetime | None = None) -> dict:
    """Check-ins per BUCKET_MINUTES, local time, from the first arrival to now (empty buckets included)."""
    now = now or timezone.now()
    times = list(CheckIn.objects.filter(project=project).values_list("checked_in_at", flat=True))
    if not times:
        return {"labels": [], "counts": [], "minutes": BUCKET_MINUTES}
    size = timedelta(minutes=BUCKET_MINUTES)

    def floor(moment):
        local = timezone.localtime(moment)
        return local.replace(minute=local.minute - local.minute % BUCKET_MINUTES, second=0, microsecond=0)

    counts = Counter(floor(moment) for moment in times)
    first, last = min(counts), max(max(counts), floor(min(now, max(times) + size * 12)))
    labels, values = [], []
    slot = first
    while slot <= last and len(labels) < 24 * 60 // BUCKET_MINUTES:
        labels.append(slot.strftime("%H:%M"))
        values.append(counts.get(slot, 0))
        slot += size
    return {"labels": labels, "counts": values, "minutes": BUCKET_MINUTES}


def vips_missing(project, limit: int = 20) -> list[Attendee]:
    return list(
        Attendee.objects.filter(project=project, status=Attendee.Status.ACTIVE, category=Category.VIP)
        .filter(Q(ticket__isnull=True) | Q(ticket__checkin__isnull=True))
        .order_by("name", "pk")[:limit]
    )


def recent_scans(project, limit: int = RECENT_SCANS) -> list[ScanRecord]:
    return list(
        ScanRecord.objects.filter(project=project)
        .select_related("ticket__attendee", "user")
        .order_by("-received_at")[:limit]
    )


def conflicts(project) -> list[Conflict]:
    return list(
        Conflict.objects.filter(project=project)
        .select_related("ticket__attendee", "scan", "kept_scan", "acknowledged_by")
        .order_by("acknowledged_at", "-detected_at")
    )


def offline_stats(project) -> dict:
    scans = ScanRecord.objects.filter(project=project, offline=True)
    latest = list(scans.select_related("ticket__attendee").order_by("-received_at")[:5])
    return {
        "count": scans.count(),
        "devices": scans.values("device").distinct().count(),
        "latest": latest,
    }


def devices(project) -> list[dict]:
    rows = (
        ScanRecord.objects.filter(project=project)
        .values("device", "device_name")
        .annotate(
            scans=Count("pk"),
            ok=Count("pk", filter=Q(result=Result.OK, direction=Direction.IN)),
            offline=Count("pk", filter=Q(offline=True)),
        )
        .order_by("-scans")
    )
    return list(rows[:20])


def ticket_for_code(code: str) -> Ticket | None:
    return Ticket.objects.select_related("attendee").filter(code=code).first()


def response_times(project) -> list[tuple[int | None, int, bool]]:
    """(ms shown on the device or None, server processing µs, offline) of every entry scan of the meeting."""
    return list(
        ScanRecord.objects.filter(project=project, direction=Direction.IN).values_list(
            "shown_ms", "processing_us", "offline"
        )
    )
