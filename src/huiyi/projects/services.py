"""State changes of meeting projects: one function per business action, in a transaction."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyi.core.audit import record_event
from huiyi.rulebook import services as rulebook

from .models import MeetingProject, MeetingType, Phase, PhaseClosure, ProjectMember

# REQ-GEN-01 (§1.2): the meeting types the specification names; an administrator may edit the list.
MEETING_TYPES = [
    ("board", "董事会", "Board meeting"),
    ("supervisory_board", "监事会", "Supervisory board meeting"),
    ("shareholders", "股东会", "Shareholders' meeting"),
    ("annual", "年度会议", "Annual meeting"),
    ("seminar", "专题研讨会", "Seminar"),
    ("internal_training", "内部培训会议", "Internal training"),
    ("external_negotiation", "外部合作洽谈会", "External cooperation negotiation"),
    ("academic_conference", "学术会议", "Academic conference"),
    ("business_meeting", "商务会议", "Business meeting"),
]


CODE_PREFIX = "HY"
CODE_ATTEMPTS = 5


def next_project_code(year: int | None = None) -> str:
    """HY-<year>-<n>, one more than the highest number used this year."""
    year = year or timezone.localdate().year
    prefix = f"{CODE_PREFIX}-{year}-"
    numbers = [
        int(code.removeprefix(prefix))
        for code in MeetingProject.objects.filter(code__startswith=prefix).values_list("code", flat=True)
        if code.removeprefix(prefix).isdigit()
    ]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def create_project(*, created_by=None, members: list[tuple] = (), **fields) -> MeetingProject:
    """Create a meeting project after validating it (end after start, known type, …).

    The project pins the rulebook version active now; without a code it gets the next HY-<year>-<n>, retried
    when a concurrent creation took the same number (the unique constraint decides).
    """
    for attempt in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                values = dict(fields)
                values.setdefault("code", next_project_code())
                values.setdefault("rulebook_version", rulebook.active_version())
                project = MeetingProject(created_by=created_by, **values)
                project.full_clean()
                project.save()
                for user, role in members:
                    add_member(project, user, role)
                return project
        except IntegrityError:
            if "code" in fields or attempt == CODE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


@transaction.atomic
def update_project(project: MeetingProject, **changes) -> MeetingProject:
    """Change a project's basic information; validated like creation, audited by the trail."""
    for field, value in changes.items():
        setattr(project, field, value)
    project.full_clean()
    project.save()
    return project


@transaction.atomic
def add_member(project: MeetingProject, user, role) -> ProjectMember:
    member, _ = ProjectMember.objects.get_or_create(project=project, user=user, role=role)
    return member


def ensure_default_meeting_types() -> None:
    """Create the meeting types of REQ-GEN-01 that are missing; an administrator's edits are kept."""
    for position, (key, zh, en) in enumerate(MEETING_TYPES, start=1):
        MeetingType.objects.get_or_create(
            key=key, defaults={"name": {"zh-hans": zh, "en": en}, "position": position}
        )


class PhaseNotReady(ValidationError):
    pass


@transaction.atomic
def close_phase(project: MeetingProject, *, by, override_reason: str = "") -> PhaseClosure:
    """Close the project's current phase and move to the next (REQ-QLT-01).

    A phase closes only when its outputs exist and its control points are evaluated; otherwise the project
    director may override with a reason (audited with what was missing).
    """
    from .phases import readiness

    project = MeetingProject.objects.select_for_update().get(pk=project.pk)
    if project.closed_at:
        raise ValidationError(_("This project is closed."))
    state = readiness(project)
    override_reason = override_reason.strip()
    if not state.ready:
        if not override_reason:
            raise PhaseNotReady(
                _("The phase cannot close yet: outputs are missing or control points are not evaluated.")
            )
        if not (
            by.is_superuser
            or project.members.filter(user=by, role__key="project_director").exists()
            or by.memberships.filter(role__key="project_director", role__sees_unit_projects=True).exists()
        ):
            raise PermissionDenied(_("Only the project director may close a phase that is not ready."))
    closure = PhaseClosure.objects.create(
        project=project,
        phase=project.phase,
        closed_by=by,
        override_reason=override_reason,
        missing=state.missing_summary() if not state.ready else {},
    )
    if project.phase < Phase.IMPROVEMENT:
        project.phase += 1
    else:
        project.closed_at = timezone.now()
    project.save(update_fields=["phase", "closed_at", "updated_at"])
    if override_reason:
        record_event(project, by, {"phase_override": [state.missing_summary(), override_reason]})
    return closure


@transaction.atomic
def remove_member(member: ProjectMember) -> None:
    member.delete()
