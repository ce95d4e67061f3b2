"""Default roles (REQ-PPL-01): new default permissions arrive on existing roles, removed ones stay removed."""

import pytest
from django.contrib.auth.models import Permission

from huiyi.accounts import services
from huiyi.accounts.models import Role

pytestmark = pytest.mark.django_db


def _names(role):
    return {
        f"{p.content_type.app_label}.{p.codename}" for p in role.permissions.select_related("content_type")
    }


def test_req_ppl_01_every_default_role_exists_with_its_permissions():
    definitions = services.default_role_definitions()
    assert set(Role.objects.values_list("key", flat=True)) >= set(definitions)
    manager = Role.objects.get(key="project_manager")
    assert "projects.change_meetingproject" in _names(manager)
    assert "projects.change_meetingproject" in manager.defaults_applied


def test_a_permission_an_administrator_removed_is_not_granted_again():
    manager = Role.objects.get(key="project_manager")
    permission = Permission.objects.get(content_type__app_label="clients", codename="view_client")
    manager.permissions.remove(permission)
    services.ensure_default_roles()
    assert "clients.view_client" not in _names(Role.objects.get(key="project_manager"))


def test_a_default_permission_added_later_reaches_an_existing_role(monkeypatch):
    role = Role.objects.get(key="reception")
    assert "clients.view_client" not in _names(role)
    monkeypatch.setattr(services, "app_role_permissions", lambda: {"reception": ["clients.view_client"]})
    services.ensure_default_roles()
    role.refresh_from_db()
    assert "clients.view_client" in _names(role)
    assert "clients.view_client" in role.defaults_applied


def test_an_app_file_naming_an_unknown_role_is_refused(monkeypatch):
    monkeypatch.setattr(services, "app_role_permissions", lambda: {"no_such_role": ["clients.view_client"]})
    with pytest.raises(ValueError, match="no_such_role"):
        services.default_role_definitions()
