"""REQ-ONS-02: scans made offline, synced later — idempotent, order-independent, earliest scan wins,
conflicts listed (never silent)."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone
from tests.checkin.conftest import redeem

from huiyi.onsite.checkin.models import CheckIn, Conflict, IdempotencyRecord, PresenceEvent, ScanRecord

pytestmark = pytest.mark.django_db
SYNC = "/api/v1/checkin/sync/"


def item(code, minutes_ago, device, key, **extra):
    at = timezone.now() - timedelta(minutes=minutes_ago)
    return {"code": code, "device": device, "scanned_at": at.isoformat(), "key": key, **extra}


def sync(client, items):
    response = client.post(SYNC, {"scans": items}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["results"]


def state(project):
    keys = dict(ScanRecord.objects.values_list("pk", "idempotency_key"))
    return {
        "checkins": sorted(
            (c.ticket_id, c.checked_in_at, c.device, c.present, keys.get(c.scan_id))
            for c in CheckIn.objects.filter(project=project)
        ),
        "events": sorted(
            (e.checkin.ticket_id, e.direction, e.at, keys[e.scan_id])
            for e in PresenceEvent.objects.filter(project=project).select_related("checkin")
        ),
        "conflicts": sorted(
            (c.ticket_id, c.kind, keys[c.scan_id], keys.get(c.kept_scan_id))
            for c in Conflict.objects.filter(project=project)
        ),
    }


def forget_everything():
    Conflict.objects.all().delete()
    PresenceEvent.objects.all().delete()
    CheckIn.objects.all().delete()
    IdempotencyRecord.objects.all().delete()
    ScanRecord.objects.all().delete()


def test_req_ons_02_offline_batch_replayed_in_any_order_gives_the_same_state(
    scanner_api, meeting, add_attendee
):
    project = meeting["project"]
    tickets = [add_attendee(project) for _ in range(12)]
    cancelled = add_attendee(project, status="cancelled")
    batch = []
    for n, ticket in enumerate(tickets):
        batch.append(item(ticket.code, 50 - n, "east", f"e{n}", project=project.pk))
        if n % 3 == 0:  # the same person also scanned at the west door, later
            batch.append(item(ticket.code, 45 - n, "west", f"w{n}", project=project.pk))
        if n % 4 == 1:  # left and came back
            batch.append(item(ticket.code, 30, "east", f"o{n}", project=project.pk, direction="out"))
            batch.append(item(ticket.code, 20, "west", f"r{n}", project=project.pk))
    batch.append(item(cancelled.code, 10, "east", "c1", project=project.pk))
    batch.append(item("not-a-ticket", 5, "east", "u1", project=project.pk))

    first_answers = sync(scanner_api, batch)
    expected = state(project)
    assert len(expected["checkins"]) == 12
    assert len([c for c in expected["conflicts"] if c[1] == "duplicate"]) == 4
    assert len([c for c in expected["conflicts"] if c[1] == "cancelled"]) == 1
    assert len(expected["events"]) == 6  # three exits, three re-entries

    rng = random.Random(20261128)
    for _ in range(3):  # the device sends the same batch again, shuffled: nothing changes
        shuffled = batch[:]
        rng.shuffle(shuffled)
        answers = sync(scanner_api, shuffled)
        assert all(a["replayed"] for a in answers)
        assert state(project) == expected
    assert ScanRecord.objects.count() == len(batch)

    for _ in range(3):  # from nothing, in another order: the same final state
        forget_everything()
        shuffled = batch[:]
        rng.shuffle(shuffled)
        sync(scanner_api, shuffled)
        assert state(project) == expected
    assert {a["key"]: a["result"] for a in first_answers}["u1"] == "unknown"


def test_req_ons_02_an_earlier_offline_scan_moves_the_check_in_and_records_a_conflict(
    scanner_api, meeting, add_attendee
):
    project = meeting["project"]
    ticket = add_attendee(project, "钱七")
    online = redeem(scanner_api, ticket.code, key="live", device="gate-a", project=project.pk).json()
    assert online["result"] == "ok"
    answers = sync(scanner_api, [item(ticket.code, 30, "gate-b", "late", project=project.pk)])
    assert answers[0]["result"] == "ok"  # this scan is now the check-in
    checkin = CheckIn.objects.get(ticket=ticket)
    assert checkin.device == "gate-b" and checkin.offline
    assert checkin.checked_in_at < timezone.now() - timedelta(minutes=29)
    conflict = Conflict.objects.get(ticket=ticket)
    assert conflict.kind == "duplicate"
    assert conflict.scan.idempotency_key == "live" and conflict.kept_scan.idempotency_key == "late"
    assert conflict.acknowledged_at is None


def test_req_ons_02_two_offline_devices_admit_one_ticket_earliest_kept(scanner_api, meeting, add_attendee):
    project = meeting["project"]
    ticket = add_attendee(project)
    answers = sync(
        scanner_api,
        [
            item(ticket.code, 10, "north", "n1", project=project.pk),
            item(ticket.code, 12, "south", "s1", project=project.pk),
        ],
    )
    assert [a["result"] for a in answers] == ["ok", "ok"]  # each was, when it arrived, the earliest
    checkin = CheckIn.objects.get()
    assert checkin.device == "south"
    conflict = Conflict.objects.get()
    assert (conflict.scan.device, conflict.kept_scan.device) == ("north", "south")
    # The answer to a repeat is the first answer, even though the state moved on.
    assert sync(scanner_api, [item(ticket.code, 10, "north", "n1", project=project.pk)])[0]["result"] == "ok"


def test_req_ons_02_offline_scan_of_a_cancelled_attendee_is_blocked_and_listed(
    scanner_api, meeting, add_attendee
):
    ticket = add_attendee(meeting["project"], status="cancelled")
    answer = sync(scanner_api, [item(ticket.code, 3, "east", "x1")])[0]
    assert answer["result"] == "blocked"
    assert not CheckIn.objects.exists()
    assert Conflict.objects.get().kind == "cancelled"


def test_a_scan_whose_online_answer_was_lost_is_counted_once(scanner_api, meeting, add_attendee):
    """The page timed out waiting, queued the scan with the same key; the server had checked it in."""
    project = meeting["project"]
    ticket = add_attendee(project)
    online = redeem(scanner_api, ticket.code, key="same", project=project.pk).json()
    answer = sync(scanner_api, [item(ticket.code, 0, "door-1", "same", project=project.pk)])[0]
    assert answer["replayed"] is True and answer["result"] == "ok"
    assert answer["checked_in_at"] == online["checked_in_at"]
    assert ScanRecord.objects.count() == 1 and not Conflict.objects.exists()


def test_bad_items_are_refused_one_by_one_with_their_fields(scanner_api, meeting, add_attendee):
    scanner_api.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    ticket = add_attendee(meeting["project"])
    future = (timezone.now() + timedelta(hours=2)).isoformat()
    answers = sync(
        scanner_api,
        [
            {"code": ticket.code, "device": "d", "scanned_at": future, "key": "f"},
            {"code": ticket.code, "device": "d", "scanned_at": "yesterday", "key": "g"},
            {"code": ticket.code, "device": "d", "scanned_at": timezone.now().isoformat()},
            "not an object",
            item(ticket.code, 1, "d", "good"),
        ],
    )
    assert [a["result"] for a in answers] == ["invalid", "invalid", "invalid", "invalid", "ok"]
    assert "scanned_at" in answers[0]["error"]["fields"]
    assert "future" in answers[0]["error"]["fields"]["scanned_at"][0]
    assert "scanned_at" in answers[1]["error"]["fields"]
    assert "key" in answers[2]["error"]["fields"]
    assert answers[2]["error"]["message"].startswith("Scan 3 was refused")
    assert ScanRecord.objects.count() == 1


def test_batch_shape_and_size(scanner_api):
    assert scanner_api.post(SYNC, {"scans": "x"}, format="json").status_code == 400
    big = [item("c", 1, "d", f"k{i}") for i in range(501)]
    response = scanner_api.post(SYNC, {"scans": big}, format="json")
    assert response.status_code == 400 and "scans" in response.json()["error"]["fields"]
    assert scanner_api.post(SYNC, [], format="json").json() == {"results": []}  # a bare list is accepted


def test_sync_needs_the_scan_permission(meeting, make_user):
    from tests.checkin.conftest import token_client

    finance = make_user("finance", meeting["unit"])
    assert token_client(finance).post(SYNC, {"scans": []}, format="json").status_code == 403
