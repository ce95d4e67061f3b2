"""The inspection pages, phone first: home with latest readings and set-up verdicts, the round form with its
instant verdict, corrections, roll-call and the cockpit panel (REQ-ONS-01/03/04/07, REQ-PPL-04)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from tests.inspections.conftest import rule_of

from huiyi.onsite.inspections import services
from huiyi.onsite.inspections.models import InspectionRound, Reading, RollCall

pytestmark = pytest.mark.django_db


def test_req_ons_03_round_form_saves_and_shows_the_failure_with_its_nc(client, project, rulebook, team, room):
    client.force_login(team["tech"])
    form = client.get(reverse("inspections:round_new", args=[project.pk]))
    page = form.content.decode()
    assert form.status_code == 200 and 'inputmode="decimal"' in page and "dBm" in page
    wifi, focus = rule_of(rulebook, "wifi_signal_dbm"), rule_of(rulebook, "projector_in_focus")
    name = lambda rule: "item_" + rule.id.replace(".", "__")  # noqa: E731
    response = client.post(
        reverse("inspections:round_new", args=[project.pk]),
        {"room": room.pk, "is_main_hall": "on", name(wifi): "-72", name(focus): "1"},
    )
    round_ = InspectionRound.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "inspections:round", args=[round_.pk]
    )
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    failed = Reading.objects.get(rule_id=wifi.id)
    assert f'data-item="{wifi.id}" data-verdict="fail"' in page
    assert reverse("quality:nonconformance", args=[failed.nonconformance_id]) in page
    assert "-72 dBm" in page and "≥ -65 dBm" in page
    home = client.get(reverse("inspections:home", args=[project.pk])).content.decode()
    assert failed.nonconformance.code in home and 'data-verdict="fail"' in home


def test_req_ons_04_round_form_refuses_impossible_readings_and_keeps_input(client, project, rulebook, team):
    client.force_login(team["tech"])
    humidity = rule_of(rulebook, "room_relative_humidity")
    field = "item_" + humidity.id.replace(".", "__")
    response = client.post(
        reverse("inspections:round_new", args=[project.pk]),
        {"room_name": "董事会会议室", "is_main_hall": "on", field: "180"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    page = response.content.decode()
    assert response.status_code == 400 and "180 %RH" in page and f'data-field="{humidity.id}"' in page
    assert 'value="180"' in page and "nothing has been saved" in page
    assert not InspectionRound.objects.exists()


def test_req_ons_03_instant_verdict_fragment(client, project, rulebook, team):
    client.force_login(team["tech"])
    wifi = rule_of(rulebook, "wifi_signal_dbm")
    url = reverse("inspections:judge", args=[project.pk])
    field = "item_" + wifi.id.replace(".", "__")
    fail = client.post(url, {"rule": wifi.id, field: "-72"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-verdict="fail"' in fail and "≥ -65 dBm" in fail
    ok = client.post(url, {"rule": wifi.id, field: "-50"}).content.decode()
    assert 'data-verdict="pass"' in ok
    humidity = rule_of(rulebook, "room_relative_humidity")
    bad = client.post(
        url, {"rule": humidity.id, "item_" + humidity.id.replace(".", "__"): "180"}
    ).content.decode()
    assert 'data-verdict="invalid"' in bad
    assert not Reading.objects.exists()


def test_req_ons_03_correction_page(client, project, rulebook, team, room):
    client.force_login(team["tech"])
    rule = rule_of(rulebook, "co2_ppm")
    round_ = services.record_round(
        project, by=team["tech"], room=room, readings=[{"rule": rule.id, "value": 1500}]
    )
    reading = round_.readings.get()
    url = reverse("inspections:correct", args=[reading.pk])
    assert client.post(url, {"value": "800", "reason": ""}).status_code == 400
    assert client.post(url, {"value": "800", "reason": "误读传感器"}).status_code == 302
    assert Reading.objects.get(corrects=reading).passed


def test_req_ons_01_milestone_form_on_the_home_page(client, project, team):
    client.force_login(team["director"])
    home = client.get(reverse("inspections:home", args=[project.pk])).content.decode()
    assert 'id="milestone-form"' in home
    url = reverse("inspections:milestone", args=[project.pk])
    response = client.post(url, {"milestone": "setup_done", "at": ""})
    assert response.status_code == 302
    page = client.get(
        reverse("inspections:home", args=[project.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert 'data-milestone="setup_done" data-verdict="pass"' in page and "before the start" in page
    response = client.post(url, {"milestone": "setup_done", "at": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "say why you correct it" in response.content.decode()


def test_req_ppl_04_roll_call_page_self_check_in(client, project, team):
    client.force_login(team["rec"])
    url = reverse("inspections:roll_call", args=[project.pk])
    page = client.get(url).content.decode()
    assert 'id="self-check-in"' in page and "check-in-other" not in page
    client.post(url, {"user": team["rec"].pk})
    assert RollCall.objects.get().user == team["rec"]
    client.post(url, {"user": team["planner"].pk})  # not a lead: refused
    assert RollCall.objects.count() == 1
    client.force_login(team["director"])
    page = client.get(url).content.decode()
    assert "check-in-other" in page
    client.post(url, {"user": team["planner"].pk, "at": ""})
    assert RollCall.objects.filter(user=team["planner"], recorded_by=team["director"]).exists()


def test_cockpit_panel_shows_failures_setup_and_roll_call(client, project, rulebook, team, room, monkeypatch):
    from huiyi.onsite import panels

    mine = [panel for panel in panels.panels() if panel.key == "inspections"]
    assert mine and mine[0].order == 20
    monkeypatch.setattr(
        "huiyi.onsite.views.panels", lambda: mine
    )  # the other apps' panels are theirs to test
    rule = rule_of(rulebook, "room_relative_humidity")
    services.record_round(project, by=team["tech"], room=room, readings=[{"rule": rule.id, "value": 68}])
    services.check_in(project, user=team["tech"], by=team["tech"])
    client.force_login(team["director"])
    page = client.get(
        reverse("onsite:cockpit", args=[project.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert 'id="inspections-panel"' in page and "1 reading fails" in page and "68 %RH" in page
    assert "1/4" in page
    polled = client.get(reverse("inspections:panel", args=[project.pk])).content.decode()
    assert 'id="inspections-panel"' in polled


def test_pages_are_hidden_from_people_who_cannot_see_the_project(client, project, team):
    client.force_login(team["outsider"])
    for name in ("home", "round_new", "roll_call", "panel"):
        assert client.get(reverse(f"inspections:{name}", args=[project.pk])).status_code == 404
    client.force_login(team["planner"])  # on the team, no inspection role: roll-call yes, readings no
    assert client.get(reverse("inspections:home", args=[project.pk])).status_code == 403
    assert client.get(reverse("inspections:round_new", args=[project.pk])).status_code == 403
    assert client.get(reverse("inspections:roll_call", args=[project.pk])).status_code == 200


def test_home_lists_rounds_in_both_languages(client, project, rulebook, team, room):
    rule = rule_of(rulebook, "volume_db")
    services.record_round(
        project,
        by=team["tech"],
        room=room,
        held_at=timezone.now() - timedelta(minutes=3),
        readings=[{"rule": rule.id, "value": 90}],
    )
    client.force_login(team["director"])
    zh = client.get(reverse("inspections:home", args=[project.pk])).content.decode()
    en = client.get(
        reverse("inspections:home", args=[project.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "音量" in zh and "Volume" in en and "90 dB" in en
