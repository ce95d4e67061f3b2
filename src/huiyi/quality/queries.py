"""Reads of the quality records for views, the API and reports — always filtered to visible projects."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from huiyi.projects.queries import visible_projects

from .models import ControlPointResult, Nonconformance, Severity


def current_results(project) -> dict[str, ControlPointResult]:
    """The latest result per criterion (rule id) of ``project`` — one query."""
    rows = (
        ControlPointResult.objects.filter(project=project, is_current=True)
        .select_related("measured_by", "evaluated_by", "nonconformance")
        .order_by("control_point", "pk")
    )
    return {row.rule_id: row for row in rows}


def result_history(project, rule_id: str, limit: int = 20) -> QuerySet[ControlPointResult]:
    return ControlPointResult.objects.filter(project=project, rule_id=rule_id).select_related("evaluated_by")[
        :limit
    ]


def visible_nonconformances(user) -> QuerySet[Nonconformance]:
    """Nonconformances of the projects ``user`` may see (deny by default)."""
    return Nonconformance.objects.filter(project__in=visible_projects(user).values("pk")).select_related(
        "project", "owner"
    )


def live_nonconformances(project) -> QuerySet[Nonconformance]:
    return (
        Nonconformance.objects.filter(project=project)
        .exclude(status=Nonconformance.Status.CLOSED)
        .select_related("owner")
        .order_by("due_at", "pk")
    )


def filter_nonconformances(
    queryset: QuerySet[Nonconformance], *, status="", severity="", project="", overdue=False
) -> QuerySet[Nonconformance]:
    if status in Nonconformance.Status.values:
        queryset = queryset.filter(status=status)
    elif status == "live":
        queryset = queryset.exclude(status=Nonconformance.Status.CLOSED)
    if severity in Severity.values:
        queryset = queryset.filter(severity=severity)
    if str(project).isdigit():
        queryset = queryset.filter(project_id=int(project))
    if overdue:
        queryset = queryset.exclude(status=Nonconformance.Status.CLOSED).filter(due_at__lt=timezone.now())
    return queryset
