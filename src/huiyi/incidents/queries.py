"""Reads of incidents for pages, API and reports — always narrowed to the projects the user sees."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from huiyi.projects.models import MeetingProject
from huiyi.projects.queries import visibility_filter
from huiyi.rulebook.services import rulebook_for

from . import clocks
from .models import ChainStep, Drill, Incident, PlanReview, ResponsePlan


def visible_incidents(user) -> QuerySet[Incident]:
    incidents = Incident.objects.select_related("project", "reporter", "equipment")
    condition = visibility_filter(user)
    if condition is None:
        return incidents
    return incidents.filter(project__in=MeetingProject.objects.filter(condition))


def filtered(incidents: QuerySet[Incident], params) -> QuerySet[Incident]:
    """Filters of the lists and the API: ``status`` (open = not closed), ``level``, ``type``, ``drill``,
    ``project``."""
    status = params.get("status") or ""
    if status == "open":
        incidents = incidents.exclude(status=Incident.Status.CLOSED)
    elif status in Incident.Status.values:
        incidents = incidents.filter(status=status)
    level = params.get("level") or ""
    if level in ("I", "II", "III", "IV"):
        incidents = incidents.filter(level=level)
    kind = params.get("type") or ""
    if kind:
        incidents = incidents.filter(type=kind)
    drill = (params.get("drill") or "").lower()
    if drill in ("1", "true", "yes"):
        incidents = incidents.filter(is_drill=True)
    elif drill in ("0", "false", "no"):
        incidents = incidents.filter(is_drill=False)
    project = params.get("project") or ""
    if str(project).isdigit():
        incidents = incidents.filter(project_id=int(project))
    return incidents


def open_incidents(project) -> QuerySet[Incident]:
    return (
        Incident.objects.filter(project=project)
        .exclude(status=Incident.Status.CLOSED)
        .prefetch_related("chain")
        .order_by("-reported_at")
    )


@dataclass
class IncidentBoard:
    incident: Incident
    clocks: list
    chain: list
    tasks: list
    timeline: list
    releases: list
    reviews: list

    @property
    def tasks_done(self) -> int:
        return sum(1 for t in self.tasks if t.done_at)


def board(incident: Incident, now=None) -> IncidentBoard:
    now = now or timezone.now()
    rulebook = rulebook_for(incident.project)
    return IncidentBoard(
        incident=incident,
        clocks=clocks.incident_clocks(incident, rulebook, now),
        chain=list(incident.chain.select_related("user", "acknowledged_by").order_by("position")),
        tasks=list(incident.tasks.select_related("done_by").order_by("position")),
        timeline=list(incident.timeline.select_related("actor").order_by("at", "pk")),
        releases=list(incident.releases.select_related("released_by").order_by("released_at", "pk")),
        reviews=list(incident.plan_reviews.select_related("plan")),
    )


def clocks_of(incident: Incident, now=None) -> list:
    return clocks.incident_clocks(incident, rulebook_for(incident.project), now)


def role_names(project) -> dict[str, str]:
    from huiyi.rulebook.display import text

    rulebook = rulebook_for(project)
    return {key: text(role.name) for key, role in rulebook.roles.items()}


def place_suggestions(project) -> list[str]:
    """The venue and the rooms booked for the project: the report form's place is prefilled from these."""
    from huiyi.resources.models import Booking

    places = []
    if project.venue_name:
        places.append(project.venue_name)
    rooms = (
        Booking.objects.filter(project=project, room__isnull=False)
        .select_related("room__venue")
        .order_by("starts_at")
    )
    for booking in rooms:
        places.append(str(booking.room))
    return list(dict.fromkeys(places))


def project_equipment(project):
    """Devices booked for the project (the equipment-failure report names one)."""
    from huiyi.resources.models import Equipment

    return Equipment.objects.filter(bookings__project=project).distinct().order_by("category", "name")


def plans_with_review_state(now=None) -> list[tuple[ResponsePlan, object, bool]]:
    """Every plan with its next review date and whether it is overdue (REQ-INC-06, at least yearly)."""
    from huiyi.rulebook.services import active_rulebook

    from .services import ensure_default_plans, review_due

    now = now or timezone.now()
    rulebook = active_rulebook()
    ensure_default_plans()
    rows = []
    plans = ResponsePlan.objects.annotate(
        open_reviews=Count("reviews", filter=Q(reviews__status=PlanReview.Status.OPEN))
    ).order_by("incident_type")
    for plan in plans:
        due = review_due(plan, rulebook)
        rows.append((plan, due, due < now))
    return rows


def drills(user) -> QuerySet[Drill]:
    condition = visibility_filter(user)
    drills = Drill.objects.select_related("project", "incident")
    if condition is not None:
        drills = drills.filter(project__in=MeetingProject.objects.filter(condition))
    return drills.order_by("-scheduled_at", "-pk")


def red_steps(incident: Incident) -> int:
    return incident.chain.filter(state__in=[ChainStep.State.ESCALATED, ChainStep.State.SKIPPED]).count()
