"""Object permissions of emergency preparedness (django-rules). Anything not granted here is denied.

A role grants the action (role_permissions.yaml); the object rule narrows it to the projects the user sees.
Organisation-wide risks (no project) are for whoever holds the risk permission. Notification channels are
configured by administrators (superusers, or a role granted ``core.change_channelconfig``); failed
deliveries are seen and retried by those granted ``core.view_delivery`` / ``core.change_delivery``.
"""

import rules

from huiyi.core.rules import role_grants
from huiyi.projects.queries import can_see_project


def _project(obj):
    return getattr(obj, "project", obj) if obj is not None else None


@rules.predicate
def sees(user, obj):
    if obj is None or not user.is_authenticated:
        return False
    project = _project(obj)
    return True if project is None else can_see_project(user, project)


def _granted(permission: str):
    return rules.is_superuser | (sees & role_grants(permission))


rules.add_perm("preparedness.view", _granted("preparedness.view_emergencyresource"))
rules.add_perm("preparedness.check_resources", _granted("preparedness.change_emergencyresource"))
rules.add_perm("preparedness.view_contacts", _granted("preparedness.view_emergencycontact"))
rules.add_perm("preparedness.edit_contacts", _granted("preparedness.change_emergencycontact"))
rules.add_perm("preparedness.distribute_contacts", _granted("preparedness.change_contactsheet"))
rules.add_perm("preparedness.view_risks", _granted("preparedness.view_risk"))
rules.add_perm("preparedness.create_risk", _granted("preparedness.add_risk"))
rules.add_perm("preparedness.edit_risk", _granted("preparedness.change_risk"))
rules.add_perm(
    "preparedness.change_support_desk", rules.is_superuser | role_grants("preparedness.change_supportdesk")
)
rules.add_perm(
    "preparedness.configure_channels", rules.is_superuser | role_grants("core.change_channelconfig")
)
rules.add_perm("preparedness.view_deliveries", rules.is_superuser | role_grants("core.view_delivery"))
rules.add_perm("preparedness.retry_deliveries", rules.is_superuser | role_grants("core.change_delivery"))
