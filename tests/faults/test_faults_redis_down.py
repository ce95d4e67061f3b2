"""Issue 10, "A dependency down": Redis stopped while Huiyi runs — pages still serve (the cache falls back),
signed-in people stay signed in, and work queued meanwhile runs when Redis is back.

A private redis-server on a free port (never the machine's shared one) serves an installation of its own:
gunicorn and the background worker (`huiyi worker`), both with REDIS_URL pointing at it. Redis is killed,
then started again — empty, as a restarted cache is. Design: ``huiyi.core.resilience``.

* before: a signed-in page and a document upload, indexed in the background (the queue works);
* Redis down: the signed-in page still serves, still signed in; a new sign-in works; a document upload is
  accepted (201, not an error page after its data was saved) and its indexing task is kept in the database
  (core.ParkedTask) instead of being lost;
* Redis back (empty): the worker moves the parked task into the queue and runs it — the document is indexed
  — without any restart; the sessions survived, since they never lived in Redis.
"""

import shutil
import subprocess

import pytest

from huiyi.core.models import ParkedTask
from huiyi.documents.models import DocumentVersion

from .harness import PYTHON, Server, free_port, wait_for

pytestmark = pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed")


class PrivateRedis:
    def __init__(self, folder):
        self.port = free_port()
        self.folder = folder
        self.process = None

    def start(self) -> "PrivateRedis":
        self.process = subprocess.Popen(  # noqa: S603
            [
                shutil.which("redis-server"),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.ping, timeout=30, what="redis-server")
        return self

    def ping(self) -> bool:
        import redis

        try:
            return redis.Redis(port=self.port, socket_connect_timeout=1).ping()
        except redis.exceptions.ConnectionError:
            return False

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(timeout=30)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


def upload(api, project: int, doc_type: str, title: str) -> tuple[int, dict]:
    import json

    status, _headers, body = api.post_multipart(
        "/api/v1/documents/",
        {"project": project, "doc_type": doc_type, "title": title},
        {"file": (f"{title}.txt", f"{title}: 会议通知 notice\n".encode() * 20, "text/plain")},
    )
    return status, (json.loads(body) if body.startswith(b"{") else {"raw": body[:500]})


def test_issue_10_redis_down_pages_serve_sessions_survive_queued_work_resumes(
    make_installation, seed, tmp_path
):
    redis = PrivateRedis(tmp_path).start()
    installation = make_installation(REDIS_URL=redis.url)
    db = installation.db
    versions, parked = DocumentVersion._meta.db_table, ParkedTask._meta.db_table
    texts = seed["documents"]["text_table"]
    project, doc_type = seed["documents"]["project"], seed["documents"]["doc_type"]

    def indexed(document_id: int) -> bool:
        where = f'version_id IN (SELECT id FROM "{versions}" WHERE document_id = %s)'  # noqa: S608
        return db.count(texts, where, [document_id]) == 1

    server = Server(installation, workers=1, threads=4).start()
    worker = subprocess.Popen(  # noqa: S603 - what `huiyi serve` starts beside gunicorn
        [PYTHON, "-m", "huiyi.cli", "worker"],
        env=installation.env,
        cwd=installation.data_dir,
        stdout=open(installation.data_dir / "worker.log", "ab"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
    )
    try:
        web = server.web()
        web.sign_in(seed["admin"]["username"], seed["admin"]["password"])
        api = server.web(token=seed["admin"]["token"])
        status, _headers, _body = web.get("/")
        assert status == 200
        status, document = upload(api, project, doc_type, "before")
        assert status == 201, document
        wait_for(lambda: indexed(document["id"]), timeout=120, what="indexing through the queue")

        redis.kill()
        status, _headers, body = web.get("/")
        assert status == 200, body[:500]  # served, and still signed in (not sent to the sign-in page)
        later = server.web()
        later.sign_in(seed["admin"]["username"], seed["admin"]["password"])
        assert later.get("/")[0] == 200
        status, document = upload(api, project, doc_type, "during")
        assert status == 201, document
        assert db.count(parked) == 1  # the indexing task waits in the database
        assert not indexed(document["id"])

        redis.start()
        wait_for(lambda: indexed(document["id"]), timeout=120, what="the parked task to run")
        assert db.count(parked) == 0
        status, _headers, body = web.get("/")
        assert status == 200, body[:500]  # Redis came back empty: the session lives on in the database
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
        server.stop()
        redis.kill()
