"""REQ-ONS-02: two devices scanning one ticket at the same instant get exactly one "ok" — guaranteed by the
database (a unique check-in per ticket), not by timing. Real threads with their own database connections, on
whichever database the suite runs on (SQLite in WAL mode, or PostgreSQL)."""

import threading
from collections import Counter, defaultdict

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from huiyi.onsite.checkin.models import CheckIn, ScanRecord

in_memory_sqlite = pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="the suite's SQLite database is shared-cache memory: the file-database test below covers SQLite",
)

THREADS = 12
TICKETS = 15
ROUNDS = 3


def hammer(tokens, codes, project_id, *, same_key=False):
    """Every thread scans every ticket ROUNDS times, all threads released at once."""
    barrier = threading.Barrier(len(tokens))
    answers = defaultdict(list)
    errors = []
    lock = threading.Lock()

    def run(index, token):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        try:
            barrier.wait()
            for round_ in range(ROUNDS):
                for code in codes:
                    key = f"{code}-shared" if same_key else f"{index}-{round_}-{code}"
                    response = client.post(
                        "/api/v1/checkin/redeem/",
                        {"code": code, "device": f"door-{index}", "project": project_id},
                        format="json",
                        HTTP_IDEMPOTENCY_KEY=key,
                    )
                    with lock:
                        if response.status_code != 200:
                            errors.append((response.status_code, response.content[:300]))
                        else:
                            answers[code].append(response.json())
        except Exception as error:  # noqa: BLE001 - reported by the test
            with lock:
                errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, token)) for i, token in enumerate(tokens)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers, errors


@in_memory_sqlite
@pytest.mark.django_db(transaction=True)
def test_req_ons_02_many_devices_one_ok_per_ticket(meeting, add_attendee, make_user):
    project = meeting["project"]
    scanners = [meeting["reception"]]
    for i in range(THREADS - 1):
        user = make_user("reception", meeting["unit"], username=f"door{i}")
        project.members.create(user=user, role_id=user.memberships.get().role_id)
        scanners.append(user)
    tokens = [Token.objects.create(user=user).key for user in scanners]
    codes = [add_attendee(project).code for _ in range(TICKETS)]

    answers, errors = hammer(tokens, codes, project.pk)

    assert errors == []
    for code in codes:
        results = Counter(answer["result"] for answer in answers[code])
        assert results == {"ok": 1, "already_checked_in": THREADS * ROUNDS - 1}, (code, results)
        first = next(a for a in answers[code] if a["result"] == "ok")["checked_in_at"]
        # Everyone told "already" hears the first check-in's time.
        assert {a["checked_in_at"] for a in answers[code]} == {first}
    assert CheckIn.objects.filter(project=project).count() == TICKETS
    assert ScanRecord.objects.filter(project=project).count() == TICKETS * THREADS * ROUNDS
    assert ScanRecord.objects.filter(project=project, result="ok").count() == TICKETS


@in_memory_sqlite
@pytest.mark.django_db(transaction=True)
def test_req_ons_02_one_key_retried_at_once_is_one_scan(meeting, add_attendee):
    """The same Idempotency-Key sent by several connections at once (a retrying client): one scan, and every
    answer is the first one."""
    project = meeting["project"]
    token = Token.objects.create(user=meeting["reception"]).key
    codes = [add_attendee(project).code for _ in range(5)]

    answers, errors = hammer([token] * 8, codes, project.pk, same_key=True)

    assert errors == []
    for code in codes:
        assert {a["result"] for a in answers[code]} == {"ok"}
        assert len({a["checked_in_at"] for a in answers[code]}) == 1
    assert ScanRecord.objects.filter(project=project).count() == len(codes)


def test_req_ons_02_contested_check_in_on_a_sqlite_file_in_wal_mode():
    """The same proof on SQLite as deployed (a file in WAL mode, immediate transactions), in a process of its
    own: the suite's SQLite test database is shared-cache memory, which cannot stand for it."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).with_name("contested_sqlite.py")
    env = {k: v for k, v in __import__("os").environ.items() if k not in {"DATABASE_URL", "HUIYI_DATA_DIR"}}
    done = subprocess.run(
        [sys.executable, str(script), str(THREADS), str(TICKETS), str(ROUNDS)],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary["vendor"] == "sqlite" and summary["journal_mode"] == "wal"
    assert summary["errors"] == []
    for code, results in summary["results"].items():
        assert results == {"ok": 1, "already_checked_in": THREADS * ROUNDS - 1}, (code, results)
        assert len(summary["times"][code]) == 1
    assert summary["checkins"] == TICKETS
    assert summary["scans"] == TICKETS * THREADS * ROUNDS
