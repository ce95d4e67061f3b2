"""Object permissions of inspections (django-rules). Anything not granted here is denied.

Everything is over one project and only for people who see it. Readings and rounds: roles granted
``inspections.add_reading``; set-up and tear-down times: ``inspections.add_sitemilestone``; seeing the
inspection pages: ``inspections.view_inspectionround``. Every member of the day's staff checks themselves in
at the roll-call; a lead (``inspections.check_in_staff``) checks others in.
"""

import rules

from huiyi.core.rules import role_grants
from huiyi.projects.queries import can_see_project

from . import queries


def _project(obj):
    return getattr(obj, "project", obj)


@rules.predicate
def sees(user, obj):
    return obj is not None and user.is_authenticated and can_see_project(user, _project(obj))


@rules.predicate
def on_roster(user, obj):
    return obj is not None and queries.roles_on_day(_project(obj), user) is not None


viewer = sees & role_grants("inspections.view_inspectionround")
recorder = sees & role_grants("inspections.add_reading")
lead = sees & role_grants("inspections.check_in_staff")

rules.add_perm("inspections.view", rules.is_superuser | viewer | recorder)
rules.add_perm("inspections.record", rules.is_superuser | recorder)
rules.add_perm(
    "inspections.record_milestone", rules.is_superuser | (sees & role_grants("inspections.add_sitemilestone"))
)
rules.add_perm("inspections.roll_call_self", rules.is_superuser | (sees & on_roster))
rules.add_perm("inspections.roll_call_others", rules.is_superuser | lead)
rules.add_perm("inspections.view_roll_call", rules.is_superuser | viewer | lead | (sees & on_roster))
