"""Reads of the SOP library and the quarterly meeting check (REQ-QLT-10)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Max, OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone

from huiyi.rulebook.loader import Rulebook
from huiyi.rulebook.services import active_rulebook

from .models import OptimisationMeeting, Procedure, ProcedureVersion

MEETING_RULE = "qlt.sop.optimisation_meeting_interval"


def procedures(*, active_only: bool = False) -> QuerySet[Procedure]:
    latest = ProcedureVersion.objects.filter(procedure=OuterRef("pk")).order_by("-number")
    rows = Procedure.objects.select_related("owner_unit", "owner").annotate(
        version_count=Count("versions"),
        current_number=Subquery(latest.values("number")[:1]),
        current_effective=Subquery(latest.values("effective_from")[:1]),
        last_changed=Max("versions__approved_at"),
    )
    return rows.filter(is_active=True) if active_only else rows


def versions(procedure: Procedure) -> QuerySet[ProcedureVersion]:
    return procedure.versions.select_related("approved_by", "meeting").prefetch_related(
        Prefetch("improvement_actions")
    )


def meetings() -> QuerySet[OptimisationMeeting]:
    return OptimisationMeeting.objects.prefetch_related(
        "attendees", "versions__procedure", "improvement_actions"
    )


def months_between(start: dt.date, end: dt.date) -> Decimal:
    """Whole calendar months from ``start`` to ``end`` plus the fraction of the next month (2 decimals)."""
    delta = relativedelta(end, start)
    whole = delta.years * 12 + delta.months
    anchor = start + relativedelta(months=whole)
    following = start + relativedelta(months=whole + 1)
    fraction = Decimal((end - anchor).days) / Decimal((following - anchor).days)
    return (Decimal(whole) + fraction).quantize(Decimal("0.01"))


@dataclass
class MeetingStatus:
    """The quarterly process-optimisation meeting against ``qlt.sop.optimisation_meeting_interval``."""

    last: OptimisationMeeting | None
    months_since: Decimal | None
    limit: int | float | None
    due: dt.date | None
    overdue: bool
    previous_gap: Decimal | None  # months between the last two meetings
    previous_gap_ok: bool | None


def meeting_status(rulebook: Rulebook | None = None, today: dt.date | None = None) -> MeetingStatus:
    rulebook = rulebook or active_rulebook()
    today = today or timezone.localdate()
    limit = rulebook.value(MEETING_RULE) if MEETING_RULE in rulebook else None
    last_two = list(OptimisationMeeting.objects.order_by("-held_on", "-pk")[:2])
    last = last_two[0] if last_two else None
    if last is None:
        return MeetingStatus(None, None, limit, None, limit is not None, None, None)
    since = months_between(last.held_on, today)
    due = last.held_on + relativedelta(months=int(limit)) if limit is not None else None
    overdue = limit is not None and not rulebook.rule(MEETING_RULE).passes(since)
    gap = months_between(last_two[1].held_on, last.held_on) if len(last_two) == 2 else None
    gap_ok = rulebook.rule(MEETING_RULE).passes(gap) if gap is not None and limit is not None else None
    return MeetingStatus(last, since, limit, due, overdue, gap, gap_ok)
