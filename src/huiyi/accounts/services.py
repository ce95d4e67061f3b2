"""State changes for accounts and the organisation. Every function is one business action."""

from pathlib import Path

import yaml
from django.contrib.auth.models import Permission
from django.db import transaction

from .models import OrgMembership, OrgUnit, Role, User

DEFAULT_ROLES_FILE = Path(__file__).with_name("default_roles.yaml")
#: An app may grant the default roles its own permissions in this file beside its models, as
#: ``{role_key: [app.codename, …]}``, so that each app says itself who may use it.
APP_ROLE_PERMISSIONS_FILE = "role_permissions.yaml"


def default_role_definitions() -> dict:
    roles = yaml.safe_load(DEFAULT_ROLES_FILE.read_text(encoding="utf-8"))["roles"]
    for definition in roles.values():
        definition["permissions"] = _flatten(definition.get("permissions", []))
    for role_key, names in app_role_permissions().items():
        if role_key not in roles:
            raise ValueError(f"{APP_ROLE_PERMISSIONS_FILE}: unknown role {role_key!r}")
        roles[role_key]["permissions"] = list(dict.fromkeys([*roles[role_key]["permissions"], *names]))
    return roles


def app_role_permissions() -> dict[str, list[str]]:
    from django.apps import apps

    merged: dict[str, list[str]] = {}
    for app_config in apps.get_app_configs():
        path = Path(app_config.path) / APP_ROLE_PERMISSIONS_FILE
        if not path.is_file():
            continue
        for role_key, names in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
            merged.setdefault(role_key, []).extend(_flatten(names or []))
    return merged


def _flatten(items) -> list[str]:
    """The YAML shares a common list by alias, which nests it: flatten to one list of names."""
    flat = []
    for item in items:
        flat.extend(_flatten(item) if isinstance(item, list) else [item])
    return flat


def _permissions(names: list[str]) -> list[Permission]:
    found = []
    for name in dict.fromkeys(names):
        app_label, codename = name.split(".", 1)
        permission = (
            Permission.objects.select_related("content_type")
            .filter(content_type__app_label=app_label, codename=codename)
            .first()
        )
        if permission is not None:
            found.append(permission)
    return found


@transaction.atomic
def ensure_default_roles(*, update_permissions: bool = False) -> list[Role]:
    """Create the roles of REQ-PPL-01 that are missing and grant default permissions never granted before.

    Existing roles keep an administrator's edits: a default permission is granted once (recorded in
    ``defaults_applied``); one an administrator removed afterwards is not granted again.
    """
    roles = []
    for key, definition in default_role_definitions().items():
        role, created = Role.objects.get_or_create(
            key=key,
            defaults={
                "name": definition["name"],
                "duties": definition.get("duties", {}),
                "sees_unit_projects": definition.get("sees_unit_projects", False),
            },
        )
        names = definition.get("permissions", [])
        if not (created or update_permissions):
            # Only defaults this role has never been given: an administrator's removals stay removed.
            names = [name for name in names if name not in set(role.defaults_applied)]
        granted = _permissions(names)
        if granted:
            role.permissions.add(*granted)
            applied = {f"{p.content_type.app_label}.{p.codename}" for p in granted}
            role.defaults_applied = sorted(set(role.defaults_applied) | applied)
            role.save(update_fields=["defaults_applied", "updated_at"])
        roles.append(role)
    return roles


@transaction.atomic
def create_org_unit(*, code: str, name: dict, kind: str, parent: OrgUnit | None = None) -> OrgUnit:
    unit = OrgUnit(code=code, name=name, kind=kind, parent=parent)
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def grant_role(user: User, org_unit: OrgUnit, role_key: str) -> OrgMembership:
    role = Role.objects.get(key=role_key)
    membership, _ = OrgMembership.objects.get_or_create(user=user, org_unit=org_unit, role=role)
    return membership


@transaction.atomic
def create_administrator(*, username: str, password: str, email: str = "") -> User:
    user = User.objects.create_superuser(username=username, email=email, password=password)
    return user
