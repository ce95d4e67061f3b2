"""Issue 10, "Offline replay" (REQ-ONS-02): 1,000 queued scans replayed three times in random order give the
same final state.

The scans are what four door phones queue while the network is down: entries, exits and re-entries, the same
ticket admitted at two doors (some at the very same instant), cancelled registrations, unreadable codes and
tickets of another meeting. They are sent through a real server's sync endpoint (batches of 25, the four
devices syncing at the same time, as they do when the network comes back):

* two meetings with the same attendees each receive the 1,000 scans in a different random order: their final
  states — check-ins (time, device, presence, the scan that admitted), presence events and conflicts — are
  identical;
* the first meeting then receives them twice more, in two other random orders (three times in all): nothing
  changes, every item is answered as a replay of its first answer, and no scan is recorded twice.
"""

import json
import random
import threading
import time
from datetime import UTC, datetime, timedelta

from huiyi.onsite.attendees.models import Ticket
from huiyi.onsite.checkin.models import CheckIn, Conflict, PresenceEvent, ScanRecord

from .harness import Server

SCANS = 1000
DEVICES = 4
BATCH = 25
RETRIES = 20


def queued_scans(tickets: int, cancelled: int, seed: int = 7) -> list[dict]:
    """The queue: ticket number (or a stray code), device, direction, seconds after the start; 1,000 scans."""
    rng = random.Random(seed)
    scans: list[dict] = []
    while len(scans) < SCANS - 40:
        ticket = rng.randrange(tickets)
        device = rng.randrange(DEVICES)
        at = rng.randrange(0, 3 * 3600)
        scans.append({"ticket": ticket, "device": device, "direction": "in", "at": at})
        if rng.random() < 0.15:  # admitted again at another door: a moment later, or at the very same second
            other = (device + 1 + rng.randrange(DEVICES - 1)) % DEVICES
            scans.append(
                {"ticket": ticket, "device": other, "direction": "in", "at": at + rng.choice([0, 0, 1, 30])}
            )
        if rng.random() < 0.4:  # goes out, and maybe comes back
            out = at + rng.randrange(60, 1800)
            scans.append({"ticket": ticket, "device": rng.randrange(DEVICES), "direction": "out", "at": out})
            if rng.random() < 0.5:
                back = out + rng.randrange(60, 1800)
                scans.append(
                    {"ticket": ticket, "device": rng.randrange(DEVICES), "direction": "in", "at": back}
                )
    del scans[SCANS - 40 :]
    for n in range(20):  # unreadable codes, and tickets of another meeting
        scans.append({"stray": f"NOT-A-TICKET-{n}", "device": n % DEVICES, "direction": "in", "at": 60 * n})
        scans.append({"foreign": n, "device": n % DEVICES, "direction": "in", "at": 60 * n + 7})
    assert any(s.get("ticket", cancelled) < cancelled for s in scans)  # cancelled registrations are scanned
    return scans


def items_for(meeting: dict, scans: list[dict], foreign_codes: list[str], base: datetime) -> list[dict]:
    items = []
    for n, scan in enumerate(scans):
        if "ticket" in scan:
            code = meeting["codes"][scan["ticket"]]
        elif "stray" in scan:
            code = scan["stray"]
        else:
            code = foreign_codes[scan["foreign"]]
        items.append(
            {
                "code": code,
                "device": f"door-{scan['device']}",
                "scanned_at": (base + timedelta(seconds=scan["at"])).isoformat(),
                "key": f"m{meeting['project']}-{n}",
                "project": meeting["project"],
                "direction": scan["direction"],
                "source": "camera",
                "_device": scan["device"],
            }
        )
    return items


def sync(server: Server, tokens: list[str], items: list[dict], order_seed: int) -> tuple[dict, set]:
    """Send the items in a random order: each device its own share, the devices at the same time. A batch
    answered 503 (SQLite busy past its timeout while four devices write at once on a loaded machine) is sent
    again after a pause, as the scanner page does. Returns the last answer by key, and the keys sent twice."""
    order = list(items)
    random.Random(order_seed).shuffle(order)
    answers: dict[str, dict] = {}
    resent: set[str] = set()
    failures: list[str] = []
    lock = threading.Lock()

    def device(index: int) -> None:
        web = server.web(token=tokens[index], timeout=300)
        mine = [
            {k: v for k, v in item.items() if k != "_device"} for item in order if item["_device"] == index
        ]
        for start in range(0, len(mine), BATCH):
            batch = mine[start : start + BATCH]
            for attempt in range(RETRIES + 1):
                status, headers, body = web.post_json("/api/v1/checkin/sync/", {"scans": batch})
                if status != 503 or attempt == RETRIES:
                    break
                with lock:
                    resent.update(item["key"] for item in batch)
                time.sleep(float(headers.get("retry-after", "1")) / 5)
            with lock:
                if status != 200:
                    failures.append(f"HTTP {status}: {body[:300]!r}")
                else:
                    answers.update((answer["key"], answer) for answer in json.loads(body)["results"])

    threads = [threading.Thread(target=device, args=(index,)) for index in range(DEVICES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == [], failures[:5]
    assert len(answers) == len(items)
    if resent:
        print(f"sync: {len(resent)} scans sent again after a 503")
    return answers, resent


def final_state(db, meeting: dict) -> dict:
    """Check-ins, presence events and conflicts of the meeting, by ticket number and scan number (the tickets'
    codes and the scans' keys differ between meetings; everything else must not)."""
    index = {code: n for n, code in enumerate(meeting["codes"])}
    prefix = f"m{meeting['project']}-"

    def scan(key):
        return None if key is None else int(key.removeprefix(prefix))

    tickets, checkins = Ticket._meta.db_table, CheckIn._meta.db_table
    records, events, conflicts = (
        ScanRecord._meta.db_table,
        PresenceEvent._meta.db_table,
        Conflict._meta.db_table,
    )
    project = [meeting["project"]]
    rows = db.query(
        f"SELECT t.code, c.checked_in_at, c.present, c.device, c.offline, c.client_time, s.idempotency_key "  # noqa: S608
        f'FROM "{checkins}" c JOIN "{tickets}" t ON t.id = c.ticket_id '
        f'LEFT JOIN "{records}" s ON s.id = c.scan_id WHERE c.project_id = %s',
        project,
    )
    state = {
        "checkins": sorted(
            (index[r[0]], str(r[1]), bool(r[2]), r[3], bool(r[4]), str(r[5]), scan(r[6])) for r in rows
        )
    }
    rows = db.query(
        f'SELECT t.code, e.direction, e.at, e.device, s.idempotency_key FROM "{events}" e '  # noqa: S608
        f'JOIN "{checkins}" c ON c.id = e.checkin_id JOIN "{tickets}" t ON t.id = c.ticket_id '
        f'JOIN "{records}" s ON s.id = e.scan_id WHERE e.project_id = %s',
        project,
    )
    state["events"] = sorted((index[r[0]], r[1], str(r[2]), r[3], scan(r[4])) for r in rows)
    rows = db.query(
        f'SELECT t.code, f.kind, s.idempotency_key, k.idempotency_key FROM "{conflicts}" f '  # noqa: S608
        f'JOIN "{tickets}" t ON t.id = f.ticket_id JOIN "{records}" s ON s.id = f.scan_id '
        f'LEFT JOIN "{records}" k ON k.id = f.kept_scan_id WHERE f.project_id = %s',
        project,
    )
    state["conflicts"] = sorted((index[r[0]], r[1], scan(r[2]), scan(r[3])) for r in rows)
    state["scan_records"] = db.count(records, "project_id = %s", project)
    return state


def differences(one: dict, other: dict) -> dict:
    """What differs between two final states, by ticket number (for the failure message)."""
    found = {}
    for part in ("checkins", "events", "conflicts"):
        mine, theirs = set(one[part]), set(other[part])
        for row in mine ^ theirs:
            found.setdefault(row[0], []).append(("first" if row in mine else "second", part, row[1:]))
    return dict(sorted(found.items())[:10])


def test_req_ons_02_offline_queue_replayed_three_times_in_random_order_same_final_state(
    make_installation, seed
):
    installation = make_installation()
    meetings = seed["replay"]
    tokens = seed["scanners"][:DEVICES]
    scans = queued_scans(len(meetings[0]["codes"]), meetings[0]["cancelled"])
    assert len(scans) == SCANS
    base = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=4)
    foreign = seed["contested"]["codes"][:20]
    server = Server(installation, workers=1, threads=4).start()
    try:
        db = installation.db
        states = []
        for number, meeting in enumerate(meetings[:2]):  # two fresh meetings, two orders
            answers, resent = sync(
                server, tokens, items_for(meeting, scans, foreign, base), order_seed=number
            )
            assert not [a for a in answers.values() if a["result"] == "invalid"]
            assert not [k for k, a in answers.items() if a.get("replayed") and k not in resent]
            states.append(final_state(db, meeting))
        first = meetings[0]
        for number in (2, 3):  # the first meeting's queue, replayed in two more orders
            answers, _resent = sync(server, tokens, items_for(first, scans, foreign, base), order_seed=number)
            assert all(a.get("replayed") for a in answers.values())
            assert final_state(db, first) == states[0]
    finally:
        server.stop()

    assert states[0]["scan_records"] == SCANS
    assert states[1] == states[0], differences(states[0], states[1])
    assert len(states[0]["checkins"]) > 150 and states[0]["events"] and states[0]["conflicts"]  # a real mix
    kinds = {conflict[1] for conflict in states[0]["conflicts"]}
    assert kinds == {"duplicate", "cancelled"}, kinds
    assert installation.db.integrity_problems() == []
