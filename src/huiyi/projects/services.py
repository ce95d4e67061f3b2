"""State changes of meeting projects: one function per business action, in a transaction."""

from django.db import transaction

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


@transaction.atomic
def create_project(*, created_by=None, members: list[tuple] = (), **fields) -> MeetingProject:
    """Create a meeting project after validating it (end after start, known type, …)."""
    fields.setdefault("rulebook_version", rulebook.active_version())
    project = MeetingProject(created_by=created_by, **fields)
    project.full_clean()
    project.save()
    for user, role in members:
        add_member(project, user, role)
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
