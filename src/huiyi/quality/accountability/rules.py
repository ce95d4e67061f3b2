"""Object permissions of violation cases (django-rules). Anything not granted here is denied.

Seeing a case needs a role the rulebook names (``qlt.violation.visible_to``) over the case's unit, or being
the person concerned. A role's grants (``role_permissions.yaml``) then allow the steps; nobody sanctions or
decides the appeal of their own case; only the person concerned appeals.
"""

import rules

from huiyi.core.rules import role_grants

from . import queries


@rules.predicate
def oversees(user, violation):
    return violation is not None and user.is_authenticated and queries.oversees(user, violation)


@rules.predicate
def concerned(user, violation):
    return violation is not None and user.is_authenticated and violation.responsible_person_id == user.pk


@rules.predicate
def holds_overseeing_role(user):
    return user.is_authenticated and bool(queries.overseen_unit_paths(user))


rules.add_perm("accountability.view", rules.is_superuser | oversees | concerned)
rules.add_perm("accountability.report", rules.is_superuser | role_grants("accountability.add_violation"))
rules.add_perm(
    "accountability.investigate",
    rules.is_superuser | (oversees & role_grants("accountability.investigate_violation") & ~concerned),
)
rules.add_perm(
    "accountability.sanction",
    rules.is_superuser | (oversees & role_grants("accountability.sanction_violation") & ~concerned),
)
rules.add_perm("accountability.appeal", concerned)
rules.add_perm("accountability.dashboard", rules.is_superuser | holds_overseeing_role)
