"""Reads of meeting projects, always filtered to what the user may see (deny by default)."""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from huiyi.accounts.models import OrgMembership, OrgUnit

from .models import MeetingProject, Phase, ProjectMember

_UNITS_CACHE = "_huiyi_visible_unit_ids"
_SEEN_CACHE = "_huiyi_seen_projects"


def visible_unit_ids(user) -> list[int]:
    """Units whose projects the user sees through a role (with their sub-units); cached on the user object."""
    cached = getattr(user, _UNITS_CACHE, None)
    if cached is None:
        paths = list(
            OrgMembership.objects.filter(user=user, role__sees_unit_projects=True)
            .values_list("org_unit__path", flat=True)
            .distinct()
        )
        condition = Q()
        for path in paths:
            condition |= Q(path__startswith=path)
        cached = list(OrgUnit.objects.filter(condition).values_list("pk", flat=True)) if paths else []
        setattr(user, _UNITS_CACHE, cached)
    return cached


def visibility_filter(user) -> Q | None:
    """A Q selecting the projects `user` may see, or None for everything (superusers).

    Membership is a subquery and units an id list, so the filter needs no join and no DISTINCT: the list
    stays one indexed scan however many projects there are.
    """
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.is_superuser:
        return None
    condition = Q(pk__in=ProjectMember.objects.filter(user=user).values("project_id"))
    units = visible_unit_ids(user)
    if units:
        condition |= Q(org_unit_id__in=units)
    return condition


def visible_projects(user) -> QuerySet[MeetingProject]:
    condition = visibility_filter(user)
    projects = MeetingProject.objects.all()
    return projects if condition is None else projects.filter(condition)


def can_see_project(user, project: MeetingProject) -> bool:
    """Answered once per user object and project (permission checks repeat within one request)."""
    seen = getattr(user, _SEEN_CACHE, None)
    if seen is None:
        seen = {}
        setattr(user, _SEEN_CACHE, seen)
    if project.pk not in seen:
        seen[project.pk] = visible_projects(user).filter(pk=project.pk).exists()
    return seen[project.pk]


def projects_by_phase(user, *, in_scope_only: bool = True) -> list[dict]:
    projects = visible_projects(user).filter(closed_at__isnull=True)
    if in_scope_only:
        projects = projects.filter(out_of_scope="")
    counts = dict(projects.values_list("phase").annotate(n=Count("pk")).order_by())
    return [{"phase": phase, "label": phase.label, "count": counts.get(phase.value, 0)} for phase in Phase]


def project_list(user) -> QuerySet[MeetingProject]:
    return visible_projects(user).select_related("client", "org_unit", "meeting_type")


def units_for_new_projects(user) -> QuerySet[OrgUnit]:
    """Units a user may organise a new project in: the units (and sub-units) of their memberships."""
    if user.is_superuser:
        return OrgUnit.objects.filter(is_active=True)
    paths = list(OrgMembership.objects.filter(user=user).values_list("org_unit__path", flat=True).distinct())
    if not paths:
        return OrgUnit.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return OrgUnit.objects.filter(condition, is_active=True)


def clients_for_new_projects(user):
    from huiyi.clients.queries import visible_clients

    return visible_clients(user)


def green_measures_by_quarter(user) -> list[dict]:
    """Per quarter of the meeting's start: in-scope projects, and how many applied each green measure."""
    from .models import GreenMeasure

    rows: dict[tuple[int, int], dict] = {}
    projects = visible_projects(user).filter(out_of_scope="").values_list("start", "green_measures")
    for start, measures in projects:
        local = timezone.localtime(start)
        key = (local.year, (local.month - 1) // 3 + 1)
        row = rows.setdefault(
            key,
            {
                "year": key[0],
                "quarter": key[1],
                "projects": 0,
                "counts": dict.fromkeys(GreenMeasure.values, 0),
            },
        )
        row["projects"] += 1
        for measure in measures or []:
            if measure in row["counts"]:
                row["counts"][measure] += 1
    ordered = [rows[key] for key in sorted(rows, reverse=True)]
    for row in ordered:
        row["cells"] = [row["counts"][value] for value in GreenMeasure.values]
    return ordered
