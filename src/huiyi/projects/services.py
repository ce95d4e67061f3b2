"""State changes of meeting projects: one function per business action, in a transaction."""

from django.db import transaction

from .models import MeetingProject, ProjectMember


@transaction.atomic
def create_project(*, created_by=None, members: list[tuple] = (), **fields) -> MeetingProject:
    """Create a meeting project after validating it (end after start, known type, …)."""
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
