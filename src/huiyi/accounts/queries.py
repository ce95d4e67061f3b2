"""Who may see which users and units: the directory is readable with the role permission, else only self."""

from django.db.models import QuerySet

from .models import OrgUnit, User


def visible_users(user) -> QuerySet[User]:
    if not user.is_authenticated:
        return User.objects.none()
    if user.has_perm("accounts.view_user"):
        return User.objects.all()
    return User.objects.filter(pk=user.pk)


def visible_org_units(user) -> QuerySet[OrgUnit]:
    if not user.is_authenticated:
        return OrgUnit.objects.none()
    if user.has_perm("accounts.view_orgunit"):
        return OrgUnit.objects.all()
    if user.org_unit_id:
        return user.org_unit.ancestors() | OrgUnit.objects.filter(pk=user.org_unit_id)
    return OrgUnit.objects.none()


def org_tree(units) -> list[tuple[OrgUnit, int]]:
    """Units in tree order with their depth, for indentation."""
    return [(unit, unit.depth) for unit in sorted(units, key=lambda u: u.path)]
