"""Reads of the preparation app: bounded queries, filtered to what the user may see."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.utils import timezone

from huiyi.projects.queries import visible_projects

from .models import (
    AttendeeCommunication,
    ClientMessage,
    HostEvaluation,
    MaterialItem,
    ReviewStep,
    Task,
    TrainingAttendance,
    TrainingSession,
)


def project_tasks(project):
    """The execution plan of a project: its tasks in number order, with owner and finisher loaded."""
    return (
        Task.objects.filter(project=project).select_related("project", "owner", "done_by").order_by("number")
    )


def review_steps(project):
    return (
        ReviewStep.objects.filter(project=project).select_related("project", "reviewer").order_by("position")
    )


def trainings(project):
    attendances = TrainingAttendance.objects.select_related("user").order_by("user__username")
    return (
        TrainingSession.objects.filter(project=project)
        .prefetch_related(Prefetch("attendances", queryset=attendances))
        .order_by("held_at", "pk")
    )


def host_evaluations(project):
    return HostEvaluation.objects.filter(project=project).order_by("-created_at")


def materials(project):
    return MaterialItem.objects.filter(project=project).order_by("planned_delivery", "pk")


def client_messages(project):
    return (
        ClientMessage.objects.filter(project=project)
        .select_related("responded_by")
        .order_by("-received_at", "-pk")
    )


def attendee_communications(project):
    return AttendeeCommunication.objects.filter(project=project).order_by("planned_for", "pk")


def team(project):
    return project.members.select_related("user", "role").order_by("role__key", "user__username")


def unstaffed_roles(project, rulebook) -> list[tuple[str, int, int]]:
    """On-site roles of REQ-RES-03 held by fewer members than the rule's lower bound: (role, have, need)."""
    held = Counter(project.members.values_list("role__key", flat=True))
    missing = []
    for rule in rulebook.rules_where(kind="staffing"):
        if not rule.staff_role:
            continue
        need = rule.low if rule.low is not None else rule.value
        if need and held[rule.staff_role] < need:
            missing.append((rule.staff_role, held[rule.staff_role], int(need)))
    return missing


#: How many tasks the project page lists before pointing to the full task list (a page, not a rule).
SECTION_TASKS = 12


@dataclass
class PreparationOverview:
    """Everything the project section shows, loaded with a bounded number of queries."""

    tasks: list
    steps: list
    trainings: list
    host_evaluations: list
    materials: list
    messages: list
    attendee_communications: list
    now: object = field(default_factory=timezone.now)

    @property
    def overdue_tasks(self):
        return [t for t in self.tasks if t.is_overdue(self.now)]

    @property
    def open_tasks(self):
        return [t for t in self.tasks if not t.is_done]

    @property
    def shown_tasks(self):
        """The project page lists open tasks soonest due first, then the latest done (all: their page)."""
        open_first = sorted(self.open_tasks, key=lambda t: t.due)
        done = sorted((t for t in self.tasks if t.is_done), key=lambda t: t.done_at or t.due, reverse=True)
        return (open_first + done)[:SECTION_TASKS]

    @property
    def overdue_steps(self):
        return [s for s in self.steps if s.is_overdue(self.now)]

    @property
    def overdue_messages(self):
        return [m for m in self.messages if m.is_overdue(self.now)]


def overview(project) -> PreparationOverview:
    return PreparationOverview(
        tasks=list(project_tasks(project)),
        steps=list(review_steps(project)),
        trainings=list(trainings(project)),
        host_evaluations=list(host_evaluations(project)),
        materials=list(materials(project)),
        messages=list(client_messages(project)),
        attendee_communications=list(attendee_communications(project)),
    )


# -- what the reminder job looks at ----------------------------------------------------------------------


def tasks_to_remind(now, lead):
    """Open tasks due within ``lead`` or overdue, of projects not closed."""
    return (
        Task.objects.filter(status=Task.Status.OPEN, due__lte=now + lead, project__closed_at__isnull=True)
        .select_related("owner", "project")
        .order_by("due")
    )


def overdue_review_steps(now):
    return ReviewStep.objects.filter(
        started_at__isnull=False, completed_at__isnull=True, due__lt=now, project__closed_at__isnull=True
    ).select_related("project", "reviewer")


def overdue_client_messages(now):
    return ClientMessage.objects.filter(
        direction=ClientMessage.Direction.INCOMING,
        responded_at__isnull=True,
        respond_by__lt=now,
        project__closed_at__isnull=True,
    ).select_related("project")


def managers_of(project):
    """Team members who may change the project (project manager, director): they hear about overdue steps."""
    from huiyi.accounts.models import User

    return User.objects.filter(
        Q(project_memberships__project=project)
        & Q(project_memberships__role__key__in=("project_manager", "project_director")),
        is_active=True,
    ).distinct()


def visible_tasks(user):
    return Task.objects.filter(project__in=visible_projects(user))
