"""Who may do what with plans (django-rules); objects are meeting projects. Anything not granted is denied.

- view: whoever sees the project.
- draft / send / archive: a role that changes projects (planner, project manager, director) or grants
  planning.change_planversion (for example the account manager, who confirms plans with the client).
- review: the project director, or a role granting planning.add_planreview.
"""

import rules

from huiyi.core.rules import role_grants
from huiyi.projects.rules import sees_project


@rules.predicate
def directs_projects(user):
    return user.is_authenticated and user.memberships.filter(role__key="project_director").exists()


rules.add_perm("planning.view_plan", rules.is_superuser | sees_project)
rules.add_perm(
    "planning.edit_plan",
    rules.is_superuser
    | (
        sees_project
        & (role_grants("projects.change_meetingproject") | role_grants("planning.change_planversion"))
    ),
)
rules.add_perm(
    "planning.review_plan",
    rules.is_superuser | (sees_project & (directs_projects | role_grants("planning.add_planreview"))),
)
