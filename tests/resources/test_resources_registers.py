"""Registers: venues (REQ-RES-04), equipment (REQ-RES-08), suppliers (REQ-RES-06), materials (REQ-RES-07)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from huiyi.resources import queries, services
from huiyi.resources.models import Equipment, Supplier
from huiyi.rulebook.services import active_rulebook


def test_REQ_RES_04_room_capacities_are_per_known_layout(venue):
    with pytest.raises(ValidationError) as error:
        services.add_room(venue, name="坏厅", area_m2=Decimal("100"), capacities={"disco": 10})
    assert "capacities" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.add_room(venue, name="坏厅", area_m2=Decimal("100"), capacities={"theatre": -1})


def test_REQ_RES_08_maintenance_due_after_the_rulebook_interval_and_overdue_flagged(execution):
    months = active_rulebook().value("res.equipment.maintenance_interval")
    today = timezone.localdate()
    fresh = services.register_equipment(
        name="音响", category="sound", serial_number="S-1", last_maintenance_on=today - timedelta(days=3)
    )
    stale = services.register_equipment(
        name="旧音响",
        category="sound",
        serial_number="S-2",
        last_maintenance_on=today - relativedelta(months=months, days=5),
    )
    assert queries.maintenance_due(fresh) == fresh.last_maintenance_on + relativedelta(months=months)
    rows = {item.pk: item for item in queries.equipment_register()}
    assert rows[stale.pk].maintenance_overdue and not rows[fresh.pk].maintenance_overdue
    assert [item.pk for item in queries.equipment_register(overdue_only=True)] == [stale.pk]
    services.record_maintenance(stale, performed_on=today, performed_by="王工", description="更换风扇")
    stale.refresh_from_db()
    assert stale.last_maintenance_on == today


def test_REQ_RES_08_3c_certificate_number_required_when_certified():
    with pytest.raises(ValidationError) as error:
        services.register_equipment(
            name="投影仪", category="projector", serial_number="P-9", ccc_certified=True
        )
    assert "ccc_certificate_no" in error.value.message_dict


def test_REQ_RES_08_electrical_safety_pass_rate_from_latest_tests(projector, microphone):
    now = timezone.now()
    services.record_test_report(
        projector, kind="electrical_safety", passed=False, tester="李工", tested_at=now - timedelta(days=2)
    )
    services.record_test_report(
        projector, kind="electrical_safety", passed=True, tester="李工", readings="绝缘 2MΩ", tested_at=now
    )
    services.record_test_report(
        microphone, kind="electrical_safety", passed=False, tester="李工", tested_at=now
    )
    assert services.electrical_safety_pass_rate() == Decimal("0.5")


def test_REQ_RES_06_supplier_scorecard_weighted_total_standing_and_next_due(execution):
    supplier = services.add_supplier(name="华东视听", category="av", qualification="音视频工程专业承包二级")
    card = services.evaluate_supplier(
        supplier,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 6, 30),
        scores={"quality": 90, "delivery": 80, "price": 70, "service": 100},
        by=execution,
    )
    # weights are organisation data: quality 40, delivery 25, price 20, service 15
    assert card.total_score == Decimal("85.00")
    assert card.standing.key == "good"
    assert card.scores.count() == 4
    supplier.refresh_from_db()
    months = active_rulebook().value("res.supplier.evaluation_interval")
    assert queries.supplier_evaluation_due(supplier) == supplier.last_evaluated_on + relativedelta(
        months=months
    )
    poor = services.evaluate_supplier(
        supplier,
        period_start=date(2026, 7, 1),
        period_end=date(2026, 12, 31),
        scores={"quality": 30, "delivery": 40, "price": 50, "service": 20},
        by=execution,
    )
    supplier.refresh_from_db()
    assert poor.standing.key == "poor" and supplier.qualified is False


def test_REQ_RES_06_scorecard_refuses_missing_or_out_of_range_scores(execution):
    supplier = services.add_supplier(name="印务", category="printing", qualification="印刷经营许可证")
    with pytest.raises(ValidationError) as error:
        services.evaluate_supplier(
            supplier,
            period_start=date(2026, 1, 1),
            period_end=date(2026, 2, 1),
            scores={"quality": 120},
            by=execution,
        )
    assert {"quality", "delivery"} <= set(error.value.message_dict)
    assert not supplier.scorecards.exists()


def test_REQ_RES_07_material_acceptance_checks_and_paper_humidity(execution, project):
    base = dict(
        project=project,
        material="会议手册",
        material_class="paper",
        specification="A4 157g 铜版纸 骑马钉",
        quantity_ordered=200,
        quantity_received=200,
        received_on=timezone.localdate(),
    )
    with pytest.raises(ValidationError) as error:
        services.record_material_acceptance(
            signed_by=execution, result="accepted", appearance_ok=True, **base
        )
    assert "result" in error.value.message_dict
    low, high = active_rulebook().value("res.material.paper_storage_humidity")
    row = services.record_material_acceptance(
        signed_by=execution,
        result="accepted",
        appearance_ok=True,
        performance_ok=True,
        environmental_ok=True,
        storage_humidity=Decimal(high + 5),
        **base,
    )
    findings = services.storage_findings(row, active_rulebook())
    assert len(findings) == 1 and str(low) in findings[0]


# --- API and pages ------------------------------------------------------------------------------
@pytest.fixture
def api(execution):
    client = APIClient()
    client.force_authenticate(execution)
    return client


def test_registers_api_lists_with_bounded_queries(api, hall, small_room, django_assert_max_num_queries):
    for n in range(10):
        services.register_equipment(name=f"话筒{n}", category="microphone", serial_number=f"X-{n}")
        services.add_supplier(name=f"供应商{n}", category="av", qualification="资质")
    with django_assert_max_num_queries(8):
        venues = api.get("/api/v1/venues/").json()
    assert venues["count"] == 1 and len(venues["results"][0]["rooms"]) == 2
    with django_assert_max_num_queries(8):
        equipment = api.get("/api/v1/equipment/").json()
    assert equipment["count"] == 10
    with django_assert_max_num_queries(8):
        assert api.get("/api/v1/suppliers/").json()["count"] == 10


def test_registers_api_create_and_permissions(api, make_user, org):
    created = api.post(
        "/api/v1/equipment/",
        {
            "name": "摄像机",
            "category": "recording",
            "serial_number": "CAM-1",
            "ccc_certified": True,
            "ccc_certificate_no": "C1",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    bad = api.post(
        "/api/v1/equipment/",
        {"name": "摄像机", "category": "recording", "serial_number": "CAM-1"},
        format="json",
    )
    assert bad.status_code == 400 and "serial_number" in bad.json()["error"]["fields"]
    planner = make_user("planner", org["north"])
    other = APIClient()
    other.force_authenticate(planner)
    assert other.get("/api/v1/equipment/").status_code == 403
    assert Equipment.objects.count() == 1 and not Supplier.objects.exists()


def test_register_pages_render(client, execution, hall, projector, django_assert_max_num_queries):
    client.force_login(execution)
    supplier = services.add_supplier(name="华东视听", category="av", qualification="资质")
    for url in (
        "/resources/",
        "/resources/venues/",
        f"/resources/venues/{hall.venue_id}/",
        "/resources/equipment/",
        f"/resources/equipment/{projector.pk}/",
        "/resources/suppliers/",
        f"/resources/suppliers/{supplier.pk}/",
        "/resources/materials/",
        "/resources/materials/new/",
        "/resources/venues/new/",
    ):
        with django_assert_max_num_queries(30):
            response = client.get(url)
        assert response.status_code == 200, url


def test_room_form_stores_capacity_per_layout(client, execution, venue):
    client.force_login(execution)
    response = client.post(
        f"/resources/venues/{venue.pk}/rooms/new/",
        {
            "name": "明珠厅",
            "area_m2": "400",
            "seats_theatre": "300",
            "seats_banquet": "160",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    room = venue.rooms.get(name="明珠厅")
    assert room.capacities == {"theatre": 300, "banquet": 160}


def test_scorecard_form_on_the_supplier_page(client, execution):
    client.force_login(execution)
    supplier = services.add_supplier(name="华东视听", category="av", qualification="资质")
    response = client.post(
        f"/resources/suppliers/{supplier.pk}/",
        {
            "period_start": "2026-01-01",
            "period_end": "2026-06-30",
            "quality": 95,
            "delivery": 90,
            "price": 90,
            "service": 90,
        },
    )
    assert response.status_code == 302
    assert supplier.scorecards.get().standing.key == "excellent"


def test_registers_are_hidden_without_the_role_permission(client, make_user, org):
    planner = make_user("planner", org["north"])
    client.force_login(planner)
    assert client.get("/resources/equipment/").status_code == 403
