"""The scorecard measures CCP 6 and REQ-ONS-01/03/04/07, REQ-PPL-04 and REQ-RES-07 from these records."""

import datetime as dt
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from tests.inspections.conftest import rule_of

from huiyi.onsite.inspections import metrics, services
from huiyi.onsite.inspections.models import SiteMilestone
from huiyi.quality.metrics import Measurement, NotMeasurable, measure, registry
from huiyi.resources import services as resources

pytestmark = pytest.mark.django_db

KEYS = [
    "volume_db",
    "signal_to_noise_db",
    "sound_no_noise_or_dropout",
    "projector_resolution_vertical",
    "projector_brightness_lm",
    "projector_in_focus",
    "wired_bandwidth_mbps",
    "wifi_signal_dbm",
    "illuminance_lux",
    "colour_temperature_k",
    "room_temperature_c",
    "room_relative_humidity",
    "air_changes_per_hour",
    "co2_ppm",
    "setup_done_lead_time",
    "equipment_recovery_time",
    "venue_restoration_time",
    "reception_in_place_lead_time",
    "material_acceptance_signed",
    "storage_relative_humidity",
    "paper_shelf_life",
]


def test_req_qlt_03_every_metric_is_registered_here():
    found = registry()
    for key in KEYS:
        assert key in found, key
        assert found[key].__module__ == "huiyi.onsite.inspections.metrics"


def test_req_ons_04_reading_metric_is_the_worst_latest_per_room(project, rulebook, team, room):
    rule = rule_of(rulebook, "room_temperature_c")
    assert isinstance(measure("room_temperature_c", project, rulebook), NotMeasurable)
    earlier = timezone.now() - timedelta(minutes=40)
    services.record_round(
        project, by=team["tech"], room=room, held_at=earlier, readings=[{"rule": rule.id, "value": 30}]
    )
    services.record_round(project, by=team["tech"], room=room, readings=[{"rule": rule.id, "value": 22}])
    services.record_round(
        project, by=team["tech"], room_name="茶歇区", readings=[{"rule": rule.id, "value": 25}]
    )
    value = measure("room_temperature_c", project, rulebook)
    assert isinstance(value, Measurement)
    assert (
        value.value == 25 and value.evidence["room"] == "茶歇区"
    )  # the board room was fixed; the tea area fails
    assert {row["room"] for row in value.evidence["rooms"]} == {room.name, "茶歇区"}


def test_req_ons_03_corrected_readings_do_not_count(project, rulebook, team, room):
    rule = rule_of(rulebook, "wifi_signal_dbm")
    round_ = services.record_round(
        project, by=team["tech"], room=room, readings=[{"rule": rule.id, "value": rule.value - 7}]
    )
    assert measure("wifi_signal_dbm", project, rulebook).value == rule.value - 7
    services.correct_reading(
        round_.readings.get(), by=team["tech"], value=rule.value + 10, reason="换了 AP 位置"
    )
    assert measure("wifi_signal_dbm", project, rulebook).value == rule.value + 10


def test_req_ons_03_checklist_metric(project, rulebook, team, room):
    rule = rule_of(rulebook, "sound_no_noise_or_dropout")
    services.record_round(project, by=team["tech"], room=room, readings=[{"rule": rule.id, "value": "no"}])
    assert measure("sound_no_noise_or_dropout", project, rulebook).value == 0


def test_margin_of_every_operator(rulebook):
    assert metrics.margin(rule_of(rulebook, "room_relative_humidity"), Decimal(68)) == -8
    assert metrics.margin(rule_of(rulebook, "co2_ppm"), Decimal(900)) == 100
    assert metrics.margin(rule_of(rulebook, "volume_db"), Decimal(80)) < 0
    assert metrics.margin(rule_of(rulebook, "projector_in_focus"), Decimal(0)) == -1


def test_req_ons_01_07_milestone_metrics(make_project, team, org):
    start = timezone.now() - timedelta(hours=6)
    project = make_project(
        org["north_events"],
        start=start,
        end=start + timedelta(hours=3),
        members=[(team["director"], "on_site_director")],
    )
    from huiyi.rulebook.services import rulebook_for

    rulebook = rulebook_for(project)
    assert isinstance(measure("setup_done_lead_time", project, rulebook), NotMeasurable)
    services.record_milestone(
        project, milestone="setup_done", by=team["director"], at=start - timedelta(hours=3), room_name="A 厅"
    )
    services.record_milestone(
        project, milestone="setup_done", by=team["director"], at=start - timedelta(hours=1), room_name="B 厅"
    )
    lead = measure("setup_done_lead_time", project, rulebook)
    assert lead.value == 1 and lead.evidence["room"] == "B 厅"
    services.record_milestone(
        project,
        milestone=SiteMilestone.Milestone.EQUIPMENT_RECOVERED,
        by=team["director"],
        at=project.end + timedelta(minutes=30),
    )
    assert measure("equipment_recovery_time", project, rulebook).value == Decimal("0.5")


def test_req_ppl_04_reception_metric(project, team, rulebook):
    assert isinstance(measure("reception_in_place_lead_time", project, rulebook), NotMeasurable)
    services.check_in(project, user=team["rec"], by=team["rec"])
    value = measure("reception_in_place_lead_time", project, rulebook)
    assert value.value > 170 and value.evidence["person"] == str(team["rec"])  # about 3 h before, in minutes


def test_req_ppl_04_reception_missing_after_the_start_fails(make_project, team, org):
    start = timezone.now() - timedelta(minutes=20)
    project = make_project(
        org["north_events"], start=start, end=start + timedelta(hours=3), members=[(team["rec"], "reception")]
    )
    from huiyi.rulebook.services import rulebook_for

    value = measure("reception_in_place_lead_time", project, rulebook_for(project))
    assert value.value < -19 and value.evidence["not_checked_in"] == [str(team["rec"])]


def test_req_res_07_material_metrics(project, team, rulebook, make_user, org):
    admin = make_user(None, org["company"], username="boss", is_superuser=True)
    assert isinstance(measure("material_acceptance_signed", project, rulebook), NotMeasurable)
    resources.book(
        project,
        by=admin,
        kind="material",
        material="会议手册",
        quantity=18,
        starts_at=project.start - timedelta(hours=2),
        ends_at=project.end,
    )
    assert measure("material_acceptance_signed", project, rulebook).value == 0
    received = timezone.localtime(project.start).date() - dt.timedelta(days=45)
    resources.record_material_acceptance(
        signed_by=admin,
        project=project,
        material="会议手册",
        material_class="paper",
        specification="A4 157g",
        quantity_ordered=18,
        quantity_received=18,
        appearance_ok=True,
        performance_ok=True,
        environmental_ok=True,
        storage_humidity=Decimal("75"),
        received_on=received,
        result="accepted",
    )
    assert measure("material_acceptance_signed", project, rulebook).value == 1
    assert measure("storage_relative_humidity", project, rulebook).value == 75
    age = measure("paper_shelf_life", project, rulebook).value
    assert Decimal("1.4") < age < Decimal("1.6")


def test_months_between():
    assert metrics.months_between(dt.date(2026, 1, 31), dt.date(2026, 2, 28)) == 1  # the month ends early
    assert metrics.months_between(dt.date(2026, 1, 15), dt.date(2026, 4, 15)) == 3
    assert metrics.months_between(dt.date(2026, 1, 15), dt.date(2026, 1, 15)) == 0
    assert metrics.months_between(dt.date(2026, 3, 1), dt.date(2026, 3, 16)) == Decimal("0.48")
