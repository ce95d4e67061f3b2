"""Object permissions of people (django-rules). Anything not granted here is denied.

HR and the quality officer (``people.view_staffprofile`` through their roles) see and manage everyone; a
manager (``people.view_unit_staff``) sees the staff of their units and sub-units; everyone sees their own
profile, training and reviews, and acknowledges their own reviews.
"""

import rules

from huiyi.core.rules import role_grants

from . import queries


def _user(obj):
    """The person a profile, review or user object is about."""
    for name in ("subject", "user"):
        person = getattr(obj, name, None)
        if person is not None and hasattr(person, "username"):
            return person
    return obj


@rules.predicate
def is_self(user, obj):
    return obj is not None and user.is_authenticated and _user(obj).pk == user.pk


@rules.predicate
def in_my_units(user, obj):
    return obj is not None and user.is_authenticated and queries.in_units_of(user, _user(obj))


@rules.predicate
def is_reviewer(user, obj):
    return obj is not None and getattr(obj, "reviewer_id", None) == user.pk


org_wide = role_grants("people.view_staffprofile")
manager = role_grants("people.view_unit_staff") & in_my_units

rules.add_perm("people.list", rules.is_superuser | org_wide | role_grants("people.view_unit_staff"))
rules.add_perm("people.view", rules.is_superuser | org_wide | is_self | manager)
rules.add_perm("people.edit", rules.is_superuser | role_grants("people.change_staffprofile"))
rules.add_perm("people.manage_training", rules.is_superuser | role_grants("people.add_modulesession"))
rules.add_perm("people.view_training", rules.is_superuser | role_grants("people.view_modulesession"))
rules.add_perm(
    "people.review",
    rules.is_superuser | (role_grants("people.add_performancereview") & (org_wide | in_my_units) & ~is_self),
)
rules.add_perm("people.view_review", rules.is_superuser | org_wide | is_self | is_reviewer | manager)
rules.add_perm("people.acknowledge", is_self)
rules.add_perm(
    "people.give_feedback", rules.is_authenticated & ~is_self & (rules.is_superuser | org_wide | in_my_units)
)
