"""Object permissions on meeting projects (django-rules). Anything not granted here is denied."""

import rules

from huiyi.core.rules import role_grants

from .queries import can_see_project


@rules.predicate
def sees_project(user, project):
    return project is not None and can_see_project(user, project)


@rules.predicate
def is_project_member(user, project):
    return project is not None and project.members.filter(user=user).exists()


rules.add_perm("projects.view_meetingproject", rules.is_superuser | sees_project)
# Changing a project: a role that may change projects, over a project the user sees (as a member, or through
# a role over its unit such as the project director's).
rules.add_perm(
    "projects.change_meetingproject",
    rules.is_superuser | (sees_project & role_grants("projects.change_meetingproject")),
)
