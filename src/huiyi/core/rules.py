"""Shared predicates for object rules."""

import rules


def role_grants(permission: str):
    """True when one of the user's roles grants `permission` (a model-level grant, no object)."""

    @rules.predicate(name=f"role_grants:{permission}")
    def predicate(user):
        return user.is_authenticated and permission in user.get_all_permissions()

    return predicate
