"""Reads of inquiries, key steps and requirements lists, filtered to what the user may see."""

from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet

from huiyi.projects.queries import visible_projects

from .models import Discrepancy, Inquiry, KeyStep, RequirementItem, RequirementsRevision


def current_revision(project) -> RequirementsRevision | None:
    """The newest revision of the project's requirements list (with its items), or None."""
    return (
        RequirementsRevision.objects.filter(project=project)
        .prefetch_related(Prefetch("items", queryset=RequirementItem.objects.order_by("pk")))
        .order_by("-number")
        .first()
    )


def confirmed_revision(project) -> RequirementsRevision | None:
    """The newest revision the client confirmed, or None."""
    return (
        RequirementsRevision.objects.filter(project=project, status=RequirementsRevision.Status.CONFIRMED)
        .prefetch_related(Prefetch("items", queryset=RequirementItem.objects.order_by("pk")))
        .order_by("-number")
        .first()
    )


def client_budget(project) -> Decimal | None:
    """The client's fixed budget (REQ-INT-06) from the current requirements list, or None if not given."""
    return (
        RequirementsRevision.objects.filter(project=project)
        .order_by("-number")
        .values_list("budget", flat=True)
        .first()
    )


def key_steps(project) -> list[KeyStep]:
    return list(KeyStep.objects.filter(project=project).select_related("completed_by").order_by("due_at"))


def visible_inquiries(user) -> QuerySet[Inquiry]:
    """Inquiries the user took, of units whose projects they see, or linked to a project they see."""
    inquiries = Inquiry.objects.select_related("client", "account_manager", "project", "org_unit")
    if user.is_superuser:
        return inquiries
    if not user.is_authenticated or not user.is_active:
        return inquiries.none()
    from huiyi.accounts.models import OrgMembership

    paths = OrgMembership.objects.filter(user=user, role__sees_unit_projects=True).values_list(
        "org_unit__path", flat=True
    )
    condition = Q(account_manager=user) | Q(created_by=user) | Q(project__in=visible_projects(user))
    for path in set(paths):
        condition |= Q(org_unit__path__startswith=path)
    return inquiries.filter(condition)


def discrepancies(project) -> QuerySet[Discrepancy]:
    return (
        Discrepancy.objects.filter(revision__project=project)
        .select_related("found_by", "revision")
        .order_by("-found_at")
    )


def overdue_key_steps(now) -> QuerySet[KeyStep]:
    """Open key steps past their due time whose account manager has not been told yet."""
    return KeyStep.objects.filter(
        completed_at__isnull=True, due_at__lt=now, overdue_notified_at__isnull=True
    ).select_related("project")


def rulebook_of_inquiry(inquiry):
    from huiyi.rulebook.services import active_rulebook, rulebook_for

    return rulebook_for(inquiry.project) if inquiry.project_id else active_rulebook()


def _clock(taken) -> str:
    """A measured duration as m:ss (steps take minutes; seconds matter near a limit)."""
    seconds = int(taken.total_seconds())
    return f"{seconds // 60}:{seconds % 60:02d}"


def contact_step_timings(inquiry, rulebook=None) -> list[dict]:
    """Each initial-contact step with the time it took (from timestamps) against its rule (REQ-INT-01)."""
    from huiyi.rulebook.display import format_value

    from .clocks import CONTACT_STEP_RULES, rule_limit
    from .services import CONTACT_STEPS, STEP_FIELDS

    rulebook = rulebook or rulebook_of_inquiry(inquiry)
    rows, previous = [], inquiry.received_at
    for step in CONTACT_STEPS:
        rule = rulebook.rule(CONTACT_STEP_RULES[step])
        done_at = getattr(inquiry, STEP_FIELDS[step])
        taken = (done_at - previous) if done_at and previous else None
        rows.append(
            {
                "key": step,
                "rule": rule,
                "name": rule.name.as_dict(),
                "limit": format_value(rule),
                "done_at": done_at,
                "taken": taken,
                "minutes": None if taken is None else round(taken.total_seconds() / 60, 1),
                "clock": None if taken is None else _clock(taken),
                "within": None if taken is None else taken <= rule_limit(rule),
            }
        )
        previous = done_at
    return rows


def key_step_rows(project, now) -> list[dict]:
    """The key-step clocks of a project with their state for the timeline (REQ-INT-02)."""
    from huiyi.rulebook.display import format_value
    from huiyi.rulebook.services import rulebook_for

    from .clocks import KEY_STEP_RULES

    rulebook = rulebook_for(project)
    rows = []
    for step in key_steps(project):
        rule = rulebook.rule(KEY_STEP_RULES[step.key])
        if step.completed_at:
            state = "late" if step.completed_at > step.due_at else "done"
        else:
            state = "overdue" if now > step.due_at else "open"
        rows.append(
            {
                "step": step,
                "name": rule.name.as_dict(),
                "limit": format_value(rule),
                "state": state,
                "remaining": step.due_at - now if state == "open" else None,
            }
        )
    return rows
