"""Reads of violation cases, always filtered to who may see them (REQ-QLT-08; deny by default).

The roles that see violation records are data: the ``command`` list of rule ``qlt.violation.visible_to`` in
the rulebook in force. A person holding one of them sees the cases of the units (and sub-units) where they
hold it; the person concerned sees their own case; nobody else does — not even whoever reported it.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from huiyi.accounts.models import OrgMembership
from huiyi.rulebook.services import active_rulebook

from .models import Violation

VISIBILITY_RULE = "qlt.violation.visible_to"
_CACHE = "_huiyi_violation_paths"


def overseeing_roles() -> tuple[str, ...]:
    rulebook = active_rulebook()
    return tuple(rulebook.rule(VISIBILITY_RULE).command) if VISIBILITY_RULE in rulebook else ()


def overseen_unit_paths(user) -> list[str]:
    """Paths of the units where ``user`` holds a role the rulebook lets see violations (cached per user)."""
    cached = getattr(user, _CACHE, None)
    if cached is None:
        roles = overseeing_roles()
        cached = (
            list(
                OrgMembership.objects.filter(user=user, role__key__in=roles)
                .values_list("org_unit__path", flat=True)
                .distinct()
            )
            if roles and user.is_authenticated
            else []
        )
        setattr(user, _CACHE, cached)
    return cached


def oversees(user, violation: Violation) -> bool:
    path = violation.org_unit.path
    return any(path.startswith(prefix) for prefix in overseen_unit_paths(user))


def visible_violations(user) -> QuerySet[Violation]:
    violations = Violation.objects.select_related("org_unit", "project", "responsible_person", "reporter")
    if not user.is_authenticated or not user.is_active:
        return violations.none()
    if user.is_superuser:
        return violations
    condition = Q(responsible_person=user)
    for path in overseen_unit_paths(user):
        condition |= Q(org_unit__path__startswith=path)
    return violations.filter(condition)


def violation_list(user, *, status: str = "") -> QuerySet[Violation]:
    violations = visible_violations(user)
    if status in Violation.Status.values:
        violations = violations.filter(status=status)
    elif status == "open":
        violations = violations.exclude(status=Violation.Status.CLOSED)
    return violations


def violations_kpi(scope):
    """Violations reported in the period, by status (REQ-QLT-09 statistics), counted in SQL."""
    from huiyi.quality.kpis.registry import KpiValue

    violations = (
        visible_violations(scope.user) if scope.user is not None else Violation.objects.all()
    ).filter(reported_at__date__gte=scope.start, reported_at__date__lt=scope.end)
    if scope.org_unit_ids is not None:
        violations = violations.filter(org_unit_id__in=scope.org_unit_ids)
    by_status = dict(violations.values_list("status").annotate(n=Count("pk")).order_by())
    total = sum(by_status.values())
    return KpiValue(total, numerator=total, breakdown={"by_status": by_status})
