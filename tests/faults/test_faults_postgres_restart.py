"""Issue 10, "A dependency down": PostgreSQL restarted while Huiyi runs — requests fail cleanly and recover
without restarting Huiyi.

A private PostgreSQL cluster (initdb as the `postgres` OS user, a free port, its socket in a temporary
folder — the machine's shared server is never touched) gets a copy of the seeded database; gunicorn serves
it. Then:

* PostgreSQL stopped (``pg_ctl stop -m fast``): every request — a signed-in page, an API read, a check-in
  scan, the health check — is answered 503 with Retry-After, as a page or as the API's JSON error; never a
  500, never a traceback, never a dropped connection;
* started again: the same requests succeed, on the same gunicorn processes (Django's connection health check
  replaces the dead connections);
* restarted (``pg_ctl restart -m fast``) while four clients keep sending requests: every answer is 200 or
  503, and all are 200 once it is back.

Runs when the suite runs on PostgreSQL (it copies the suite's seeded PostgreSQL database), as root with the
PostgreSQL server binaries; skipped otherwise, with the reason.
"""

import contextlib
import json
import os
import pwd
import shutil
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path

import pytest

from .harness import Database, Installation, Server, free_port, suite_vendor, wait_for

BIN = Path("/usr/lib/postgresql/15/bin")

pytestmark = [
    pytest.mark.skipif(suite_vendor() != "postgresql", reason="the installation under test uses SQLite"),
    pytest.mark.skipif(not (BIN / "initdb").exists(), reason=f"no PostgreSQL server binaries in {BIN}"),
    pytest.mark.skipif(os.geteuid() != 0, reason="initdb must run as the postgres user: needs root"),
]


class PrivatePostgres:
    def __init__(self, folder: Path):
        self.folder = folder
        self.data = folder / "pgdata"
        self.port = free_port()
        self.log = folder / "postgres.log"

    def _as_postgres(self, *command: str, timeout: float = 120) -> None:
        subprocess.run(  # noqa: S603
            ["runuser", "-u", "postgres", "--", *command],  # noqa: S607
            check=True,
            capture_output=True,
            timeout=timeout,
        )

    def init(self) -> "PrivatePostgres":
        user = pwd.getpwnam("postgres")
        self.folder.chmod(0o755)  # a folder of its own under /tmp: the postgres user can reach it
        self.data.mkdir()
        os.chown(self.data, user.pw_uid, user.pw_gid)
        self.log.touch()
        os.chown(self.log, user.pw_uid, user.pw_gid)
        self._as_postgres(str(BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres")
        return self

    def ctl(self, action: str, *extra: str) -> None:
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._as_postgres(
            str(BIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-o",
            options,
            "-w",
            action,
            *extra,
        )

    def url(self, name: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"


def probe(server: Server, session: dict, token: str, scan_project: int, code: str) -> dict[str, tuple]:
    """One request of each kind; (status, body) by kind."""
    page = server.web()
    page.cookies = dict(session)
    api = server.web(token=token)
    answers = {
        "page": page.get("/"),
        "api": api.get("/api/v1/me/"),
        "scan": api.post_json(
            "/api/v1/checkin/redeem/",
            {"code": code, "device": "gate", "project": scan_project},
            **{"Idempotency-Key": uuid.uuid4().hex},
        ),
        "health": page.get("/healthz"),
    }
    return {kind: (status, headers, body) for kind, (status, headers, body) in answers.items()}


def assert_clean_503(kind: str, status: int, headers: dict, body: bytes) -> None:
    assert status == 503, (kind, status, body[:500])
    assert b"Traceback" not in body and b"OperationalError" not in body, (kind, body[:500])
    if kind == "health":
        return
    assert headers.get("retry-after"), (kind, headers)
    if kind == "page":
        assert b"<html" in body and "text/html" in headers["content-type"], (kind, body[:300])
    else:
        assert json.loads(body)["error"]["code"] == "service_unavailable", (kind, body[:300])


def test_issue_10_postgresql_restart_fails_cleanly_and_recovers_without_restarting_huiyi(
    fault_template, seed, tmp_path
):
    if shutil.which("runuser") is None:
        pytest.skip("runuser is not available")
    cluster = PrivatePostgres(Path(tempfile.mkdtemp(prefix="huiyi-faults-pg-"))).init()
    server = None
    try:
        cluster.ctl("start")
        with Database(cluster.url(), "postgresql").connect() as db:
            db.execute('CREATE DATABASE "huiyi"')
        dump = subprocess.run(  # noqa: S603
            ["pg_dump", "-Fc", fault_template.db.url],  # noqa: S607
            capture_output=True,
            check=True,
            timeout=600,
        )
        subprocess.run(  # noqa: S603
            ["pg_restore", "--no-owner", "-d", cluster.url("huiyi")],  # noqa: S607
            input=dump.stdout,
            capture_output=True,
            check=True,
            timeout=600,
        )
        data_dir = tmp_path / "data"
        shutil.copytree(fault_template.data_dir, data_dir, ignore=shutil.ignore_patterns("huiyi.sqlite3*"))
        installation = Installation(Database(cluster.url("huiyi"), "postgresql"), data_dir)
        server = Server(installation, workers=1, threads=4).start()
        web = server.web()
        web.sign_in(seed["admin"]["username"], seed["admin"]["password"])
        token = seed["admin"]["token"]
        project, codes = seed["contested"]["project"], seed["contested"]["codes"]
        workers = server.worker_pids()

        for kind, (status, _headers, body) in probe(server, web.cookies, token, project, codes[0]).items():
            assert status == 200, (kind, status, body[:300])

        cluster.ctl("stop", "-m", "fast")
        for _round in range(3):
            for kind, answer in probe(server, web.cookies, token, project, codes[1]).items():
                assert_clean_503(kind, *answer)

        cluster.ctl("start")
        for kind, (status, _headers, body) in probe(server, web.cookies, token, project, codes[2]).items():
            assert status == 200, (kind, status, body[:300])
        assert server.worker_pids() == workers  # recovered by itself: the same processes

        statuses: list[tuple] = []
        stop = threading.Event()

        def client(number: int) -> None:
            n = 0
            while not stop.is_set():
                n += 1
                answers = probe(server, web.cookies, token, project, codes[100 * number + n % 100])
                statuses.extend((kind, status, body[:200]) for kind, (status, _h, body) in answers.items())

        clients = [threading.Thread(target=client, args=(number + 1,)) for number in range(4)]
        for thread in clients:
            thread.start()
        time.sleep(1)
        cluster.ctl("restart", "-m", "fast")
        time.sleep(1)
        stop.set()
        for thread in clients:
            thread.join(timeout=120)
        unexpected = [answer for answer in statuses if answer[1] not in (200, 503)]
        assert unexpected == [], unexpected[:5]
        after = wait_for(
            lambda: all(
                s == 200 for s, _h, _b in probe(server, web.cookies, token, project, codes[3]).values()
            ),
            timeout=30,
            what="every request to succeed again",
        )
        assert after and server.worker_pids() == workers
        refused = sum(status == 503 for _kind, status, _body in statuses)
        print(f"during the restart: {refused} of {len(statuses)} requests got 503")
    finally:
        if server is not None:
            server.stop()
        with contextlib.suppress(subprocess.CalledProcessError):
            cluster.ctl("stop", "-m", "immediate")
        shutil.rmtree(cluster.folder, ignore_errors=True)
