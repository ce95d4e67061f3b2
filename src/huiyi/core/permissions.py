"""One answer to "may this user see this object?", whatever kind of permission guards it."""

import rules


def can_view(user, obj) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.has_perm("auditlog.view_logentry"):
        return True
    perm = f"{obj._meta.app_label}.view_{obj._meta.model_name}"
    if rules.perm_exists(perm):
        return user.has_perm(perm, obj)
    return user.has_perm(perm)
