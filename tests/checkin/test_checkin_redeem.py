"""REQ-ONS-02: the redeem and checkout endpoints — every answer, idempotency, bad input, permissions."""

import pytest
from django.utils import translation
from tests.checkin.conftest import redeem, token_client

from huiyi.onsite.checkin.models import CheckIn, IdempotencyRecord, PresenceEvent, ScanRecord

pytestmark = pytest.mark.django_db


def test_req_ons_02_redeem_answers_ok_then_already_checked_in_with_the_first_time(
    scanner_api, meeting, add_attendee
):
    ticket = add_attendee(meeting["project"], "张三", category="vip", seat="1排1座", organisation="浦江科技")
    first = redeem(scanner_api, ticket.code, key="a1", project=meeting["project"].pk)
    assert first.status_code == 200
    body = first.json()
    assert body["result"] == "ok"
    assert body["attendee"] == {
        "name": "张三",
        "organisation": "浦江科技",
        "category": "vip",
        "seat": "1排1座",
    }
    assert body["reentry"] is False
    checkin = CheckIn.objects.get(ticket=ticket)
    assert checkin.device == "door-1" and checkin.user == meeting["reception"] and not checkin.offline

    second = redeem(scanner_api, ticket.code, key="a2", device="door-2")
    assert second.json()["result"] == "already_checked_in"
    assert second.json()["checked_in_at"] == body["checked_in_at"]
    assert CheckIn.objects.filter(ticket=ticket).count() == 1


def test_req_ons_02_unknown_wrong_meeting_and_blocked(scanner_api, meeting, add_attendee, make_project):
    project = meeting["project"]
    # Another meeting the scanner also sees (same team), and one of another unit it does not see.
    other = make_project(meeting["unit"], members=[(meeting["reception"], "reception")])
    foreign = make_project(meeting["unit"], name="保密会议")
    mine = add_attendee(other, "李四")
    hidden = add_attendee(foreign, "王五")
    cancelled = add_attendee(project, "赵六", status="cancelled")

    assert redeem(scanner_api, "no-such-ticket", project=project.pk).json()["result"] == "unknown"
    wrong = redeem(scanner_api, mine.code, project=project.pk).json()
    assert wrong["result"] == "wrong_meeting" and wrong["attendee"]["name"] == "李四"
    leak = redeem(scanner_api, hidden.code, project=project.pk).json()
    assert leak == {"result": "wrong_meeting", "attendee": None, "checked_in_at": None, "reentry": False}
    # Without a meeting given, a ticket of a meeting the scanner cannot see still reveals nothing.
    assert redeem(scanner_api, hidden.code).json()["attendee"] is None
    blocked = redeem(scanner_api, cancelled.code, project=project.pk).json()
    assert blocked["result"] == "blocked" and blocked["attendee"]["name"] == "赵六"
    assert not CheckIn.objects.exists()
    assert set(ScanRecord.objects.values_list("result", flat=True)) == {"unknown", "wrong_meeting", "blocked"}


@pytest.mark.parametrize(
    "code",
    [
        "",
        "   ",
        "x" * 10_000,
        "票😀二维码\u202e",
        "' OR 1=1; DROP TABLE attendees_ticket; --",
        "abc\x00def",
        "\n\t",
    ],
    ids=["empty", "blank", "10kB", "unicode", "sql", "nul", "whitespace"],
)
def test_req_ons_02_malformed_codes_are_unknown_never_an_error(scanner_api, meeting, code):
    response = redeem(scanner_api, code, key="m", project=meeting["project"].pk)
    assert response.status_code == 200
    assert response.json()["result"] == "unknown"
    record = ScanRecord.objects.get()
    assert record.code_length == len(code.strip())
    assert len(record.code) <= 200


def test_idempotency_same_key_same_bytes_other_request_refused(scanner_api, meeting, add_attendee):
    ticket = add_attendee(meeting["project"])
    first = redeem(scanner_api, ticket.code, key="k-1")
    again = redeem(scanner_api, ticket.code, key="k-1")
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert ScanRecord.objects.count() == 1  # a retry is not a second scan
    other = redeem(scanner_api, add_attendee(meeting["project"]).code, key="k-1")
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    # The key belongs to its user: another scanner may use the same string.
    colleague = token_client(meeting["director"])
    assert redeem(colleague, ticket.code, key="k-1").json()["result"] == "already_checked_in"
    assert IdempotencyRecord.objects.count() == 2


def test_bad_requests_name_the_field(scanner_api):
    scanner_api.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        missing = scanner_api.post("/api/v1/checkin/redeem/", {"device": "d"}, format="json")
        assert missing.status_code == 400
        assert missing.json()["error"]["fields"] == {"code": ["This field is required."]}
        no_device = scanner_api.post("/api/v1/checkin/redeem/", {"code": "x"}, format="json")
        assert "device" in no_device.json()["error"]["fields"]
        wrong_type = scanner_api.post("/api/v1/checkin/redeem/", {"code": 5, "device": "d"}, format="json")
        assert "code" in wrong_type.json()["error"]["fields"]
        project = scanner_api.post(
            "/api/v1/checkin/redeem/", {"code": "x", "device": "d", "project": "one"}, format="json"
        )
        assert "project" in project.json()["error"]["fields"]
        junk = scanner_api.post("/api/v1/checkin/redeem/", data=b"{not json", content_type="application/json")
        assert junk.status_code == 400 and junk.json()["error"]["code"] == "parse_error"
        listed = scanner_api.post("/api/v1/checkin/redeem/", [1, 2], format="json")
        assert listed.status_code == 400
        long_key = redeem(scanner_api, "x", key="k" * 101)
        assert "Idempotency-Key" in long_key.json()["error"]["fields"]
        assert scanner_api.get("/api/v1/checkin/redeem/").status_code == 405
    assert not ScanRecord.objects.exists()


def test_permissions_anonymous_no_scan_role_and_foreign_meeting(
    meeting, make_user, add_attendee, make_project
):
    from rest_framework.test import APIClient

    ticket = add_attendee(meeting["project"])
    anonymous = redeem(APIClient(), ticket.code)
    assert anonymous.status_code == 401 and anonymous["WWW-Authenticate"].startswith("Token")
    assert redeem(APIClient(HTTP_AUTHORIZATION="Token nope"), ticket.code).status_code == 401
    planner = make_user("finance", meeting["unit"])  # finance: sees the unit's projects, may not scan
    assert redeem(token_client(planner), ticket.code).status_code == 403
    outsider = make_user("reception", meeting["unit"])  # may scan, but is not on this meeting's team
    denied = redeem(token_client(outsider), ticket.code, project=meeting["project"].pk)
    assert denied.status_code == 403
    assert not ScanRecord.objects.exists()


def test_session_scanner_needs_the_csrf_token(client, meeting, add_attendee):
    from django.test import Client

    ticket = add_attendee(meeting["project"])
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(meeting["reception"])
    page = browser.get(f"/checkin/projects/{meeting['project'].pk}/scan/")
    assert page.status_code == 200
    body = {"code": ticket.code, "device": "phone"}
    refused = browser.post("/api/v1/checkin/redeem/", body, content_type="application/json")
    assert refused.status_code == 403
    token = browser.cookies["csrftoken"].value
    accepted = browser.post(
        "/api/v1/checkin/redeem/", body, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert accepted.json()["result"] == "ok"


def test_checkout_and_re_entry_are_recorded(scanner_api, meeting, add_attendee):
    ticket = add_attendee(meeting["project"])
    out_before = scanner_api.post(
        "/api/v1/checkin/checkout/", {"code": ticket.code, "device": "d"}, format="json"
    )
    assert out_before.json()["result"] == "not_checked_in"
    first = redeem(scanner_api, ticket.code).json()
    out = scanner_api.post("/api/v1/checkin/checkout/", {"code": ticket.code, "device": "d"}, format="json")
    assert out.json()["result"] == "checked_out"
    again = scanner_api.post("/api/v1/checkin/checkout/", {"code": ticket.code, "device": "d"}, format="json")
    assert again.json()["result"] == "already_checked_out"
    back = redeem(scanner_api, ticket.code).json()
    assert back["result"] == "ok" and back["reentry"] is True
    assert back["checked_in_at"] == first["checked_in_at"]  # the check-in time stays the first one
    assert redeem(scanner_api, ticket.code).json()["result"] == "already_checked_in"
    checkin = CheckIn.objects.get(ticket=ticket)
    assert checkin.present is True
    assert list(PresenceEvent.objects.values_list("direction", flat=True)) == ["out", "in"]


def test_scan_record_keeps_what_happened(scanner_api, meeting, add_attendee):
    ticket = add_attendee(meeting["project"])
    redeem(scanner_api, f"  {ticket.code}\r\n", key="s1", device_name="东门 1 号机", source="keyboard")
    record = ScanRecord.objects.get()
    assert record.code == ticket.code  # the scanner's spaces and line end are not part of the code
    assert record.result == "ok" and record.ticket == ticket and record.project == meeting["project"]
    assert record.device_name == "东门 1 号机" and record.source == "keyboard"
    assert record.user == meeting["reception"] and record.idempotency_key == "s1"
    assert record.processing_us > 0 and record.offline is False
    assert CheckIn.objects.get().scan_id == record.pk


def test_text_no_database_can_store_is_refused_or_answered_unknown(scanner_api, meeting):
    lone_surrogate = b'{"code": "\\ud800abc", "device": "d"}'
    response = scanner_api.post(
        "/api/v1/checkin/redeem/", data=lone_surrogate, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["result"] == "unknown"
    bad_device = b'{"code": "x", "device": "\\ud800"}'
    response = scanner_api.post("/api/v1/checkin/redeem/", data=bad_device, content_type="application/json")
    assert response.status_code == 400 and "device" in response.json()["error"]["fields"]
    huge = scanner_api.post(
        "/api/v1/checkin/redeem/", {"code": "x", "device": "d", "project": 2**70}, format="json"
    )
    assert huge.status_code == 400 and "project" in huge.json()["error"]["fields"]
    search = scanner_api.get(f"/api/v1/projects/{meeting['project'].pk}/checkin/search/", {"q": "\x00王"})
    assert search.status_code == 200
