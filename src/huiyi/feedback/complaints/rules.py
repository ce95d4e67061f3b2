"""Object permissions of complaints (django-rules). Anything not granted here is denied.

A role grants the action (``role_permissions.yaml``); the object rule narrows it to the projects the user
sees. A complaint's owner may work it (respond, pause, resume, resolve) whatever their role.
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
def owns(user, obj):
    return obj is not None and getattr(obj, "owner_id", None) == user.pk


viewer = sees & role_grants("complaints.view_complaint")

rules.add_perm("complaints.view", rules.is_superuser | viewer | (sees & owns))
rules.add_perm("complaints.add", rules.is_superuser | (sees & role_grants("complaints.add_complaint")))
rules.add_perm(
    "complaints.handle", rules.is_superuser | (sees & (role_grants("complaints.change_complaint") | owns))
)
rules.add_perm("complaints.close", rules.is_superuser | (sees & role_grants("complaints.close_complaint")))
rules.add_perm(
    "complaints.escalate", rules.is_superuser | (sees & (role_grants("complaints.escalate_complaint") | owns))
)
rules.add_perm(
    "complaints.raise_nc", rules.is_superuser | (sees & role_grants("complaints.raise_nonconformance"))
)
rules.add_perm(
    "complaints.manage_links", rules.is_superuser | (sees & role_grants("complaints.manage_complaint_links"))
)
rules.add_perm("complaints.dashboard", rules.is_superuser | role_grants("complaints.view_complaint"))
