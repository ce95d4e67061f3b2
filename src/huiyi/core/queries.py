"""Reads behind the dashboard and the audit pages."""

from datetime import timedelta

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone

from huiyi.projects import queries as project_queries
from huiyi.projects.models import Phase

UPCOMING_WINDOW = timedelta(days=30)


def dashboard(user) -> dict:
    now = timezone.now()
    projects = project_queries.project_list(user).filter(closed_at__isnull=True, out_of_scope="")
    by_phase = project_queries.projects_by_phase(user)
    upcoming = projects.filter(start__gte=now, start__lt=now + UPCOMING_WINDOW).order_by("start")[:10]
    running = projects.filter(start__lte=now, end__gte=now).order_by("end")[:10]
    awaiting_evaluation = projects.filter(end__lt=now, phase__lt=Phase.EVALUATION).order_by("end")[:10]
    mine = projects.filter(members__user=user).distinct().order_by("start")[:10]
    return {
        "by_phase": by_phase,
        "by_phase_chart": {
            "labels": [str(row["label"]) for row in by_phase],
            "counts": [row["count"] for row in by_phase],
        },
        "total_open": sum(row["count"] for row in by_phase),
        "upcoming": list(upcoming),
        "running": list(running),
        "awaiting_evaluation": list(awaiting_evaluation),
        "mine": list(mine),
        "upcoming_days": UPCOMING_WINDOW.days,
    }


def audit_entries(
    *, actor: str = "", model: str = "", action: str = "", text: str = "", since=None, until=None
) -> QuerySet[LogEntry]:
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-pk")
    if actor:
        entries = entries.filter(
            Q(actor__username__icontains=actor) | Q(actor__display_name__icontains=actor)
        )
    if model:
        app_label, _, model_name = model.partition(".")
        entries = entries.filter(content_type__app_label=app_label, content_type__model=model_name)
    if action != "" and action is not None:
        entries = entries.filter(action=int(action))
    if text:
        entries = entries.filter(Q(object_repr__icontains=text) | Q(object_pk=text))
    if since:
        entries = entries.filter(timestamp__date__gte=since)
    if until:
        entries = entries.filter(timestamp__date__lte=until)
    return entries


def audited_models() -> list[ContentType]:
    ids = LogEntry.objects.values_list("content_type", flat=True).distinct().order_by()
    return sorted(ContentType.objects.filter(pk__in=list(ids)), key=lambda ct: (ct.app_label, ct.model))


def object_history(instance) -> QuerySet[LogEntry]:
    return LogEntry.objects.get_for_object(instance).select_related("actor").order_by("-timestamp", "-pk")
