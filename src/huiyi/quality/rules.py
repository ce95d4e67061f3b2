"""Object permissions of the quality system (django-rules). Anything not granted here is denied.

* ``quality.view_nonconformance`` (nc) — whoever may see the nonconformance's project;
* ``quality.manage_project_quality`` (project) — evaluate, enter measurements and open/work
  nonconformances: a project member whose role may change the project, or a quality officer / project
  director who sees the project through their unit;
* ``quality.change_nonconformance`` (nc) — whoever manages the project's quality, and the nonconformance's
  owner.
"""

import rules

from huiyi.accounts.models import OrgMembership
from huiyi.core.rules import role_grants
from huiyi.projects.rules import is_project_member, sees_project

#: Organisation roles that oversee quality across the projects of their units (REQ-QLT-07, §3.2).
QUALITY_ROLES = ("quality_officer", "project_director")


@rules.predicate
def holds_quality_role(user):
    return (
        user.is_authenticated
        and OrgMembership.objects.filter(user=user, role__key__in=QUALITY_ROLES).exists()
    )


manages_quality = (
    rules.is_superuser
    | (is_project_member & role_grants("projects.change_meetingproject"))
    | (sees_project & holds_quality_role)
)


@rules.predicate
def sees_nc_project(user, nc):
    return nc is not None and sees_project(user, nc.project)


@rules.predicate
def manages_nc_project(user, nc):
    return nc is not None and manages_quality.test(user, nc.project)


@rules.predicate
def owns_nc(user, nc):
    return (
        nc is not None and user.is_authenticated and nc.owner_id == user.pk and sees_project(user, nc.project)
    )


rules.add_perm("quality.view_nonconformance", rules.is_superuser | sees_nc_project)
rules.add_perm("quality.manage_project_quality", manages_quality)
rules.add_perm("quality.change_nonconformance", rules.is_superuser | manages_nc_project | owns_nc)
