"""Database access for a hot path that answers hundreds of requests a second (the door scan, issue 10).

Of every scan's three round trips, one was not the scan's own work, and PostgreSQL parsed the same few
statements afresh each time:

* :func:`prepared_cursor` — on PostgreSQL, a cursor that binds parameters on the server and prepares each
  statement once per connection (psycopg keeps the prepared statements, keyed by query and parameter types):
  the statement is sent and parsed once, not on every scan (it is still planned for each run's parameters,
  ``plan_cache_mode`` in settings). Django binds on the client and never prepares (it sets psycopg's
  ``prepare_threshold`` to None, which turns preparing off for the connection), which is right for the ORM's
  endless variety of queries and wrong for a handful of fixed ones: the threshold is set so high that only
  statements asked for are prepared. Queries still pass through Django's cursor wrapper
  (query logging, execute wrappers, error translation). Elsewhere, or with ``HUIYI_DB_PREPARED_STATEMENTS=0``
  (behind a connection pooler that cannot keep prepared statements): Django's usual cursor.
* :func:`without_health_check` and :func:`reconnecting` — ``CONN_HEALTH_CHECKS`` sends ``SELECT 1`` before the
  first query of every request, so that a connection PostgreSQL dropped (a restart) is replaced instead of
  failing the request. A hot path can do that more cheaply: skip the check, and if its first read finds the
  connection dead, close it and read again on a new one. A read outside a transaction is safe to repeat.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections

T = TypeVar("T")

#: psycopg prepares a statement executed this many times without being asked: never, in practice.
ONLY_WHEN_ASKED = 2**31

try:
    import psycopg
except ImportError:  # SQLite-only installations
    psycopg = None


if psycopg is not None:

    class PreparingCursor(psycopg.Cursor):
        """Server-side binding; every statement executed is prepared (once per connection)."""

        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(query, params, prepare=True if prepare is None else prepare, binary=binary)


@contextmanager
def prepared_cursor() -> Iterator:
    """A cursor of the default connection whose statements PostgreSQL prepares once per connection."""
    # The connection itself, looked up once: each attribute of `django.db.connection` is a thread-local read.
    db = connections[DEFAULT_DB_ALIAS]
    if db.vendor != "postgresql" or psycopg is None or not settings.HUIYI_DB_PREPARED_STATEMENTS:
        with db.cursor() as cursor:
            yield cursor
        return
    db.close_if_health_check_failed()
    db.ensure_connection()
    db.validate_thread_sharing()
    if db.connection.prepare_threshold is None:
        db.connection.prepare_threshold = ONLY_WHEN_ASKED
    with db.wrap_database_errors:
        raw = PreparingCursor(db.connection)
    cursor = db.make_debug_cursor(raw) if db.queries_logged else db.make_cursor(raw)
    try:
        yield cursor
    finally:
        cursor.close()


def without_health_check() -> None:
    """This request's first query goes out without ``SELECT 1`` first: the caller reads through
    :func:`reconnecting`. Django resets the flag when the next request starts."""
    connections[DEFAULT_DB_ALIAS].health_check_done = True


def reconnecting(read: Callable[[], T]) -> T:
    """`read()`; if the database connection turned out to be dead, once more on a fresh connection.
    Only outside a transaction (inside one, the failure belongs to the transaction)."""
    try:
        return read()
    except (OperationalError, InterfaceError):
        db = connections[DEFAULT_DB_ALIAS]
        if db.in_atomic_block or db.is_usable():
            raise
        db.close()
    return read()
