"""Resources actions of the web pages over the API: rooms of a venue with capacity per layout (REQ-RES-04),
the pre-use check of a booked device judged against the rulebook (REQ-ONS-03, CCP-06), the AV rehearsal
(CCP-06), confirming and cancelling a booking (REQ-RES-05). Each: success, denial, bad input."""

import hashlib
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from huiyi.accounts.models import Role
from huiyi.projects import services as projects
from huiyi.resources import readings, services
from huiyi.resources.models import Booking, EquipmentCheck, Rehearsal, Room
from huiyi.rulebook.services import rulebook_for

pytestmark = pytest.mark.django_db


def _api(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def assert_error(response, status, field=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    if field:
        assert field in body["error"]["fields"], body


@pytest.fixture
def reception(project, make_user, org):
    """A member of the project who neither changes it nor checks equipment."""
    user = make_user("reception", org["north_events"], username="rec")
    projects.add_member(project, user, Role.objects.get(key="reception"))
    return user


@pytest.fixture
def tech(project, make_user, org):
    user = make_user("technical_support", org["north_events"], username="tech")
    projects.add_member(project, user, Role.objects.get(key="technical_support"))
    return user


@pytest.fixture
def outsider(make_user, org):
    return make_user("project_manager", org["south_events"], username="outsider")


# --- rooms (REQ-RES-04) -----------------------------------------------------------------------------------


def test_REQ_RES_04_rooms_created_and_changed_with_capacity_per_layout(execution, manager, venue):
    url = f"/api/v1/venues/{venue.pk}/rooms/"
    created = _api(execution).post(
        url,
        {
            "name": "黄浦厅",
            "floor": "3F",
            "area_m2": "800.00",
            "capacities": {"theatre": 500, "classroom": 300},
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    room = created.json()
    assert room["venue"] == venue.pk and room["capacities"] == {"theatre": 500, "classroom": 300}
    patched = _api(execution).patch(f"{url}{room['id']}/", {"capacities": {"theatre": 480}}, format="json")
    assert patched.status_code == 200 and patched.json()["capacities"] == {"theatre": 480}
    assert Room.objects.get(pk=room["id"]).capacity_for("theatre") == 480
    assert [r["name"] for r in _api(manager).get(url).json()] == ["黄浦厅"]  # managers read rooms
    venue_body = _api(manager).get(f"/api/v1/venues/{venue.pk}/").json()
    assert venue_body["rooms"][0]["capacities"] == {"theatre": 480}


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "A", "area_m2": "100", "capacities": {"stadium": 50}}, "capacities"),
        ({"name": "A", "area_m2": "100", "capacities": {"theatre": -5}}, "capacities"),
        ({"name": "A", "area_m2": "100", "capacities": {"theatre": "五十"}}, "capacities"),
        ({"name": "A", "area_m2": "100", "capacities": [50]}, "capacities"),
        ({"name": "A", "area_m2": "-1"}, "area_m2"),
        ({"name": "A", "area_m2": "很大"}, "area_m2"),
        ({"area_m2": "100"}, "name"),
        ({"name": "黄浦厅", "area_m2": "100"}, "name"),  # the venue has a 黄浦厅 already
    ],
)
def test_bad_room_is_refused_naming_the_field(execution, venue, hall, payload, field):
    response = _api(execution).post(f"/api/v1/venues/{venue.pk}/rooms/", payload, format="json")
    assert_error(response, 400, field)
    assert list(Room.objects.values_list("name", flat=True)) == ["黄浦厅"]


def test_bad_room_change_changes_nothing(execution, venue, hall):
    response = _api(execution).patch(
        f"/api/v1/venues/{venue.pk}/rooms/{hall.pk}/", {"capacities": {"theatre": -1}}, format="json"
    )
    assert_error(response, 400, "capacities")
    hall.refresh_from_db()
    assert hall.capacity_for("theatre") == 500


def test_room_writes_need_the_register_role(manager, reception, venue, hall):
    url = f"/api/v1/venues/{venue.pk}/rooms/"
    payload = {"name": "会见厅", "area_m2": "90", "capacities": {"boardroom": 24}}
    assert_error(_api(manager).post(url, payload, format="json"), 403)  # reads, does not add
    assert_error(_api(manager).patch(f"{url}{hall.pk}/", {"name": "改名"}, format="json"), 403)
    assert_error(_api(reception).get(url), 403)  # no register role at all
    assert Room.objects.count() == 1 and Room.objects.get().name == "黄浦厅"


def test_room_of_another_venue_is_not_found(execution, venue, hall):
    other = services.create_venue(name="国家会议中心", address="北京", created_by=execution)
    response = _api(execution).patch(
        f"/api/v1/venues/{other.pk}/rooms/{hall.pk}/", {"name": "X"}, format="json"
    )
    assert_error(response, 404)


# --- equipment pre-use checks (REQ-ONS-03, CCP-06) ---------------------------------------------------------


@pytest.fixture
def projector_booking(project, execution, projector):
    return services.book(
        project,
        by=execution,
        kind="equipment",
        equipment=projector,
        starts_at=project.start,
        ends_at=project.end,
    )


def _passing(rule) -> Decimal:
    value = Decimal(str(rule.low if rule.low is not None else rule.value))
    assert rule.passes(value)
    return value


def test_REQ_ONS_03_check_rules_and_verdicts_come_from_the_rulebook(project, tech, projector_booking):
    url = f"/api/v1/projects/{project.pk}/bookings/{projector_booking.pk}/checks/"
    rules = readings.rules_for_category("projector", rulebook_for(project))
    listed = _api(tech).get(f"{url}rules/").json()
    assert [r["metric"] for r in listed] == [rule.metric for rule in rules] and listed[0]["required"]
    brightness = next(rule for rule in rules if rule.metric == "projector_brightness_lm")
    given = {rule.metric: str(_passing(rule)) for rule in rules}
    given["projector_brightness_lm"] = str(_passing(brightness) - 1)  # one lumen short
    response = _api(tech).post(
        url, {"readings": given, "functional": True, "note": "亮度不足"}, format="json"
    )
    assert response.status_code == 201, response.json()
    check = response.json()
    assert check["passed"] is False and check["checked_by"] == "tech"
    verdicts = {r["metric"]: r["passed"] for r in check["results"]}
    assert verdicts == {rule.metric: rule.metric != "projector_brightness_lm" for rule in rules}
    assert {r["rule"] for r in check["results"]} == {rule.id for rule in rules}
    given["projector_brightness_lm"] = str(_passing(brightness))
    passed = _api(tech).post(url, {"readings": given, "functional": True}, format="json").json()
    assert passed["passed"] is True
    assert [c["id"] for c in _api(tech).get(url).json()] == [passed["id"], check["id"]]


def test_check_with_a_missing_or_bad_reading_names_it_and_saves_nothing(project, tech, projector_booking):
    url = f"/api/v1/projects/{project.pk}/bookings/{projector_booking.pk}/checks/"
    response = _api(tech).post(
        url, {"readings": {"projector_resolution_vertical": "很亮"}, "functional": True}, format="json"
    )
    assert_error(response, 400, "readings.projector_resolution_vertical")
    assert "readings.projector_brightness_lm" in response.json()["error"]["fields"]
    assert_error(_api(tech).post(url, {"readings": {}}, format="json"), 400, "functional")
    assert_error(
        _api(tech).post(url, {"readings": [1, 2], "functional": True}, format="json"), 400, "readings"
    )
    assert not EquipmentCheck.objects.exists()


def test_checks_denied_without_the_role_and_hidden_from_outsiders(
    project, reception, outsider, projector_booking
):
    url = f"/api/v1/projects/{project.pk}/bookings/{projector_booking.pk}/checks/"
    assert_error(_api(reception).post(url, {"readings": {}, "functional": True}, format="json"), 403)
    assert_error(_api(outsider).post(url, {"readings": {}, "functional": True}, format="json"), 404)
    assert_error(_api(outsider).get(url), 404)
    assert not EquipmentCheck.objects.exists()


def test_only_booked_devices_are_checked(project, execution, tech, venue, hall):
    room = services.book(
        project,
        by=execution,
        kind="venue",
        room=hall,
        layout="theatre",
        starts_at=project.start,
        ends_at=project.end,
    )
    url = f"/api/v1/projects/{project.pk}/bookings/{room.pk}/checks/"
    assert _api(tech).get(f"{url}rules/").json() == []
    assert_error(_api(tech).post(url, {"functional": True}, format="json"), 400, "booking")


# --- the AV rehearsal (CCP-06) ---------------------------------------------------------------------------


def test_CCP_06_rehearsal_recorded_through_the_api(project, tech, reception):
    url = f"/api/v1/projects/{project.pk}/rehearsals/"
    held_at = (project.start.replace(microsecond=0)).isoformat()
    created = _api(tech).post(url, {"held_at": held_at, "note": "试音试视频"}, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["held_by"] == "tech"
    assert [r["note"] for r in _api(reception).get(url).json()] == ["试音试视频"]


def test_rehearsal_bad_input_and_denials(project, tech, reception, outsider):
    url = f"/api/v1/projects/{project.pk}/rehearsals/"
    assert_error(_api(tech).post(url, {"note": "没有时间"}, format="json"), 400, "held_at")
    assert_error(_api(tech).post(url, {"held_at": "昨天"}, format="json"), 400, "held_at")
    held_at = project.start.isoformat()
    assert_error(_api(reception).post(url, {"held_at": held_at}, format="json"), 403)
    assert_error(_api(outsider).post(url, {"held_at": held_at}, format="json"), 404)
    assert not Rehearsal.objects.exists()


# --- confirm and cancel a booking (REQ-RES-05) ------------------------------------------------------------


def test_REQ_RES_05_confirm_with_the_document_then_cancel(
    project, execution, projector_booking, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    url = f"/api/v1/projects/{project.pk}/bookings/{projector_booking.pk}/"
    content = b"%PDF-1.4 rental confirmation"
    document = SimpleUploadedFile("rental.pdf", content, content_type="application/pdf")
    confirmed = _api(execution).post(
        f"{url}confirm/", {"confirmation_document": document}, format="multipart"
    )
    assert confirmed.status_code == 200, confirmed.json()
    assert confirmed.json()["confirmed"] is True
    assert confirmed.json()["document_sha256"] == hashlib.sha256(content).hexdigest()
    assert _api(execution).get(url).json()["confirmed_at"]
    assert _api(execution).delete(url).status_code == 204
    assert not Booking.objects.exists()


def test_confirm_without_a_document_is_refused(project, execution, projector_booking):
    url = f"/api/v1/projects/{project.pk}/bookings/{projector_booking.pk}/confirm/"
    assert_error(_api(execution).post(url, {}, format="multipart"), 400, "confirmation_document")
    projector_booking.refresh_from_db()
    assert projector_booking.confirmed is False


def test_confirm_and_cancel_need_the_right_to_change_the_project(
    project, reception, outsider, projector_booking
):
    url = f"/api/v1/projects/{project.pk}/bookings/{projector_booking.pk}/"
    document = SimpleUploadedFile("x.pdf", b"%PDF", content_type="application/pdf")
    assert_error(_api(reception).post(f"{url}confirm/", {"confirmation_document": document}), 403)
    assert_error(_api(reception).delete(url), 403)
    assert_error(_api(outsider).delete(url), 404)
    projector_booking.refresh_from_db()
    assert projector_booking.confirmed is False
