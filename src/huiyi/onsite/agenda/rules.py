"""Object permissions of the live agenda (django-rules). Anything not granted here is denied.

A role grants the action (role_permissions.yaml); the object rule narrows it to the projects the user sees.
"""

import rules

from huiyi.core.rules import role_grants
from huiyi.projects.queries import can_see_project


def _project(obj):
    item = getattr(obj, "item", None)  # a Q&A answer belongs to its agenda item
    return getattr(item or obj, "project", item or obj)


@rules.predicate
def sees(user, obj):
    return obj is not None and user.is_authenticated and can_see_project(user, _project(obj))


def _granted(permission: str):
    return rules.is_superuser | (sees & role_grants(permission))


rules.add_perm("liveagenda.view", _granted("liveagenda.view_agendaitem"))
rules.add_perm("liveagenda.plan", _granted("liveagenda.change_agendaitem"))
rules.add_perm("liveagenda.control", _granted("liveagenda.control_agendaitem"))
rules.add_perm("liveagenda.report", _granted("liveagenda.add_progressreport"))
rules.add_perm("liveagenda.cover", _granted("liveagenda.change_coverageitem"))
rules.add_perm("liveagenda.plan_coverage", _granted("liveagenda.add_coverageitem"))
rules.add_perm("liveagenda.survey", _granted("liveagenda.add_satisfactionentry"))
rules.add_perm("liveagenda.settings", _granted("liveagenda.change_agendasettings"))
