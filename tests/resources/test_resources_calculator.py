"""The resource calculator (REQ-RES-01…04): quantities from the rulebook, the API and bad input."""

import math
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from huiyi.resources import calculator, services
from huiyi.resources.models import ResourceProposal
from huiyi.rulebook.services import active_rulebook

URL = "/api/v1/resources/calculate/"


@pytest.fixture
def api(manager):
    client = APIClient()
    client.force_authenticate(manager)
    return client


def test_REQ_RES_02_03_04_200_attendees_theatre_basic_and_standard(api):
    rb = active_rulebook()
    response = api.post(
        URL,
        {"attendees": 200, "layout": "theatre", "tiers": ["basic", "standard"], "alpha": 0.5},
        format="json",
    )
    assert response.status_code == 200, response.content
    data = response.json()
    low, high = rb.value("res.config.projectors")
    assert data["projectors_range"] == [low * 2, high * 2]
    assert low * 2 <= data["projectors"] <= high * 2
    assert data["tea_break_sets"] == math.ceil(200 / 50) * rb.value("res.config.tea_break_sets")
    per_person = max(rb.value("res.layout.theatre"), rb.value("res.venue.floor_area_per_person"))
    assert Decimal(str(data["floor_area_m2"])) == Decimal(str(per_person)) * 200
    for role in ("on_site_director", "technical_support", "reception", "security", "medical"):
        role_low, role_high = rb.value(f"res.staffing.{role}")
        assert role_low <= data[role] <= role_high, role
    assert data["r_total"] == data["r_base"] + data["r_standard"] + 0.5 * data["r_custom"]
    used = {rule["id"]: rule["req"] for rule in data["rules"]}
    assert used["res.config.projectors"] == "REQ-RES-02"
    assert used["res.layout.theatre"] == "REQ-RES-04"
    assert used["res.custom_coefficient.range"] == "REQ-RES-01"


def test_REQ_RES_03_staffing_scales_from_band_minimum_to_maximum():
    rb = active_rulebook()
    band_low, band_high = rb.value("res.staffing.scale_band")
    small = calculator.calculate(
        calculator.parse({"attendees": band_low, "layout": "theatre", "tiers": ["basic"]}, rb), rb
    )
    large = calculator.calculate(
        calculator.parse({"attendees": band_high * 2, "layout": "theatre", "tiers": ["basic"]}, rb), rb
    )
    for role in calculator.STAFF_ROLES:
        low, high = rb.value(f"res.staffing.{role}")
        assert small[role] == low and large[role] == high


def test_REQ_RES_01_custom_tier_counts_alpha_times_custom_resources():
    rb = active_rulebook()
    data = {
        "attendees": 120,
        "layout": "classroom",
        "tiers": ["basic", "custom"],
        "alpha": "1.5",
        "custom_units": 10,
    }
    result = calculator.calculate(calculator.parse(data, rb), rb)
    assert result["r_custom"] == 10
    assert result["r_total"] == result["r_base"] + result["r_standard"] + 15


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"attendees": -5, "layout": "theatre", "tiers": ["basic"]}, "attendees"),
        ({"attendees": "many", "layout": "theatre", "tiers": ["basic"]}, "attendees"),
        ({"attendees": 100, "layout": "disco", "tiers": ["basic"]}, "layout"),
        ({"attendees": 100, "layout": "theatre", "tiers": ["gold"]}, "tiers"),
        ({"attendees": 100, "layout": "theatre", "tiers": ["basic"], "alpha": 2.5}, "alpha"),
        ({"attendees": 100, "layout": "theatre", "tiers": ["basic"], "alpha": -0.1}, "alpha"),
    ],
)
def test_REQ_RES_01_bad_input_is_refused_naming_the_field(api, payload, field):
    response = api.post(URL, payload, format="json")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_REQ_RES_04_room_too_small_for_the_layout_is_refused(api, small_room):
    response = api.post(
        URL,
        {"attendees": 200, "layout": "theatre", "tiers": ["basic"], "room": small_room.pk},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    message = response.json()["error"]["fields"]["room"][0]
    assert "too small" in message and "60" in message
    # a layout the room does not offer is refused too
    response = api.post(
        URL, {"attendees": 20, "layout": "banquet", "tiers": ["basic"], "room": small_room.pk}, format="json"
    )
    assert response.status_code == 400 and "room" in response.json()["error"]["fields"]


def test_REQ_RES_04_room_that_fits_is_reported(api, hall):
    response = api.post(
        URL, {"attendees": 200, "layout": "theatre", "tiers": ["basic"], "room": hall.pk}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["room"]["capacity"] == 500


def test_calculator_endpoint_needs_a_signed_in_user():
    assert APIClient().post(URL, {"attendees": 1}, format="json").status_code in (401, 403)


def test_calculator_endpoint_query_count_is_bounded(api, hall, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        api.post(
            URL, {"attendees": 200, "layout": "theatre", "tiers": ["basic"], "room": hall.pk}, format="json"
        )


def test_REQ_RES_03_applying_a_deviating_proposal_needs_a_reason(project, manager):
    data = {"attendees": 200, "layout": "theatre", "tiers": ["basic", "standard"]}
    plain = services.apply_proposal(project, data, by=manager)
    assert plain.deviations == [] and plain.result["projectors"] >= 1
    rb = active_rulebook()
    too_many = rb.value("res.staffing.security")[1] + 3
    with pytest.raises(Exception) as error:
        services.apply_proposal(project, data, by=manager, chosen={"security": too_many})
    assert "override_reason" in error.value.message_dict
    row = services.apply_proposal(
        project, data, by=manager, chosen={"security": too_many}, override_reason="场馆要求"
    )
    assert row.deviations[0]["field"] == "security"
    assert ResourceProposal.objects.filter(project=project).count() == 2


def test_REQ_RES_03_proposal_differing_from_frozen_plan_is_a_deviation(project, manager, frozen_plan):
    data = {"attendees": 200, "layout": "theatre", "tiers": ["basic"]}
    with pytest.raises(Exception) as error:
        services.apply_proposal(project, data, by=manager)  # plan has 2 projectors … reception 1
    assert "override_reason" in error.value.message_dict


def test_calculator_page_live_update_and_apply(client, manager, project, hall):
    client.force_login(manager)
    page = client.get("/resources/calculator/", {"project": project.pk})
    assert page.status_code == 200 and b"calculator-form" in page.content
    partial = client.get(
        "/resources/calculator/",
        {"attendees": 200, "layout": "theatre", "tiers": ["basic", "standard"], "room": hall.pk},
        HTTP_HX_REQUEST="true",
    )
    assert partial.status_code == 200 and b"<html" not in partial.content
    assert b'data-key="projectors"' in partial.content
    bad = client.get(
        "/resources/calculator/",
        {"attendees": -1, "layout": "theatre", "tiers": ["basic"]},
        HTTP_HX_REQUEST="true",
    )
    assert b'data-field="attendees"' in bad.content
    response = client.post(
        "/resources/calculator/apply/",
        {"attendees": 200, "layout": "theatre", "tiers": ["basic", "standard"], "project": project.pk},
    )
    assert response.status_code == 302
    assert ResourceProposal.objects.filter(project=project).exists()
