"""A world of records built once per test module, in one transaction rolled back at the end."""

from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def rolled_back_world():
    """Open the module's transaction; the caller builds its records inside, then calls `settle()`.

    Each test then runs in a savepoint of this transaction. On PostgreSQL every row inserted with a foreign
    key queues a deferred constraint check, and the queue is emptied only at the top level: a test's
    teardown (`SET CONSTRAINTS ALL IMMEDIATE`, inside its savepoint) walks the whole queue again. `settle()`
    runs the checks once at the top level, which empties it, so each test walks only its own.
    """
    atomic = transaction.atomic()
    atomic.__enter__()
    try:
        yield settle
    finally:
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


def settle() -> None:
    connection.check_constraints()
