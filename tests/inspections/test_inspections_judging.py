"""Readings are judged against the project's rulebook on entry; impossible readings are refused (REQ-ONS-03,
REQ-ONS-04)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from tests.inspections.conftest import rule_of

from huiyi.onsite.inspections import items as sheet
from huiyi.onsite.inspections import services
from huiyi.onsite.inspections.models import InspectionRound, Reading
from huiyi.quality.models import Nonconformance

pytestmark = pytest.mark.django_db


def test_req_ons_03_04_the_sheet_is_built_from_the_rulebook(rulebook):
    items = {item.rule.metric: item for item in sheet.all_items(rulebook)}
    assert set(items) == {
        "sound_no_noise_or_dropout",
        "volume_db",
        "signal_to_noise_db",
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
    }
    assert items["projector_in_focus"].is_checklist and not items["volume_db"].is_checklist
    assert items["illuminance_lux"].main_hall_only
    assert "illuminance_lux" not in {i.rule.metric for i in sheet.items_for(rulebook, main_hall=False)}
    assert items["wifi_signal_dbm"].section.key == "network"
    with translation.override("en"):
        assert items["wifi_signal_dbm"].threshold == "≥ -65 dBm"
        assert items["room_relative_humidity"].threshold == "40–60 %RH"


def test_req_ons_03_at_least_rule(project, rulebook):
    rule = rule_of(rulebook, "wifi_signal_dbm")
    assert services.judge(project, rule.id, str(rule.value - 7)).passed is False
    assert services.judge(project, rule.id, str(rule.value + 5)).passed is True
    assert services.judge(project, rule.id, str(rule.value)).passed is True  # the threshold itself meets it
    assert services.judge(project, rule.id, "−72").value == Decimal("-72")  # a typographic minus is a minus


def test_req_ons_04_at_most_rule(project, rulebook):
    rule = rule_of(rulebook, "co2_ppm")
    assert services.judge(project, rule.id, rule.value).passed is True
    assert services.judge(project, rule.id, rule.value + 1).passed is False


def test_req_ons_04_range_rule(project, rulebook):
    rule = rule_of(rulebook, "room_relative_humidity")
    low, high = rule.value
    assert services.judge(project, rule.id, low).passed is True
    assert services.judge(project, rule.id, high).passed is True
    assert services.judge(project, rule.id, high + 8).passed is False
    assert services.judge(project, rule.id, low - 1).passed is False


def test_req_ons_03_checklist_rule(project, rulebook):
    rule = rule_of(rulebook, "projector_in_focus")
    for yes in ("1", "yes", "是", True):
        assert services.judge(project, rule.id, yes).passed is True
    for no in ("0", "no", "否", False):
        assert services.judge(project, rule.id, no).passed is False
    with pytest.raises(ValidationError) as error:
        services.judge(project, rule.id, "maybe")
    assert rule.id in error.value.message_dict


@pytest.mark.parametrize(
    ("metric", "value", "words"),
    [
        ("room_relative_humidity", "180", "180 %RH"),
        ("co2_ppm", "-5", "-5 ppm"),
        ("room_temperature_c", "300", "300 °C"),
        ("projector_brightness_lm", "-5", "-5 lm"),
        ("projector_resolution_vertical", "1080.5", "whole number"),
        ("volume_db", "loud", "number"),
    ],
)
def test_req_ons_04_impossible_readings_are_refused_naming_the_item(
    project, rulebook, team, metric, value, words
):
    rule = rule_of(rulebook, metric)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.record_round(
            project,
            by=team["tech"],
            room_name="董事会会议室",
            readings=[
                {"rule": rule_of(rulebook, "wifi_signal_dbm").id, "value": "-50"},
                {"rule": rule.id, "value": value},
            ],
        )
    message = error.value.message_dict[rule.id][0]
    assert words in message and rule.name.get("en") in message
    assert not InspectionRound.objects.exists() and not Reading.objects.exists()  # nothing half-saved
    assert not Nonconformance.objects.exists()


def test_req_ons_04_humidity_180_message_in_chinese(project, rulebook):
    rule = rule_of(rulebook, "room_relative_humidity")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        services.judge(project, rule.id, "180")
    message = error.value.message_dict[rule.id][0]
    assert "湿度" in message and "180 %RH" in message and "0 %RH" in message and "100 %RH" in message


def test_req_ons_03_unknown_items_and_main_hall_items_elsewhere_are_refused(project, rulebook, team):
    with pytest.raises(ValidationError) as error:
        services.record_round(
            project, by=team["tech"], room_name="分会场", readings=[{"rule": "ons.no.such", "value": "1"}]
        )
    assert "rule" in error.value.message_dict
    illuminance = rule_of(rulebook, "illuminance_lux")
    with pytest.raises(ValidationError) as error:
        services.record_round(
            project,
            by=team["tech"],
            room_name="分会场",
            is_main_hall=False,
            readings=[{"rule": illuminance.id, "value": "600"}],
        )
    assert illuminance.id in error.value.message_dict
