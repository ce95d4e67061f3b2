"""Object permissions of the preparation app (django-rules). Anything not granted here is denied.

Preparation records belong to a project: whoever may change the project manages them. Beyond that, a task's
owner may finish their task, a review step's reviewer (or a project member holding the department's role)
may record its outcome, and HR members of the project record training.
"""

import rules

from huiyi.core.rules import role_grants
from huiyi.projects.queries import can_see_project

#: Which project role answers for which department's review step (REQ-PRE-04).
DEPARTMENT_ROLES = {
    "administration": ("project_manager", "project_director"),
    "finance": ("finance",),
    "technology": ("technical_support",),
    "hr": ("hr",),
}


def _project(obj):
    return getattr(obj, "project", obj)


@rules.predicate
def sees(user, obj):
    return obj is not None and user.is_authenticated and can_see_project(user, _project(obj))


@rules.predicate
def manages(user, obj):
    return (
        obj is not None
        and user.is_authenticated
        and can_see_project(user, _project(obj))
        and "projects.change_meetingproject" in user.get_all_permissions()
    )


@rules.predicate
def owns_task(user, task):
    return task is not None and task.owner_id == user.pk


@rules.predicate
def answers_for_step(user, step):
    if step is None:
        return False
    if step.reviewer_id == user.pk:
        return True
    roles = DEPARTMENT_ROLES.get(step.department, ())
    return step.project.members.filter(user=user, role__key__in=roles).exists()


@rules.predicate
def is_project_hr(user, obj):
    return obj is not None and _project(obj).members.filter(user=user, role__key="hr").exists()


staff = rules.is_superuser | manages

rules.add_perm("preparation.view", rules.is_superuser | sees)
rules.add_perm("preparation.manage", staff)
rules.add_perm("preparation.complete_task", staff | (sees & owns_task))
rules.add_perm("preparation.review_step", staff | (sees & answers_for_step))
rules.add_perm("preparation.record_training", staff | (sees & is_project_hr))
rules.add_perm(
    "preparation.change_settings", rules.is_superuser | role_grants("preparation.change_preparationsettings")
)
