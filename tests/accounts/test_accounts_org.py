import pytest
from django.core.exceptions import ValidationError

from huiyi.accounts.models import OrgUnit, Role
from huiyi.accounts.services import default_role_definitions

pytestmark = pytest.mark.django_db

PPL_01_ROLES = {
    "project_manager",
    "planner",
    "execution_supervisor",
    "on_site_director",
    "technical_support",
    "reception",
    "security",
    "medical",
    "account_manager",
    "finance",
    "visual_design",
    "hr",
    "quality_officer",
}


def test_REQ_PPL_01_every_role_exists_as_data_after_migrate():
    keys = set(Role.objects.values_list("key", flat=True))
    assert keys >= PPL_01_ROLES
    for role in Role.objects.filter(key__in=PPL_01_ROLES):
        assert role.name["zh-hans"] and role.name["en"], role.key
        assert role.permissions.exists(), f"{role.key} grants nothing"


def test_REQ_PPL_01_role_permissions_name_real_permissions():
    for key, definition in default_role_definitions().items():
        role = Role.objects.get(key=key)
        granted = {f"{p.content_type.app_label}.{p.codename}" for p in role.permissions.all()}
        assert granted == set(definition["permissions"]), key


def test_org_tree_paths_and_subtree(org):
    assert org["north_events"].path == "/acme/north/north-events/"
    assert set(org["north"].subtree()) == {org["north"], org["north_events"]}
    assert list(org["north_events"].ancestors()) == [org["company"], org["north"]]


def test_org_unit_cannot_move_under_its_own_descendant(org):
    north = org["north"]
    north.parent = org["north_events"]
    with pytest.raises(ValidationError):
        north.save()


def test_moving_a_unit_rewrites_descendant_paths(org):
    north = OrgUnit.objects.get(code="north")
    north.parent = org["south"]
    north.save()
    assert OrgUnit.objects.get(code="north-events").path == "/acme/south/north/north-events/"


def test_translated_name_needs_some_text(org):
    unit = OrgUnit(code="x", name={"zh-hans": "", "en": " "}, kind="department", parent=org["company"])
    with pytest.raises(ValidationError):
        unit.full_clean()
    unit.name = {"fr": "Bonjour"}
    with pytest.raises(ValidationError):
        unit.full_clean()
