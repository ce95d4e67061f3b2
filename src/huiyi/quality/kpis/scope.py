"""Which meeting projects a KPI scope counts (REQ-GEN-02: out-of-scope meetings are not measured)."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from huiyi.projects.models import MeetingProject


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def projects_in_scope(scope) -> QuerySet[MeetingProject]:
    """Projects starting in [scope.start, scope.end), in scope of the standard, visible to ``scope.user``."""
    if scope.user is not None:
        from huiyi.projects.queries import visible_projects

        projects = visible_projects(scope.user)
    else:
        projects = MeetingProject.objects.all()
    projects = projects.filter(out_of_scope="", start__gte=_aware(scope.start), start__lt=_aware(scope.end))
    if scope.org_unit_ids is not None:
        projects = projects.filter(org_unit_id__in=scope.org_unit_ids)
    if scope.client_id is not None:
        projects = projects.filter(client_id=scope.client_id)
    if scope.meeting_type_id is not None:
        projects = projects.filter(meeting_type_id=scope.meeting_type_id)
    return projects
