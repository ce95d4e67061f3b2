"""Object permissions of the closing app (django-rules). Anything not granted here is denied.

A role grants the action (role_permissions.yaml); the object rule narrows it to the projects the person sees.

    closing.view              the closing page of a project (any closing view permission)
    closing.keep_site         lost and found, site check, archive checklist
    closing.settle            the settlement, its invoices, payments and disputes
    closing.view_settlement   reading the settlement
    closing.evaluate          the service evaluation form and goal attainment
    closing.report            generating a service summary report
    closing.view_reports      reading and downloading the reports
"""

import rules

from huiyi.core.rules import role_grants
from huiyi.projects.models import MeetingProject
from huiyi.projects.queries import can_see_project


def _project(obj):
    if isinstance(obj, MeetingProject):
        return obj
    if hasattr(obj, "settlement_id"):
        return obj.settlement.project
    return obj.project


@rules.predicate
def sees(user, obj):
    return obj is not None and user.is_authenticated and can_see_project(user, _project(obj))


def grants(*permissions):
    predicate = role_grants(permissions[0])
    for permission in permissions[1:]:
        predicate = predicate | role_grants(permission)
    return predicate


viewer = grants(
    "closing.view_lostitem",
    "closing.view_settlement",
    "closing.view_serviceevaluation",
    "closing.view_summaryreport",
)

rules.add_perm("closing.view", rules.is_superuser | (sees & viewer))
rules.add_perm("closing.view_site", rules.is_superuser | (sees & grants("closing.view_lostitem")))
rules.add_perm("closing.keep_site", rules.is_superuser | (sees & grants("closing.add_lostitem")))
rules.add_perm("closing.view_settlement", rules.is_superuser | (sees & grants("closing.view_settlement")))
rules.add_perm("closing.settle", rules.is_superuser | (sees & grants("closing.change_settlement")))
rules.add_perm(
    "closing.view_evaluation", rules.is_superuser | (sees & grants("closing.view_serviceevaluation"))
)
rules.add_perm("closing.evaluate", rules.is_superuser | (sees & grants("closing.change_serviceevaluation")))
rules.add_perm("closing.view_reports", rules.is_superuser | (sees & grants("closing.view_summaryreport")))
rules.add_perm("closing.report", rules.is_superuser | (sees & grants("closing.add_summaryreport")))
