"""Fixtures of the resources tests: role permissions for the registers, venues, devices and a frozen plan."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission

from huiyi.accounts.models import Role
from huiyi.resources import services
from huiyi.resources.setup import ensure_scorecard_setup

#: The grants this app asks the lead to add to default_roles.yaml (tests apply them to the roles directly).
ROLE_GRANTS = {
    "project_manager": [
        "view_venue",
        "view_room",
        "view_equipment",
        "view_supplier",
        "view_materialacceptance",
    ],
    "project_execution": [
        "view_venue",
        "add_venue",
        "change_venue",
        "view_room",
        "add_room",
        "change_room",
        "view_equipment",
        "add_equipment",
        "change_equipment",
        "view_sparepart",
        "add_sparepart",
        "view_supplier",
        "add_supplier",
        "change_supplier",
        "add_supplierscorecard",
        "view_materialacceptance",
        "add_materialacceptance",
    ],
    "technical_support": ["view_venue", "view_equipment", "change_equipment", "add_equipmentcheck"],
}


@pytest.fixture(autouse=True)
def resource_role_grants(db):
    ensure_scorecard_setup()  # a transactional test before this one may have flushed the seeded rows
    for role_key, codenames in ROLE_GRANTS.items():
        role = Role.objects.get(key=role_key)
        role.permissions.add(
            *Permission.objects.filter(content_type__app_label="resources", codename__in=codenames)
        )


@pytest.fixture
def manager(make_user, org):
    return make_user("project_manager", org["north_events"], username="pm", display_name="杨帆")


@pytest.fixture
def execution(make_user, org):
    return make_user("project_execution", org["north_events"], username="exec", display_name="周敏")


@pytest.fixture
def project(make_project, manager, execution):
    return make_project(
        phase=2,
        members=[(manager, "project_manager"), (execution, "project_execution")],
        expected_attendees=200,
    )


@pytest.fixture
def venue(execution):
    venue = services.create_venue(
        name="上海国际会议中心", city="上海", address="滨江大道2727号", created_by=execution
    )
    return venue


@pytest.fixture
def hall(venue, execution):
    return services.add_room(
        venue,
        name="黄浦厅",
        area_m2=Decimal("800"),
        capacities={"theatre": 500, "classroom": 300, "banquet": 280},
        created_by=execution,
    )


@pytest.fixture
def small_room(venue, execution):
    return services.add_room(
        venue,
        name="会见厅",
        area_m2=Decimal("90"),
        capacities={"theatre": 60, "boardroom": 24},
        created_by=execution,
    )


@pytest.fixture
def projector(execution):
    return services.register_equipment(
        name="激光投影仪",
        category="projector",
        serial_number="PJ-001",
        ccc_certified=True,
        ccc_certificate_no="2023010901000001",
        created_by=execution,
    )


@pytest.fixture
def microphone(execution):
    return services.register_equipment(
        name="无线话筒", category="microphone", serial_number="MIC-001", is_key=True, created_by=execution
    )


class Line:
    def __init__(self, kind, name, quantity, start, end):
        self.kind, self.name, self.quantity, self.start, self.end = kind, name, quantity, start, end


@pytest.fixture
def frozen_plan(monkeypatch, project):
    """A frozen plan with four resource lines (the planning app's PlanResource shape)."""
    start, end = project.start, project.end
    lines = [
        Line("venue", "黄浦厅", 1, start, end),
        Line("equipment", "投影仪", 2, start, end),
        Line("staff", "reception", 1, start, end),
        Line("material", "会议手册", 200, start, end),
    ]
    monkeypatch.setattr(
        "huiyi.resources.queries.plan_resources", lambda p: lines if p.pk == project.pk else None
    )
    return lines


def window(project, hours_before=1, hours_after=1):
    return project.start - timedelta(hours=hours_before), project.end + timedelta(hours=hours_after)
