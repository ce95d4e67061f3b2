"""Demo check-ins on the meeting-day project, through the check-in services.

The doors open 40 minutes before the start: most attendees arrive through the east and west gates, a few are
scanned twice, the west gate loses its network for a moment (one scan synced later, one ticket admitted on
both gates — a conflict for the director), one guest steps out and comes back, and a cancelled registration
is turned away. Scans happen "now" in the services; the demo then moves their times back to the morning, as
the preparation demo does with its deadlines.
"""

import random
from datetime import timedelta

from django.utils import timezone

from huiyi.onsite.attendees.models import Attendee, Ticket
from huiyi.projects.models import MeetingProject

from . import services
from .models import CheckIn, Direction, PresenceEvent, ScanRecord, Source

PROJECT_CODE = "HY-2026-105"
EAST = ("gate-east-01", "东门 1 号机")
WEST = ("gate-west-02", "西门 2 号机")


def _backdate(key: str, user_id: int, at) -> None:
    record = ScanRecord.objects.get(user_id=user_id, idempotency_key=key)
    ScanRecord.objects.filter(pk=record.pk).update(received_at=at)
    CheckIn.objects.filter(scan_id=record.pk).update(checked_in_at=at, created_at=at)
    PresenceEvent.objects.filter(scan_id=record.pk).update(at=at)


def build(projects: list[MeetingProject], people: dict) -> None:
    project = next((p for p in projects if p.code == PROJECT_CODE), None)
    if project is None:
        return
    tickets = list(
        Ticket.objects.filter(project=project).select_related("attendee").order_by("attendee__name", "pk")
    )
    if not tickets:  # the attendee demo has not run: nothing to scan
        return
    director = people.get("on_site_director")
    manager = people.get("project_manager")
    if director is None or manager is None:
        return
    east, west = services.Scanner.for_user(director), services.Scanner.for_user(manager)
    rng = random.Random(105)
    now = timezone.now()
    opens = project.start - timedelta(minutes=40)
    latest = min(now - timedelta(minutes=2), project.start + timedelta(minutes=25))
    active = [t for t in tickets if t.attendee.status == Attendee.Status.ACTIVE]
    cancelled = [t for t in tickets if t.attendee.status == Attendee.Status.CANCELLED]
    # About nine in ten arrive; VIPs come late in the window, staff first.
    arriving = active[: max(1, len(active) * 9 // 10)]
    order = {"staff": 0, "press": 1, "guest": 2, "speaker": 3, "vip": 4}
    arriving.sort(key=lambda t: (order.get(t.attendee.category, 2), rng.random()))
    span = (latest - opens).total_seconds()
    conflict_ticket = arriving[len(arriving) // 2] if len(arriving) > 4 else None
    offline_ticket = arriving[len(arriving) // 3] if len(arriving) > 4 else None
    # Arrivals crowd in the quarter hour before the start, as at a real door.
    to_peak = (project.start - timedelta(minutes=10) - opens).total_seconds()
    peak = max(0.0, min(1.0, to_peak / span)) if span > 0 else 1.0
    moments = sorted(opens + timedelta(seconds=span * rng.triangular(0, 1, peak)) for _ in arriving)
    scanned = []
    for n, (ticket, at) in enumerate(zip(arriving, moments, strict=True)):
        if ticket in (conflict_ticket, offline_ticket):
            continue
        scanner, (device, name) = (east, EAST) if n % 3 else (west, WEST)
        key = f"demo-{ticket.pk}-in"
        services.scan(
            scanner,
            code=ticket.code,
            device=device,
            device_name=name,
            project_id=project.pk,
            key=key,
            source=Source.CAMERA if n % 4 else Source.KEYBOARD,
        )
        _backdate(key, scanner.user_id, at)
        services.record_timings(scanner, [{"key": key, "shown_ms": rng.randint(600, 2600)}])
        scanned.append((ticket, at, scanner, device, name))

    # A few people are scanned again at the other gate a little later.
    for ticket, at, _, _, _ in scanned[3:6]:
        key = f"demo-{ticket.pk}-again"
        services.scan(
            west, code=ticket.code, device=WEST[0], device_name=WEST[1], project_id=project.pk, key=key
        )
        _backdate(key, west.user_id, min(now, at + timedelta(minutes=rng.randint(2, 6))))

    # The west gate lost its network: one scan queued on the phone, synced when the Wi-Fi came back.
    if offline_ticket is not None:
        at = moments[arriving.index(offline_ticket)]
        services.sync(
            west,
            [
                {
                    "code": offline_ticket.code,
                    "device": WEST[0],
                    "device_name": WEST[1],
                    "scanned_at": at.isoformat(),
                    "key": f"demo-{offline_ticket.pk}-offline",
                    "project": project.pk,
                    "source": Source.CAMERA,
                    "shown_ms": 2300,
                }
            ],
        )
    # …and meanwhile one guest was admitted there offline AND, a minute later, online at the east gate.
    if conflict_ticket is not None:
        at = moments[arriving.index(conflict_ticket)]
        key = f"demo-{conflict_ticket.pk}-east"
        services.scan(
            east,
            code=conflict_ticket.code,
            device=EAST[0],
            device_name=EAST[1],
            project_id=project.pk,
            key=key,
        )
        _backdate(key, east.user_id, at + timedelta(minutes=1))
        services.sync(
            west,
            [
                {
                    "code": conflict_ticket.code,
                    "device": WEST[0],
                    "device_name": WEST[1],
                    "scanned_at": at.isoformat(),
                    "key": f"demo-{conflict_ticket.pk}-west-offline",
                    "project": project.pk,
                    "shown_ms": 2100,
                }
            ],
        )

    # One guest steps out to take a call and comes back.
    if len(scanned) > 8:
        ticket, at, scanner, device, name = scanned[8]
        out_at = min(now - timedelta(minutes=1), max(at, project.start) + timedelta(minutes=12))
        back_at = min(now, out_at + timedelta(minutes=9))
        for direction, moment in ((Direction.OUT, out_at), (Direction.IN, back_at)):
            key = f"demo-{ticket.pk}-{direction}-later"
            services.scan(
                east,
                code=ticket.code,
                device=EAST[0],
                device_name=EAST[1],
                project_id=project.pk,
                key=key,
                direction=direction,
            )
            _backdate(key, east.user_id, moment)

    # A cancelled registration is turned away at the door.
    for ticket in cancelled[:1]:
        key = f"demo-{ticket.pk}-blocked"
        services.scan(
            east, code=ticket.code, device=EAST[0], device_name=EAST[1], project_id=project.pk, key=key
        )
        _backdate(key, east.user_id, opens + timedelta(minutes=25))
