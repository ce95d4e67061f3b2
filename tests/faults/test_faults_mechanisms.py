"""Issue 10: the mechanisms the fault tests rely on, each on its own and quickly (``huiyi.core.resilience``
and the backup's clean-up): the end-to-end proofs are the other modules of this folder.

* the cache falls back to local memory while Redis refuses, and goes back to Redis when it answers;
* a task enqueued while Redis refuses is parked in the database (a periodic one is skipped), and moved into
  the queue once Redis answers;
* a request that fails because the database cannot be reached is a 503 with Retry-After (page or JSON);
* `backup create` removes the work folders that killed runs left behind, and warns when the very-high
  documents' key lives only in the data folder (which no backup holds).
"""

import json
import shutil
import sqlite3
import subprocess
import sys
import time

import pytest
from django.db import OperationalError
from django.test import RequestFactory
from huey import crontab

from huiyi.core import resilience
from huiyi.core.models import ParkedTask

from .harness import free_port, wait_for

needs_redis = pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed")


@pytest.fixture
def redis_port():
    """A free port, and a function that starts a private redis-server on it (stopped after the test)."""
    port = free_port()
    started = []

    def start():
        import redis

        process = subprocess.Popen(  # noqa: S603
            [shutil.which("redis-server"), "--port", str(port), "--bind", "127.0.0.1", "--save", ""],
            stdout=subprocess.DEVNULL,
        )
        started.append(process)
        wait_for(lambda: _ping(redis, port), timeout=30, what="redis-server")
        return redis.Redis(port=port)

    yield port, start
    for process in started:
        process.kill()
        process.wait()


def _ping(redis, port) -> bool:
    try:
        return redis.Redis(port=port, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        return False


@needs_redis
def test_issue_10_cache_falls_back_while_redis_refuses_and_returns_to_it(redis_port, monkeypatch):
    port, start = redis_port
    monkeypatch.setattr(resilience, "COOLDOWN_SECONDS", 0.2)
    cache = resilience.FallbackRedisCache(f"redis://127.0.0.1:{port}/0", {"KEY_PREFIX": "t"})
    assert cache.add("limit", 1, 60) is True  # nothing listens: served from memory, no exception
    assert cache.incr("limit") == 2
    assert cache.get("limit") == 2 and cache.is_down
    client = start()
    time.sleep(0.3)  # the cooldown passes: the next call tries Redis again
    cache.set("fresh", "from redis", 60)
    assert not cache.is_down
    assert client.exists(cache.make_and_validate_key("fresh")) == 1
    assert cache.get("limit") is None  # what the fallback held is not carried over: it was only a cache


@needs_redis
@pytest.mark.django_db
def test_issue_10_task_parked_while_redis_refuses_then_moved_into_the_queue(redis_port):
    port, start = redis_port
    huey = resilience.ResilientRedisHuey("faults-unit", url=f"redis://127.0.0.1:{port}/0", immediate=False)

    @huey.task()
    def index(number):
        return number

    @huey.periodic_task(crontab(minute="*"))
    def sweep():
        return None

    index(7)  # Redis refuses: kept in the database, the caller carries on
    assert ParkedTask.objects.count() == 1
    assert huey.enqueue(sweep.s()) is None  # a periodic task comes round again: not parked
    assert ParkedTask.objects.count() == 1
    with pytest.raises(Exception, match="Connection refused|Error"):
        resilience.flush_parked(huey)  # still down: stays parked
    assert ParkedTask.objects.count() == 1

    start()
    assert resilience.flush_parked(huey) == 1
    assert ParkedTask.objects.count() == 0
    assert huey.pending_count() == 1
    task = resilience.RedisHuey.dequeue(huey)  # the queue itself (the consumer's dequeue also flushes)
    assert task.args == (7,) and huey.execute(task) == 7


def _inside_outage(view, request):
    try:
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")
    except OperationalError:
        return view(request)


def test_issue_10_database_unavailable_is_a_clean_503_for_pages_and_the_api():
    from huiyi.core.views import error_500

    factory = RequestFactory()
    page = _inside_outage(error_500, factory.get("/projects/"))
    assert page.status_code == 503 and page["Retry-After"]
    assert b"<html" in page.content and b"Traceback" not in page.content
    api = _inside_outage(error_500, factory.get("/api/v1/projects/"))
    assert api.status_code == 503 and api["Retry-After"]
    assert json.loads(api.content)["error"]["code"] == "service_unavailable"
    try:
        raise ValueError("a bug")
    except ValueError:
        other = error_500(factory.get("/projects/"))
    assert other.status_code == 500  # a bug stays a 500
    try:
        try:
            raise sqlite3.OperationalError("no such table: attendees")
        except sqlite3.OperationalError as cause:
            raise OperationalError("no such table: attendees") from cause
    except OperationalError:
        missing = error_500(factory.get("/projects/"))
    assert missing.status_code == 500  # SQLite says OperationalError for a missing table too: still a bug
    try:
        try:
            raise sqlite3.OperationalError("database is locked")
        except sqlite3.OperationalError as cause:
            raise OperationalError("database is locked") from cause
    except OperationalError:
        locked = error_500(factory.get("/projects/"))
    assert locked.status_code == 503


def test_issue_10_api_exception_handler_answers_503_when_the_database_is_gone():
    from huiyi.api.errors import exception_handler

    request = RequestFactory().get("/api/v1/me/")
    response = exception_handler(
        OperationalError("server closed the connection unexpectedly"), {"request": request}
    )
    assert response.status_code == 503 and response["Retry-After"]


def test_req_doc_07_backup_warns_when_the_documents_key_lives_only_in_the_data_folder(settings, monkeypatch):
    from huiyi.documents.backup import core

    settings.HUIYI_DOCUMENT_KEYS = []
    monkeypatch.delenv("HUIYI_DOCUMENT_KEYS", raising=False)
    monkeypatch.delenv("HUIYI_SECRET_KEY", raising=False)
    assert "secret key generated" in " ".join(core._key_warnings())
    monkeypatch.setenv("HUIYI_SECRET_KEY", "kept in the service manager")
    assert core._key_warnings() == []


@pytest.mark.django_db(transaction=True)
def test_req_doc_07_backup_create_removes_work_folders_of_killed_runs(settings, tmp_path, monkeypatch):
    from huiyi.documents.backup import core

    if sys.platform != "linux":  # pragma: no cover
        pytest.skip("fcntl")
    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = tmp_path / "data" / "media"
    stale = settings.DATA_DIR / "huiyi-backup-k1ll3d"
    stale.mkdir(parents=True)
    (stale / "database.dump").write_bytes(b"a killed run's dump" * 1000)
    folders = [tmp_path / f"copy{n}" for n in (1, 2, 3)]
    monkeypatch.setenv("HUIYI_BACKUP_DESTINATIONS", ",".join(str(f) for f in folders))
    monkeypatch.delenv("HUIYI_BACKUP_KEY", raising=False)
    result = core.create_backup()
    assert result.ok and len(result.copies) == 3
    assert not stale.exists()
    assert not list(settings.DATA_DIR.glob("huiyi-backup-*"))
