"""Rounds: partial recording and completion, immutable readings and corrections, nonconformances opened once
per rule and linked (REQ-ONS-03, REQ-ONS-04, CCP 6)."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from tests.inspections.conftest import rule_of

from huiyi.onsite.inspections import queries, services
from huiyi.onsite.inspections.models import Reading
from huiyi.quality.models import Nonconformance

pytestmark = pytest.mark.django_db


def humidity(rulebook):
    return rule_of(rulebook, "room_relative_humidity")


def test_req_ons_04_failed_reading_opens_one_nonconformance_per_rule_and_links_it(
    project, rulebook, team, room
):
    rule = humidity(rulebook)
    first = services.record_round(
        project, by=team["tech"], room=room, readings=[{"rule": rule.id, "value": rule.high + 8}]
    )
    reading = first.readings.get()
    assert reading.passed is False
    nc = reading.nonconformance
    assert nc is not None and nc.rule_id == rule.id and nc.source == Nonconformance.Source.INSPECTION
    assert nc.req == "REQ-ONS-04"
    assert "68" in nc.description["zh-hans"]
    second = services.record_round(
        project, by=team["tech"], room_name="茶歇区", readings=[{"rule": rule.id, "value": rule.high + 5}]
    )
    assert second.readings.get().nonconformance == nc  # the live NC of the rule, not a second one
    assert Nonconformance.objects.filter(project=project, rule_id=rule.id).count() == 1
    assert list(queries.inspection_nonconformances(project)) == [nc]


def test_req_ons_03_passing_readings_open_nothing(project, rulebook, team, room):
    rule = rule_of(rulebook, "wired_bandwidth_mbps")
    round_ = services.record_round(
        project, by=team["tech"], room=room, readings=[{"rule": rule.id, "value": 940}]
    )
    assert round_.readings.get().nonconformance is None
    assert not Nonconformance.objects.exists()


def test_req_ons_03_a_round_is_recorded_partially_and_completed_later(project, rulebook, team, room):
    wifi, co2 = rule_of(rulebook, "wifi_signal_dbm"), rule_of(rulebook, "co2_ppm")
    round_ = services.record_round(
        project, by=team["tech"], room=room, readings=[{"rule": wifi.id, "value": -52}]
    )
    sections = queries.round_rows(round_, rulebook)
    checked = [row.item.id for _s, rows in sections for row in rows if row.reading]
    assert checked == [wifi.id]
    services.add_readings(round_, by=team["tech"], readings=[{"rule": co2.id, "value": 650}])
    with pytest.raises(ValidationError) as error:  # an item recorded already is corrected, not recorded twice
        services.add_readings(round_, by=team["tech"], readings=[{"rule": wifi.id, "value": -50}])
    assert wifi.id in error.value.message_dict
    services.complete_round(round_, by=team["tech"])
    round_.refresh_from_db()
    assert round_.is_complete and round_.completed_by == team["tech"]
    with pytest.raises(ValidationError) as error:
        services.add_readings(
            round_, by=team["tech"], readings=[{"rule": rule_of(rulebook, "volume_db").id, "value": 88}]
        )
    assert "round" in error.value.message_dict
    assert round_.readings.count() == 2


def test_req_ons_03_a_bad_entry_in_a_batch_saves_none_of_it(project, rulebook, team, room):
    round_ = services.record_round(project, by=team["tech"], room=room)
    with pytest.raises(ValidationError) as error:
        services.add_readings(
            round_,
            by=team["tech"],
            readings=[
                {"rule": rule_of(rulebook, "volume_db").id, "value": 30},  # fails, would open an NC
                {"rule": humidity(rulebook).id, "value": 180},  # impossible
            ],
        )
    assert list(error.value.message_dict) == [humidity(rulebook).id]
    assert not Reading.objects.exists() and not Nonconformance.objects.exists()


def test_req_ons_04_a_correction_supersedes_the_reading_and_keeps_it(project, rulebook, team, room):
    rule = humidity(rulebook)
    round_ = services.record_round(
        project,
        by=team["tech"],
        room=room,
        held_at=timezone.now() - timedelta(minutes=30),
        readings=[{"rule": rule.id, "value": rule.high + 8}],
        complete=True,
    )
    wrong = round_.readings.get()
    with pytest.raises(ValidationError) as error:
        services.correct_reading(wrong, by=team["tech"], value=55, reason="  ")
    assert "reason" in error.value.message_dict
    fixed = services.correct_reading(wrong, by=team["tech"], value=55, reason="开启除湿后复测")
    assert fixed.corrects == wrong and fixed.passed and fixed.nonconformance is None
    assert wrong.nonconformance.status == Nonconformance.Status.OPEN  # the NC follows its own CAPA loop
    rows = {row.item.id: row for _s, members in queries.round_rows(round_, rulebook) for row in members}
    assert rows[rule.id].reading == fixed and rows[rule.id].history == [wrong, fixed]
    room_status = queries.latest_by_room(project)[0]
    assert room_status.latest[rule.id] == fixed and not room_status.failed
    with pytest.raises(ValidationError) as error:  # correct the latest, not the old one again
        services.correct_reading(wrong, by=team["tech"], value=50, reason="再测")
    assert "reading" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.correct_reading(fixed, by=team["tech"], value=500, reason="再测")
    assert "value" in error.value.message_dict
    assert Reading.objects.count() == 2


def test_req_ons_04_readings_are_immutable_and_audited(project, rulebook, team, room):
    round_ = services.record_round(
        project,
        by=team["tech"],
        room=room,
        readings=[{"rule": rule_of(rulebook, "co2_ppm").id, "value": 700}],
    )
    reading = round_.readings.get()
    reading.value = 800
    with pytest.raises(ValidationError):
        reading.save()
    assert Reading.objects.get().value == 700
    assert LogEntry.objects.get_for_object(reading).filter(action=LogEntry.Action.CREATE).exists()


def test_req_ons_03_device_must_fit_the_item(project, rulebook, team, room, device):
    wifi, volume = rule_of(rulebook, "wifi_signal_dbm"), rule_of(rulebook, "volume_db")
    round_ = services.record_round(
        project,
        by=team["tech"],
        room=room,
        readings=[{"rule": wifi.id, "value": -55, "equipment": device.pk}],
    )
    assert round_.readings.get().equipment == device
    with pytest.raises(ValidationError) as error:
        services.add_readings(
            round_, by=team["tech"], readings=[{"rule": volume.id, "value": 90, "equipment": device}]
        )
    assert volume.id in error.value.message_dict


def test_req_ons_03_rooms_are_booked_rooms_or_written_names(project, team, room, make_user, org):
    from decimal import Decimal

    from huiyi.resources import services as resources

    other = resources.add_room(room.venue, name="别的厅", area_m2=Decimal("50"), capacities={"boardroom": 20})
    with pytest.raises(ValidationError) as error:
        services.record_round(project, by=team["tech"], room=other)
    assert "room" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.record_round(project, by=team["tech"], room_name="  ")
    assert "room_name" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.record_round(
            project, by=team["tech"], room=room, held_at=timezone.now() + timedelta(hours=1)
        )
    assert "held_at" in error.value.message_dict


def test_req_ons_03_only_permitted_roles_on_a_visible_project_record(project, rulebook, team):
    reading = [{"rule": rule_of(rulebook, "co2_ppm").id, "value": 700}]
    for person in (team["planner"], team["rec"], team["outsider"]):
        with pytest.raises(PermissionDenied):
            services.record_round(project, by=person, room_name="会议室", readings=reading)
    assert services.record_round(project, by=team["director"], room_name="会议室", readings=reading)
