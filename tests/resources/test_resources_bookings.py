"""Bookings (REQ-RES-05, CCP-04): double bookings refused (also concurrently), confirmations, mismatches."""

import hashlib
import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from rest_framework.test import APIClient

from huiyi.quality.metrics import measure
from huiyi.resources import queries, services
from huiyi.resources.models import Booking
from huiyi.rulebook.services import rulebook_for


def _letter(name="确认函.pdf", body=b"%PDF-1.4 confirmation"):
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def test_REQ_RES_05_overlapping_room_booking_is_refused(project, execution, hall, make_project, manager):
    services.book(
        project,
        by=execution,
        kind="venue",
        room=hall,
        layout="theatre",
        starts_at=project.start,
        ends_at=project.end,
    )
    other = make_project(phase=2, members=[(execution, "project_execution")], start_in_days=30)
    with pytest.raises(services.DoubleBooking) as error:
        services.book(
            other,
            by=execution,
            kind="venue",
            room=hall,
            starts_at=project.start + timedelta(hours=2),
            ends_at=project.end + timedelta(hours=2),
        )
    assert (
        "黄浦厅" in error.value.message_dict["room"][0]
        and project.code in error.value.message_dict["room"][0]
    )
    # back-to-back is not an overlap
    services.book(
        other,
        by=execution,
        kind="venue",
        room=hall,
        starts_at=project.end,
        ends_at=project.end + timedelta(hours=3),
    )
    assert Booking.objects.filter(room=hall).count() == 2


def test_REQ_RES_05_overlapping_device_booking_is_refused(project, execution, projector):
    services.book(
        project,
        by=execution,
        kind="equipment",
        equipment=projector,
        starts_at=project.start,
        ends_at=project.end,
    )
    with pytest.raises(services.DoubleBooking):
        services.book(
            project,
            by=execution,
            kind="equipment",
            equipment=projector,
            starts_at=project.start,
            ends_at=project.end,
        )
    assert Booking.objects.count() == 1


def test_REQ_RES_05_booking_needs_permission_and_valid_times(project, execution, hall, make_user, org):
    outsider = make_user("planner", org["south"])
    with pytest.raises(Exception):  # PermissionDenied
        services.book(
            project, by=outsider, kind="venue", room=hall, starts_at=project.start, ends_at=project.end
        )
    with pytest.raises(ValidationError) as error:
        services.book(
            project, by=execution, kind="venue", room=hall, starts_at=project.end, ends_at=project.start
        )
    assert "ends_at" in error.value.message_dict
    assert not Booking.objects.exists()


def test_REQ_RES_04_booking_a_room_too_small_for_the_layout_is_refused(project, execution, small_room):
    with pytest.raises(ValidationError) as error:
        services.book(
            project,
            by=execution,
            kind="venue",
            room=small_room,
            layout="theatre",
            starts_at=project.start,
            ends_at=project.end,
        )
    assert "room" in error.value.message_dict


@pytest.mark.django_db(transaction=True)
def test_REQ_RES_05_two_concurrent_bookings_of_one_room_cannot_both_succeed(project, execution, hall):
    barrier = threading.Barrier(2)
    outcomes = []

    def attempt():
        try:
            barrier.wait()
            services.book(
                project, by=execution, kind="venue", room=hall, starts_at=project.start, ends_at=project.end
            )
            outcomes.append("booked")
        except services.DoubleBooking:
            outcomes.append("refused")
        except Exception as error:  # a locked database is also a refusal: nothing saved
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("booked") == 1, outcomes
    assert Booking.objects.filter(room=hall).count() == 1


def test_REQ_RES_05_confirmation_keeps_the_document_and_its_sha256(project, execution, hall):
    booking = services.book(
        project, by=execution, kind="venue", room=hall, starts_at=project.start, ends_at=project.end
    )
    assert measure("booking_confirmations_complete", project, rulebook_for(project)).value == 0
    with pytest.raises(ValidationError):
        services.confirm_booking(booking, by=execution)
    body = b"%PDF-1.4 signed letter"
    services.confirm_booking(booking, by=execution, document=_letter(body=body))
    booking.refresh_from_db()
    assert booking.confirmed and booking.confirmed_by == execution
    assert booking.document_sha256 == hashlib.sha256(body).hexdigest()
    result = measure("booking_confirmations_complete", project, rulebook_for(project))
    assert result.value == 1


def test_CCP_04_booking_error_rate_counts_mismatches_against_the_frozen_plan(
    project, execution, hall, projector, frozen_plan
):
    rb = rulebook_for(project)
    start, end = project.start, project.end
    services.book(project, by=execution, kind="venue", room=hall, starts_at=start, ends_at=end)
    services.book(project, by=execution, kind="equipment", equipment=projector, starts_at=start, ends_at=end)
    services.book(
        project,
        by=execution,
        kind="staff",
        staff=execution,
        staff_role="reception",
        starts_at=start,
        ends_at=end,
    )
    services.book(
        project,
        by=execution,
        kind="material",
        material="会议手册",
        quantity=200,
        starts_at=start,
        ends_at=end,
    )
    comparison = queries.compare_with_plan(project)
    assert comparison.lines == 4
    assert [m.line.name for m in comparison.mismatches] == ["投影仪"]  # plan 2, booked 1
    assert "2" in comparison.mismatches[0].reason
    result = measure("booking_error_rate", project, rb)
    assert result.value == pytest.approx(0.25)
    assert rb.rule("ccp04.booking_error_rate").passes(result.value) is False


def test_CCP_04_booking_with_a_plan_line_name_matches_that_line(project, execution, small_room, frozen_plan):
    services.book(
        project,
        by=execution,
        kind="venue",
        room=small_room,
        plan_item="黄浦厅",
        starts_at=project.start,
        ends_at=project.end,
    )
    names = [m.line.name for m in queries.compare_with_plan(project).mismatches]
    assert "黄浦厅" not in names


def test_CCP_04_not_measurable_without_a_frozen_plan(project, monkeypatch):
    monkeypatch.setattr("huiyi.resources.queries.plan_resources", lambda p: None)
    outcome = measure("booking_error_rate", project, rulebook_for(project))
    assert not hasattr(outcome, "value")


# --- API ----------------------------------------------------------------------------------------
@pytest.fixture
def api(execution):
    client = APIClient()
    client.force_authenticate(execution)
    return client


def test_REQ_RES_05_api_creates_lists_and_refuses_a_double_booking_with_409(api, project, hall):
    url = f"/api/v1/projects/{project.pk}/bookings/"
    payload = {
        "kind": "venue",
        "room": hall.pk,
        "layout": "theatre",
        "starts_at": project.start.isoformat(),
        "ends_at": project.end.isoformat(),
    }
    created = api.post(url, payload, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["confirmed"] is False
    again = api.post(url, payload, format="json")
    assert again.status_code == 409
    body = again.json()["error"]
    assert body["code"] == "double_booking" and "room" in body["fields"] and "黄浦厅" in body["message"]
    listed = api.get(url).json()
    assert listed["count"] == 1 and listed["results"][0]["resource"].endswith("黄浦厅")


def test_REQ_RES_05_api_bad_input_names_the_field(api, project):
    url = f"/api/v1/projects/{project.pk}/bookings/"
    response = api.post(
        url,
        {"kind": "venue", "starts_at": project.start.isoformat(), "ends_at": project.start.isoformat()},
        format="json",
    )
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert "room" in fields or "ends_at" in fields


def test_REQ_RES_05_api_upload_of_a_confirmed_booking(api, project, projector):
    url = f"/api/v1/projects/{project.pk}/bookings/"
    response = api.post(
        url,
        {
            "kind": "equipment",
            "equipment": projector.pk,
            "starts_at": project.start.isoformat(),
            "ends_at": project.end.isoformat(),
            "confirmed": "true",
            "confirmation_document": _letter(),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    assert len(response.json()["document_sha256"]) == 64


def test_bookings_of_an_invisible_project_are_not_found(project, make_user, org):
    stranger = make_user("planner", org["south"])
    client = APIClient()
    client.force_authenticate(stranger)
    assert client.get(f"/api/v1/projects/{project.pk}/bookings/").status_code == 404


def test_booking_list_query_count_is_bounded(api, project, execution, django_assert_max_num_queries):
    from huiyi.resources.services import register_equipment

    for n in range(12):
        device = register_equipment(name=f"话筒 {n}", category="microphone", serial_number=f"M-{n}")
        services.book(
            project,
            by=execution,
            kind="equipment",
            equipment=device,
            starts_at=project.start,
            ends_at=project.end,
        )
    with django_assert_max_num_queries(12):
        assert api.get(f"/api/v1/projects/{project.pk}/bookings/").json()["count"] == 12


def test_bookings_page_books_refuses_and_confirms(
    client, execution, project, hall, django_assert_max_num_queries
):
    client.force_login(execution)
    url = f"/resources/projects/{project.pk}/bookings/"
    fmt = "%Y-%m-%dT%H:%M"
    from django.utils import timezone

    data = {
        "kind": "venue",
        "room": hall.pk,
        "layout": "theatre",
        "quantity": 1,
        "starts_at": timezone.localtime(project.start).strftime(fmt),
        "ends_at": timezone.localtime(project.end).strftime(fmt),
    }
    assert client.post(url + "new/", data).status_code == 302
    refused = client.post(url + "new/", data)
    assert refused.status_code == 200
    assert b'data-field="room"' in refused.content
    booking = Booking.objects.get()
    client.post(f"/resources/bookings/{booking.pk}/confirm/", {"document": _letter()})
    booking.refresh_from_db()
    assert booking.confirmed
    with django_assert_max_num_queries(40):
        page = client.get(url)
    assert page.status_code == 200 and "黄浦厅" in page.content.decode()
    download = client.get(f"/resources/bookings/{booking.pk}/file/confirmation/")
    assert download.status_code == 200
