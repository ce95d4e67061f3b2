"""Object permissions of intake (django-rules). Anything not granted here is denied."""

import rules

from huiyi.core.rules import role_grants
from huiyi.projects.rules import sees_project

from .queries import visible_inquiries


@rules.predicate
def sees_inquiry(user, inquiry):
    return inquiry is not None and visible_inquiries(user).filter(pk=inquiry.pk).exists()


@rules.predicate
def no_inquiry_or_sees_it(user, inquiry):
    return inquiry is None or visible_inquiries(user).filter(pk=inquiry.pk).exists()


@rules.predicate
def may_change_project(user, project):
    return project is not None and user.has_perm("projects.change_meetingproject", project)


# Model-level checks (no object) pass on the role alone; object checks also need the record to be visible.
rules.add_perm(
    "intake.view_inquiry",
    rules.is_superuser | (role_grants("intake.view_inquiry") & no_inquiry_or_sees_it),
)
rules.add_perm("intake.add_inquiry", rules.is_superuser | role_grants("intake.add_inquiry"))
rules.add_perm(
    "intake.change_inquiry", rules.is_superuser | (role_grants("intake.change_inquiry") & sees_inquiry)
)
# On a project: reading the requirements list is reading the project; editing it needs the intake grant or
# the right to change the project.
rules.add_perm("intake.view_requirementsrevision", rules.is_superuser | sees_project)
rules.add_perm(
    "intake.change_requirementsrevision",
    rules.is_superuser
    | (sees_project & (role_grants("intake.change_requirementsrevision") | may_change_project)),
)
rules.add_perm(
    "intake.add_discrepancy",
    rules.is_superuser | (sees_project & (role_grants("intake.add_discrepancy") | may_change_project)),
)
