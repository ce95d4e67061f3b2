"""Reads of the improvement loop for pages, API, reports and metrics."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from huiyi.accounts.models import OrgUnit
from huiyi.projects.queries import visible_projects
from huiyi.quality import formulas

from .models import AnalysisIssue, FeedbackAnalysis, ImprovementAction, QuarterlyReport

Status = ImprovementAction.Status


def analysis_of(project) -> FeedbackAnalysis | None:
    return FeedbackAnalysis.objects.filter(project=project).first()


def actions_of(project) -> QuerySet[ImprovementAction]:
    return (
        ImprovementAction.objects.filter(project=project)
        .select_related("owner", "project")
        .prefetch_related("nonconformances")
        .order_by("number")
    )


@dataclass
class Completion:
    """Completion of the improvement plan (REQ-FBK-04): done / all, with the rulebook formula's function."""

    total: int = 0
    done: int = 0
    evaluated: int = 0
    in_progress: int = 0
    planned: int = 0
    overdue: int = 0
    effect_overdue: int = 0
    rate: Decimal | None = None
    by_status: dict = field(default_factory=dict)


def completion(actions, *, today: dt.date | None = None, now: dt.datetime | None = None) -> Completion:
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    result = Completion()
    for item in actions:
        result.total += 1
        if item.status == Status.DONE:
            result.done += 1
        elif item.status == Status.EFFECT_EVALUATED:
            result.done += 1
            result.evaluated += 1
        elif item.status == Status.IN_PROGRESS:
            result.in_progress += 1
        else:
            result.planned += 1
        result.overdue += item.is_overdue(today)
        result.effect_overdue += item.effect_overdue(now)
    result.rate = formulas.completion_rate(result.done, result.total, empty=None)
    return result


def issue_counts(analysis: FeedbackAnalysis | None) -> dict:
    """Issues found = found on the spot + reported by the client (REQ-QLT-11)."""
    if analysis is None:
        return {"on_spot": 0, "client": 0, "total": 0, "by_source": {}}
    by_source = dict(analysis.issues.values_list("source").annotate(n=Count("pk")).order_by())
    on_spot = sum(by_source.get(s, 0) for s in AnalysisIssue.ON_SPOT_SOURCES)
    client = sum(by_source.get(s, 0) for s in AnalysisIssue.CLIENT_SOURCES)
    return {"on_spot": on_spot, "client": client, "total": on_spot + client, "by_source": by_source}


# -- the organisation view -------------------------------------------------------------------------------


def visible_actions(user) -> QuerySet[ImprovementAction]:
    return ImprovementAction.objects.filter(project__in=visible_projects(user)).select_related(
        "project", "owner", "project__org_unit"
    )


def in_unit(queryset, unit: OrgUnit | None, prefix: str = "project__org_unit"):
    """Narrow to a unit and its sub-units."""
    if unit is None:
        return queryset
    return queryset.filter(**{f"{prefix}__path__startswith": unit.path})


def filter_actions(
    queryset,
    *,
    unit: OrgUnit | None = None,
    status: str = "",
    overdue: bool = False,
    owner=None,
    project=None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    today: dt.date | None = None,
):
    today = today or timezone.localdate()
    queryset = in_unit(queryset, unit)
    if status:
        queryset = queryset.filter(status=status)
    if overdue:
        queryset = queryset.filter(
            Q(status__in=ImprovementAction.OPEN_STATUSES, deadline__lt=today)
            | Q(status=Status.DONE, effect_due__lt=timezone.now())
        )
    if owner is not None:
        queryset = queryset.filter(owner=owner)
    if project is not None:
        queryset = queryset.filter(project=project)
    if since is not None or until is not None:
        queryset = in_period(queryset, since, until)
    return queryset.order_by("deadline", "project__code", "number")


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """First and last day of a calendar quarter."""
    first = dt.date(year, 3 * (quarter - 1) + 1, 1)
    following = dt.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)
    return first, following - dt.timedelta(days=1)


def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def in_period(queryset, since: dt.date | None, until: dt.date | None):
    """Actions alive in the period: planned before its end, and not closed before its start."""
    if until is not None:
        queryset = queryset.filter(created_at__date__lte=until)
    if since is not None:
        queryset = queryset.filter(
            Q(status__in=ImprovementAction.OPEN_STATUSES)
            | Q(deadline__gte=since)
            | Q(done_at__date__gte=since)
            | Q(effect_evaluated_at__date__gte=since)
        )
    return queryset


def quarter_actions(user, unit: OrgUnit | None, year: int, quarter: int):
    since, until = quarter_bounds(year, quarter)
    return filter_actions(visible_actions(user), unit=unit, since=since, until=until)


def report_for(unit: OrgUnit | None, year: int, quarter: int) -> QuarterlyReport | None:
    if unit is None:
        return None
    return (
        QuarterlyReport.objects.filter(org_unit=unit, year=year, quarter=quarter)
        .select_related("owner")
        .first()
    )


def reports_covering(unit: OrgUnit) -> QuerySet[QuarterlyReport]:
    """Submitted reports of the unit or of a unit above it (a company report covers its departments)."""
    ancestors = [p for p in unit.path.strip("/").split("/") if p]
    return QuarterlyReport.objects.filter(
        status=QuarterlyReport.Status.SUBMITTED, org_unit__code__in=ancestors
    ).order_by("-submitted_at")


def units_for(user) -> QuerySet[OrgUnit]:
    """Units to filter by: those of the projects the user sees, and the units above them."""
    paths = set(visible_projects(user).values_list("org_unit__path", flat=True).distinct())
    codes = {code for path in paths if path for code in path.strip("/").split("/")}
    return OrgUnit.objects.filter(code__in=codes).order_by("path")
