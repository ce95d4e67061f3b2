"""Issue 10, "Crash safety" of the attendee import (REQ-ONS-02): the server is killed with SIGKILL at random
moments of an import — no partial import, the database's integrity check passes, the next run succeeds.

A real gunicorn serves the import API (the same service the import pages call). Twenty kills at random
moments of 1,000-row imports (CI's budget): the worker running the import is killed and the master forks a
new one. The kill moment is uniform over the shortest whole import seen so far; an import answered before
its kill does not count, and imports go on until twenty were killed. Every other import is a re-import that
changes every row, so a kill can also land in the middle of the updates. Then one full 20,000-row import
during which the WHOLE server — master and worker — is killed, and restarted. After every kill:

* the meeting holds all the rows of that import or none of them (a re-import: all rows changed or none),
  each attendee with exactly one ticket;
* the integrity check passes (SQLite: integrity_check and foreign_key_check; PostgreSQL: every foreign key
  of the catalog checked row by row);
* the same import, sent again, succeeds and leaves exactly the file's rows.
"""

import http.client
import random
import threading
import time

from huiyi.onsite.attendees.models import Attendee, Ticket

from .harness import Server, wait_for

KILLS = 20
ROWS = 1000
FULL_ROWS = 20_000
HEADER = "编号,姓名,单位,手机,邮箱,类别,座位\n"


def attendee_file(rows: int, variant: str) -> bytes:
    """A CSV export of a registration system; `variant` is what every row's seat starts with."""
    lines = [HEADER]
    for i in range(rows):
        lines.append(
            f"k{i},导入参会人{i:05d},单位{i % 300},138{i:08d},p{i}@example.com,"
            f"{'嘉宾' if i % 7 else '媒体'},{variant}{1 + i // 40}排{1 + i % 40}座\n"
        )
    return "".join(lines).encode("utf-8")


class Importer:
    def __init__(self, server: Server, token: str):
        self.server = server
        self.token = token

    def send(self, project: int, data: bytes) -> tuple[int | None, bytes]:
        web = self.server.web(token=self.token, timeout=600)
        try:
            status, _headers, body = web.post_multipart(
                f"/api/v1/projects/{project}/attendees/import/",
                {"dry_run": "false"},
                {"file": ("attendees.csv", data, "text/csv")},
            )
        except (OSError, http.client.HTTPException) as error:  # the server died under the request
            return None, repr(error).encode()
        return status, body

    def send_and_kill(self, project: int, data: bytes, delay: float, kill) -> tuple[int | None, bytes]:
        outcome: dict = {"answer": (None, b"no answer")}
        thread = threading.Thread(target=lambda: outcome.update(answer=self.send(project, data)))
        thread.start()
        time.sleep(delay)
        kill()
        thread.join(timeout=600)
        return outcome["answer"]


def state(db, project: int, rows: int) -> str:
    """'none', 'A' or 'B' (all rows, every seat of that variant), or what is wrong."""
    attendees, tickets = Attendee._meta.db_table, Ticket._meta.db_table
    count = db.count(attendees, "project_id = %s", [project])
    ticketed = db.count(tickets, "project_id = %s", [project])
    if count == 0 and ticketed == 0:
        return "none"
    seats = {
        row[0]: row[1]
        for row in db.query(
            f'SELECT substr(seat, 1, 1), count(*) FROM "{attendees}" WHERE project_id = %s GROUP BY 1',  # noqa: S608
            [project],
        )
    }
    one_each = db.count(
        attendees,
        f'project_id = %s AND id IN (SELECT attendee_id FROM "{tickets}" WHERE project_id = %s)',  # noqa: S608
        [project, project],
    )
    if count == rows and ticketed == rows and one_each == rows and len(seats) == 1:
        return next(iter(seats))
    return f"PARTIAL: {count} attendees, {ticketed} tickets, {one_each} with a ticket, seats {seats}"


def insert_mark(db):
    """PostgreSQL: the attendee id sequence, which a rolled-back insert still advances — a killed import that
    left no row but moved it had begun writing. None on SQLite (no trace is left there)."""
    if db.vendor != "postgresql":
        return None
    table = Attendee._meta.db_table
    return db.scalar(f"SELECT pg_sequence_last_value(pg_get_serial_sequence('\"{table}\"', 'id'))")


def killed_worker(server: Server):
    workers = server.worker_pids()
    assert len(workers) == 1, workers

    def kill():
        import os
        import signal

        os.kill(workers[0], signal.SIGKILL)

    return kill, workers[0]


def test_issue_10_kill_9_during_attendee_imports_leaves_all_or_nothing(make_installation, seed):
    installation = make_installation()
    db = installation.db
    projects = iter(seed["imports"])
    server = Server(installation, workers=1, threads=2).start()
    rng = random.Random()
    outcomes = []
    interrupted_inserts = 0
    try:
        importer = Importer(server, seed["admin"]["token"])
        files = {variant: attendee_file(ROWS, variant) for variant in "AB"}
        durations = []

        def timed(project, data) -> None:
            started = time.monotonic()
            status, body = importer.send(project, data)
            assert status == 200, body[:500]
            durations.append(time.monotonic() - started)

        timed(next(projects), files["A"])  # a whole import: how long one takes here
        project, before = None, "none"
        while sum(status is None for _delay, status, _found in outcomes) < KILLS:
            assert len(outcomes) < 4 * KILLS, outcomes
            if before == "none":  # a fresh meeting: the kill lands in inserts; else in a re-import's updates
                project = next(projects)
            after = "B" if before == "A" else "A"
            kill, victim = killed_worker(server)
            # Within the fastest import seen so far, with a margin: on a loaded machine an import a little
            # faster than that finished before the kill about half the time (CI, 60 runs for 20 kills).
            delay = rng.uniform(0, 0.8 * min(durations))
            mark = insert_mark(db)
            status, body = importer.send_and_kill(project, files[after], delay, kill)
            wait_for(
                lambda victim=victim: server.worker_pids() and victim not in server.worker_pids(),
                timeout=60,
                what="a new worker",
            )
            found = state(db, project, ROWS)
            outcomes.append((round(delay, 2), status, found))
            if mark is not None and status is None and found == "none" and insert_mark(db) != mark:
                interrupted_inserts += 1
            assert found in (before, after), outcomes[-1]
            if status == 200:  # answered before the kill: it was applied
                assert found == after, outcomes[-1]
            assert db.integrity_problems() == [], outcomes[-1]
            timed(project, files[after])  # the next run
            assert state(db, project, ROWS) == after
            before = "none" if after == "B" else "A"

        # One full-size import, the whole server killed under it, then restarted.
        project = next(projects)
        full = attendee_file(FULL_ROWS, "A")
        delay = rng.uniform(0, min(durations) * FULL_ROWS / ROWS)
        status, body = importer.send_and_kill(project, full, delay, server.kill)
        found = state(db, project, FULL_ROWS)
        outcomes.append((round(delay, 2), status, found))
        assert found in ("none", "A"), found
        assert db.integrity_problems() == []
        server = Server(installation, workers=1, threads=2).start()
        importer = Importer(server, seed["admin"]["token"])
        status, body = importer.send(project, full)
        assert status == 200, body[:500]
        assert state(db, project, FULL_ROWS) == "A"
    finally:
        server.stop()
    print(f"import runs (kill delay s, HTTP status — None: killed, state found): {outcomes}")
    if db.vendor == "postgresql":
        print(
            f"{interrupted_inserts} killed imports had begun inserting (the id sequence moved, no row stayed)"
        )
    assert db.integrity_problems() == []
