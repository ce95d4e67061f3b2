"""Object permissions of the improvement loop (django-rules). Anything not granted here is denied.

A role grants the action (role_permissions.yaml); the object rule narrows it to the projects the user sees.
An action's owner may move their own action forward (start it, mark it done) without managing the plan.
"""

import rules

from huiyi.core.rules import role_grants
from huiyi.projects.queries import can_see_project


def _project(obj):
    return getattr(obj, "project", obj)


@rules.predicate
def sees(user, obj):
    return obj is not None and user.is_authenticated and can_see_project(user, _project(obj))


@rules.predicate
def owns_action(user, obj):
    return obj is not None and getattr(obj, "owner_id", None) == user.pk


def _granted(permission: str):
    return rules.is_superuser | (sees & role_grants(permission))


rules.add_perm("improvement.view", _granted("improvement.view_improvementaction"))
rules.add_perm("improvement.analyse", _granted("improvement.change_feedbackanalysis"))
rules.add_perm("improvement.manage", _granted("improvement.change_improvementaction"))
rules.add_perm(
    "improvement.progress", _granted("improvement.change_improvementaction") | (sees & owns_action)
)
rules.add_perm("improvement.evaluate", _granted("improvement.evaluate_effect"))
rules.add_perm(
    "improvement.report",
    rules.is_superuser | role_grants("improvement.change_quarterlyreport"),
)
