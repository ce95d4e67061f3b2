import pytest
from django.contrib.auth.models import Permission

from huiyi.accounts.models import Role

INTAKE_PERMISSIONS = [
    "view_inquiry",
    "add_inquiry",
    "change_inquiry",
    "view_requirementsrevision",
    "change_requirementsrevision",
    "add_discrepancy",
]


@pytest.fixture(autouse=True)
def intake_roles(db):
    """The grants the brief asks for account managers, project managers and directors (default_roles.yaml)."""
    permissions = Permission.objects.filter(content_type__app_label="intake", codename__in=INTAKE_PERMISSIONS)
    for role in Role.objects.filter(key__in=["account_manager", "project_manager", "project_director"]):
        role.permissions.add(*permissions)


@pytest.fixture
def manager(org, make_user):
    return make_user("account_manager", org["north_events"], username="am")
