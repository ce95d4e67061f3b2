"""Who may do what with contracts (django-rules). Anything not granted here is denied.

Every permission is checked against the contract's project: a person must see the project, and either hold a
role that grants the Django permission (an administrator may add it to any role) or hold, on the project or
over its unit, one of the roles the standard names for the action (project director and project manager
approve changes; the account manager also keeps the contract and records the client's word).
"""

import rules

from huiyi.accounts.models import OrgMembership
from huiyi.core.rules import role_grants
from huiyi.projects.models import MeetingProject, ProjectMember
from huiyi.projects.queries import can_see_project

APPROVER_ROLES = ("project_director", "project_manager")
KEEPER_ROLES = (*APPROVER_ROLES, "account_manager")


def project_of(obj) -> MeetingProject | None:
    """The project a contract, change request, breach (or the project itself) belongs to."""
    if obj is None:
        return None
    if isinstance(obj, MeetingProject):
        return obj
    contract = getattr(obj, "contract", None)
    if contract is not None:
        return contract.project
    return getattr(obj, "project", None)


def holds_role(user, project: MeetingProject, keys) -> bool:
    if not user.is_authenticated:
        return False
    if ProjectMember.objects.filter(project=project, user=user, role__key__in=keys).exists():
        return True
    unit_paths = OrgMembership.objects.filter(user=user, role__key__in=keys).values_list(
        "org_unit__path", flat=True
    )
    return any(project.org_unit.path.startswith(path) for path in unit_paths)


@rules.predicate
def sees_project(user, obj):
    project = project_of(obj)
    return project is not None and can_see_project(user, project)


def _holds(keys, name):
    @rules.predicate(name=name)
    def predicate(user, obj):
        project = project_of(obj)
        return project is not None and holds_role(user, project, keys)

    return predicate


is_keeper = _holds(KEEPER_ROLES, "is_contract_keeper")
is_approver = _holds(APPROVER_ROLES, "is_change_approver")

rules.add_perm("contracts.view_contract", rules.is_superuser | sees_project)
rules.add_perm(
    "contracts.change_contract",
    rules.is_superuser | (sees_project & (role_grants("contracts.change_contract") | is_keeper)),
)
rules.add_perm(
    "contracts.delete_contract",
    rules.is_superuser | (sees_project & (role_grants("contracts.delete_contract") | is_approver)),
)
rules.add_perm(
    "contracts.approve_changerequest",
    rules.is_superuser | (sees_project & (role_grants("contracts.approve_changerequest") | is_approver)),
)
