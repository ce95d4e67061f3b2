"""Level suggestion (REQ-INC-01) and object permissions of incidents (django-rules).

Level suggestion
----------------
The rulebook describes the four levels (``inc.level.*``: I — casualties, major equipment destruction, key
person missing; II — minor injuries, general equipment failure, minor security event; III — individual
indisposition, small disruption; IV — someone lost) but has no table from type and impact to level. This
module keeps that small mapping; it is a *suggestion*, the site lead confirms or changes it (with a reason).

=================  ======  ========================================================================
type               base    raised by the impact flags
=================  ======  ========================================================================
equipment_failure  II      "general equipment failure"
fire, earthquake   II      injuries → I (casualties)
security           II      injuries → I
conflict, health   III     injuries → II; attendees affected / meeting interrupted → II
weather            III     attendees affected / meeting interrupted → II
missing_person     IV      meeting interrupted (a key person is missing) → I; attendees affected → III
other              IV      each flag raises one level, not above II
=================  ======  ========================================================================

In general: ``injuries`` makes the incident at least II (I for fire, earthquake and security events);
``attendees_affected`` and ``meeting_interrupted`` each raise one level but never above II on their own.

Permissions
-----------
A role grants the action (role_permissions.yaml); the object rule narrows it to projects the user sees.
Acknowledging a page and stopping a clock is reserved to the incident's command chain and the project
director (REQ-INC-03): :func:`can_act_on_timers`.
"""

import rules

from huiyi.core.rules import role_grants
from huiyi.projects.queries import can_see_project

from .models import LEVEL_RANK

_CODES = {rank: code for code, rank in LEVEL_RANK.items()}
#: Base level per incident type (documented above).
BASE_LEVEL = {
    "equipment_failure": "II",
    "fire": "II",
    "earthquake": "II",
    "security": "II",
    "conflict": "III",
    "health": "III",
    "weather": "III",
    "missing_person": "IV",
    "other": "IV",
}
#: Types whose injuries mean casualties (level I).
CASUALTY_TYPES = frozenset({"fire", "earthquake", "security"})
#: A flag alone never raises an incident above this rank.
FLAG_CEILING = LEVEL_RANK["II"]


def suggest_level(
    incident_type: str,
    *,
    injuries: bool = False,
    attendees_affected: bool = False,
    meeting_interrupted: bool = False,
) -> str:
    """The suggested level code ("I" … "IV") for a type and its initial impact flags."""
    rank = LEVEL_RANK[BASE_LEVEL.get(incident_type, "IV")]
    if incident_type == "missing_person" and meeting_interrupted:
        return "I"  # a key person is missing
    for flag in (attendees_affected, meeting_interrupted):
        if flag and rank > FLAG_CEILING:
            rank -= 1
    if injuries:
        rank = min(rank, LEVEL_RANK["I"] if incident_type in CASUALTY_TYPES else FLAG_CEILING)
    return _CODES[rank]


# -- permissions ---------------------------------------------------------------------------------------------


def _project(obj):
    incident = getattr(obj, "incident", None)
    return getattr(incident or obj, "project", incident or obj)


def _incident(obj):
    return getattr(obj, "incident", None) or obj


@rules.predicate
def sees(user, obj):
    return obj is not None and user.is_authenticated and can_see_project(user, _project(obj))


def is_project_director(user, project) -> bool:
    """A project director of the project: a member with the role, or holding it over the project's unit."""
    from huiyi.accounts.models import OrgMembership

    if not user.is_authenticated:
        return False
    if project.members.filter(user=user, role__key="project_director").exists():
        return True
    unit_path = project.org_unit.path
    return any(
        unit_path.startswith(path)
        for path in OrgMembership.objects.filter(user=user, role__key="project_director").values_list(
            "org_unit__path", flat=True
        )
    )


@rules.predicate
def in_chain(user, obj):
    incident = _incident(obj)
    return user.is_authenticated and incident.chain.filter(user=user).exists()


@rules.predicate
def directs_project(user, obj):
    return is_project_director(user, _project(obj))


def can_act_on_timers(user, incident) -> bool:
    """REQ-INC-03: only the command chain (or the project director) acknowledges pages and stops clocks."""
    return bool(
        user.is_authenticated
        and (user.is_superuser or in_chain(user, incident) or directs_project(user, incident))
    )


def _granted(permission: str):
    return rules.is_superuser | (sees & role_grants(permission))


rules.add_perm("incidents.view", _granted("incidents.view_incident"))
rules.add_perm("incidents.report", _granted("incidents.add_incident"))
rules.add_perm("incidents.manage", _granted("incidents.manage_incident"))
rules.add_perm(
    "incidents.respond", _granted("incidents.manage_incident") | (sees & (in_chain | directs_project))
)
rules.add_perm("incidents.plans", rules.is_superuser | role_grants("incidents.view_responseplan"))
rules.add_perm("incidents.review_plans", rules.is_superuser | role_grants("incidents.change_responseplan"))
