"""Reads of complaints for pages, the API and the scorecard: always filtered to what the user may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from huiyi.calendar.clocks import ClockKind, ClockStatus, SlaClock, WorkCalendar
from huiyi.projects.models import MeetingProject
from huiyi.projects.queries import visible_projects
from huiyi.rulebook.services import rulebook_of

from . import sla
from .models import Complaint

#: The unit ``per_100_meetings`` of CCP 9 counts per this many meetings (the unit's definition).
MEETINGS_PER_UNIT = 100


def visible_complaints(user) -> QuerySet[Complaint]:
    if not user.is_authenticated:
        return Complaint.objects.none()
    complaints = Complaint.objects.all()
    if user.is_superuser:
        return complaints
    return complaints.filter(project__in=visible_projects(user).values("pk"))


def breached_q(now) -> Q:
    """Missed targets: recorded by the job, or past due and not met yet (the job has not run since)."""
    open_ = Q(status__in=Complaint.OPEN_STATUSES)
    return (
        Q(response_breached_at__isnull=False)
        | Q(resolution_breached_at__isnull=False)
        | (open_ & Q(responded_at__isnull=True, response_due__lt=now))
        | (open_ & Q(resolution_due__lt=now))
    )


def complaint_list(
    user, *, state: str = "", severity: str = "", project=None, now=None
) -> QuerySet[Complaint]:
    now = now or timezone.now()
    complaints = visible_complaints(user).select_related("project", "owner")
    if state == "open":
        complaints = complaints.filter(status__in=Complaint.OPEN_STATUSES)
    elif state == "breached":
        complaints = complaints.filter(breached_q(now))
    elif state == "closed":
        complaints = complaints.filter(status__in=[Complaint.Status.RESOLVED, Complaint.Status.CLOSED])
    if severity:
        complaints = complaints.filter(severity=severity)
    if project is not None:
        complaints = complaints.filter(project=project)
    return complaints.order_by("-received_at", "-pk")


# ------------------------------------------------------------------------------------------------------
# clocks for people


@dataclass(frozen=True)
class ClockView:
    key: str
    label: str
    status: str  # running, paused, breached, met, late
    due: dt.datetime | None
    remaining: dt.timedelta | None
    remaining_text: str
    colour: str
    working_days: bool


def duration_text(delta: dt.timedelta, *, working_days: bool = False) -> str:
    seconds = int(abs(delta.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if working_days:
        if days:
            return _("%(d)s working days %(h)s h") % {"d": days, "h": hours}
        return _("%(h)s h %(m)s min of a working day") % {"h": hours, "m": minutes}
    if days:
        return _("%(d)s d %(h)s h") % {"d": days, "h": hours}
    if hours:
        return _("%(h)s h %(m)s min") % {"h": hours, "m": minutes}
    return _("%(m)s min") % {"m": minutes}


def _view(key: str, label: str, clock: SlaClock | None, cal: WorkCalendar, now) -> ClockView | None:
    if clock is None:
        return None
    status = clock.status(now, cal)
    deadline = clock.due(cal, now)
    remaining = clock.remaining(now, cal)
    working = clock.kind is ClockKind.WORKING_DAYS
    target = sla.target_as_delta(clock)
    if status is ClockStatus.BREACHED:
        text = (_("missed by %(t)s") if not clock.is_stopped else _("met late, %(t)s over")) % {
            "t": duration_text(remaining, working_days=working)
        }
        return ClockView(
            key,
            label,
            "late" if clock.is_stopped else "breached",
            deadline.due if deadline else None,
            remaining,
            text,
            "danger",
            working,
        )
    if status is ClockStatus.STOPPED:
        return ClockView(
            key,
            label,
            "met",
            deadline.due if deadline else None,
            remaining,
            pgettext("complaints", "met"),
            "success",
            working,
        )
    if status is ClockStatus.PAUSED:
        text = _("paused, %(t)s left") % {"t": duration_text(remaining, working_days=working)}
        return ClockView(key, label, "paused", None, remaining, text, "secondary", working)
    colour = "warning" if remaining * 4 < target else "primary"
    text = _("%(t)s left") % {"t": duration_text(remaining, working_days=working)}
    return ClockView(
        key, label, "running", deadline.due if deadline else None, remaining, text, colour, working
    )


def clock_views(complaint: Complaint, cal: WorkCalendar, now=None) -> list[ClockView]:
    now = now or timezone.now()
    response = SlaClock.from_dict(complaint.response_clock) if complaint.response_clock else None
    resolution = SlaClock.from_dict(complaint.resolution_clock) if complaint.resolution_clock else None
    views = [
        _view("response", pgettext("complaint clock", "First response"), response, cal, now),
        _view("resolution", pgettext("complaint clock", "Resolution"), resolution, cal, now),
    ]
    return [v for v in views if v is not None]


# ------------------------------------------------------------------------------------------------------
# personal data in lists


def mask_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "*" * min(max(len(name) - 1, 1), 3)


def mask_contact(contact: str) -> str:
    contact = (contact or "").strip()
    if not contact:
        return ""
    if "@" in contact:
        local, _sep, domain = contact.partition("@")
        return f"{local[:1]}***@{domain}"
    if len(contact) <= 4:
        return "*" * len(contact)
    keep = 3 if len(contact) >= 11 else 1
    return contact[:keep] + "*" * (len(contact) - keep - 4) + contact[-4:]


# ------------------------------------------------------------------------------------------------------
# CCP 9: serious complaints per 100 meetings


@dataclass(frozen=True)
class SeriousRate:
    start: dt.date
    end: dt.date
    meetings: int
    serious: int
    rate: Decimal | None
    rule: object | None
    passed: bool | None


def _serious_keys_by_version(project_rows) -> dict[int, str | None]:
    from huiyi.rulebook.models import RulebookVersion

    keys = {}
    for version in RulebookVersion.objects.filter(pk__in={r for _p, r in project_rows}):
        keys[version.pk] = sla.serious_key(rulebook_of(version))
    return keys


def serious_rate(start: dt.date, end: dt.date, *, user=None) -> SeriousRate:
    """Serious complaints per 100 meetings held (started) from ``start`` to ``end`` inclusive, in-scope
    meetings only (§1.2(3)); a complaint counts with its meeting. ``user`` limits to what they see."""
    from huiyi.rulebook.services import active_rulebook

    zone = timezone.get_current_timezone()
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    projects = visible_projects(user) if user is not None else MeetingProject.objects.all()
    rows = list(
        projects.filter(out_of_scope="", start__gte=lo, start__lt=hi).values_list("pk", "rulebook_version_id")
    )
    keys = _serious_keys_by_version(rows)
    serious_filter = Q()
    by_version: dict[int, list[int]] = {}
    for pk, version in rows:
        by_version.setdefault(version, []).append(pk)
    for version, pks in by_version.items():
        if keys.get(version):
            serious_filter |= Q(project_id__in=pks, severity=keys[version])
    serious = Complaint.objects.filter(serious_filter).count() if serious_filter else 0
    meetings = len(rows)
    rate = (Decimal(serious) * MEETINGS_PER_UNIT / meetings).quantize(Decimal("0.01")) if meetings else None
    rulebook = active_rulebook()
    rule = next(iter(rulebook.rules_where(metric="serious_complaint_rate")), None)
    passed = rule.passes(rate) if rule is not None and rate is not None else None
    return SeriousRate(start, end, meetings, serious, rate, rule, passed)


def counts_by_status(complaints: QuerySet[Complaint]) -> dict[str, int]:
    return dict(complaints.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
