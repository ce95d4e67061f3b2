"""State changes of meeting projects: one function per business action, in a transaction."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from huiyi.rulebook import services as rulebook

from .models import MeetingProject, MeetingType, ProjectMember

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
