"""Huiyi keeps serving when a dependency fails (issue 10, "Faults").

Redis is a cache and a queue, never the only copy of anything; the database is the source of truth. Three
small pieces make that hold:

1. :class:`FallbackRedisCache` — the cache when ``REDIS_URL`` is set. When Redis does not answer
   (connection refused, timed out), the operation is served by a local-memory cache of this process instead
   and Redis is left alone for :data:`COOLDOWN_SECONDS` before it is tried again, so an outage costs one
   failed connection per process and cooldown, not one per request (connect and read timeouts are short:
   :data:`CACHE_TIMEOUTS`). Rate limits keep counting (per process) meanwhile. What was written to the
   fallback is forgotten when Redis answers again: the cache only ever holds what may be lost or briefly
   stale (rate-limit counters, computed values).

   Sessions are NOT in the cache: they are in the database (settings). A Redis outage, restart or flush
   therefore signs nobody out, and nothing stale can come back from Redis after an outage — with
   ``cached_db`` and a cache that falls back, a sign-out during the outage would leave the old session in
   Redis, valid again once Redis answers. One primary-key read per signed-in request is the price.

2. :class:`ResilientRedisHuey` — the huey class with Redis. An enqueue that cannot reach Redis parks the
   task's message in the database (:class:`~huiyi.core.models.ParkedTask`) instead of raising into the
   caller, who has usually committed already (tasks are sent from ``transaction.on_commit``): without this
   the user got an error page for work that was saved, and the task was lost. The consumer moves parked
   messages into the queue as soon as Redis answers again — it looks every :data:`FLUSH_SECONDS` while it
   polls for work, and at start-up. Each message is deleted from the table in the same database transaction
   that pushes it, so two consumers never both take one; a crash between push and commit can send it twice,
   which is huey's at-least-once promise anyway. Periodic tasks are not parked: they come round again.
   Inside an atomic block the parked row belongs to the caller's transaction: rolled back with it, the task
   is dropped with the data it was about (a queue outside the database cannot do that).

3. :func:`database_unavailable` and :func:`unavailable_response` — a request that fails because the database
   cannot be reached (PostgreSQL restarting, a connection cut, SQLite locked beyond its busy timeout) is
   answered ``503`` with ``Retry-After``: a page, or the API's JSON error — never a traceback, never the
   generic 500. Django reconnects on the next request (``CONN_HEALTH_CHECKS``), so Huiyi recovers without
   a restart; the door scan, which skips that check, reconnects within its request (``core.fast_db``).
   ``handler500`` (``core.views.error_500``) and the API's exception handler call them.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.db import InterfaceError, OperationalError
from huey import RedisHuey
from huey.api import PeriodicTask, Result, ResultGroup, chord, group

log = logging.getLogger(__name__)

#: Seconds Redis is left alone after it failed to answer, before the next try.
COOLDOWN_SECONDS = 5.0
#: Socket timeouts of the cache's Redis connections, in seconds (a hung Redis must not hang a page).
CACHE_TIMEOUTS = {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}
#: Socket timeouts of huey's Redis connections; the consumer's blocking read waits up to 1 s, so more.
QUEUE_TIMEOUTS = {"socket_connect_timeout": 1.0, "socket_timeout": 5.0}
#: How often (seconds) a consumer looks for parked tasks while it polls the queue.
FLUSH_SECONDS = 2.0
#: Parked tasks moved per look.
FLUSH_BATCH = 500
#: Seconds a client should wait before retrying when the database is unavailable.
RETRY_AFTER_SECONDS = 5


def _redis_errors() -> tuple[type[Exception], ...]:
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    return (RedisConnectionError, RedisTimeoutError)


# -- 1. the cache --------------------------------------------------------------------------------------------


class FallbackRedisCache(RedisCache):
    """Django's Redis cache that serves from this process's memory while Redis does not answer."""

    def __init__(self, server, params):
        params = dict(params)
        params["OPTIONS"] = {**CACHE_TIMEOUTS, **params.get("OPTIONS", {})}
        super().__init__(server, params)
        kept = {k: v for k, v in params.items() if k in {"TIMEOUT", "KEY_PREFIX", "VERSION", "KEY_FUNCTION"}}
        self._fallback = LocMemCache(f"huiyi-fallback-{id(self)}", kept)
        self._down_until = 0.0
        self._lock = threading.Lock()
        self._errors = _redis_errors()

    @property
    def is_down(self) -> bool:
        return time.monotonic() < self._down_until

    def _call(self, name: str, *args, **kwargs):
        if not self.is_down:
            try:
                result = getattr(RedisCache, name)(self, *args, **kwargs)
            except self._errors as error:
                with self._lock:
                    first = not self.is_down
                    self._down_until = time.monotonic() + COOLDOWN_SECONDS
                if first:
                    log.warning(
                        "Redis cache unreachable (%s): using this process's memory, retrying in %s s",
                        error,
                        COOLDOWN_SECONDS,
                    )
            else:
                return result
        return getattr(self._fallback, name)(*args, **kwargs)

    def add(self, key, value, timeout=None, version=None):
        return self._call("add", key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version)

    def set(self, key, value, timeout=None, version=None):
        return self._call("set", key, value, timeout, version)

    def touch(self, key, timeout=None, version=None):
        return self._call("touch", key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, version)

    def set_many(self, data, timeout=None, version=None):
        return self._call("set_many", data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version)

    def clear(self):
        self._fallback.clear()
        return self._call("clear")


# -- 2. the queue --------------------------------------------------------------------------------------------


class ResilientRedisHuey(RedisHuey):
    """RedisHuey whose enqueue parks the task in the database when Redis does not answer, and whose consumer
    moves parked tasks back into Redis when it answers again."""

    def __init__(self, name="huey", *args, url=None, **kwargs):
        if url and "connection_pool" not in kwargs:
            from redis import ConnectionPool

            kwargs["connection_pool"] = ConnectionPool.from_url(url, **QUEUE_TIMEOUTS)
        super().__init__(name, *args, **kwargs)
        self._next_flush = 0.0
        self._flush_lock = threading.Lock()

    def enqueue(self, task):
        if self._immediate or isinstance(task, group | chord):  # immediate mode (tests); groups enqueue
            return super().enqueue(task)  # each member through here
        try:
            return super().enqueue(task)
        except _redis_errors() as error:
            if isinstance(task, PeriodicTask):
                log.warning("Redis is unreachable (%s): periodic task %s skipped this time", error, task.name)
                return None
            park(self.serialize_task(task), task.priority, reason=f"{error.__class__.__name__}: {error}")
            log.warning("Redis unreachable (%s): task %s parked in the database", error, task.name)
        if not self.results:
            return None
        results = [Result(self, task)]
        while results[-1].task.on_complete is not None:
            results.append(Result(self, results[-1].task.on_complete))
        return ResultGroup(results) if len(results) > 1 else results[0]

    def dequeue(self):
        self._maybe_flush()
        return super().dequeue()

    def _maybe_flush(self) -> None:
        now = time.monotonic()
        with self._flush_lock:
            if now < self._next_flush:
                return
            self._next_flush = now + FLUSH_SECONDS
        from django.db import close_old_connections

        close_old_connections()
        try:
            moved = flush_parked(self)
        except _redis_errors():
            return  # still down: the dequeue that follows says so in the consumer's log
        except Exception:
            log.exception("could not move parked tasks into the queue")
            return
        finally:
            close_old_connections()
        if moved:
            log.info("moved %s parked task(s) into the queue", moved)


def park(data: bytes, priority, *, reason: str = ""):
    from .models import ParkedTask

    return ParkedTask.objects.create(data=data, priority=priority, reason=reason[:300])


def flush_parked(huey, limit: int = FLUSH_BATCH) -> int:
    """Move parked tasks into huey's queue, oldest first; returns how many. Redis errors propagate (the
    task being moved stays parked)."""
    from django.db import transaction

    from .models import ParkedTask

    moved = 0
    for row in ParkedTask.objects.order_by("pk")[:limit]:
        with transaction.atomic():
            if not ParkedTask.objects.filter(pk=row.pk).delete()[0]:
                continue  # another consumer took it
            huey.storage.enqueue(bytes(row.data), row.priority)
        moved += 1
    return moved


# -- 3. the database -----------------------------------------------------------------------------------------


#: SQLite raises OperationalError for "no such table" too (a bug: 500); these messages mean unavailable.
SQLITE_UNAVAILABLE = (
    "database is locked",
    "database table is locked",
    "unable to open database",
    "disk i/o error",
    "database or disk is full",
)


def database_unavailable(error: BaseException | None) -> bool:
    """Whether `error` means the database cannot serve right now (as opposed to a bug in the request):
    a connection refused, cut or closed, a server shutting down, a lock or a serialisation conflict."""
    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    if isinstance(cause, sqlite3.Error):
        return any(text in str(cause).lower() for text in SQLITE_UNAVAILABLE)
    return True


def unavailable_response(request):
    """503 with Retry-After: the API's JSON error under /api/, else a page rendered without touching the
    database (no request context: its processors would ask the database for the user and the menu)."""
    from django.http import HttpResponse, JsonResponse
    from django.template.loader import render_to_string
    from django.utils.translation import gettext as _

    message = _("Huiyi cannot reach its database at the moment. Please try again in a minute.")
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"error": {"code": "service_unavailable", "message": message, "fields": {}}},
            status=503,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        response = HttpResponse(render_to_string("503.html", {"message": message}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
