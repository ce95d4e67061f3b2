"""The next number of an organisation-wide sequence (audit no. 12, violation no. 7), safe under concurrency.

``SELECT … FOR UPDATE`` cannot be combined with ``MAX()`` on PostgreSQL, and locking the rows read would not
stop a concurrent insert anyway. On PostgreSQL a transaction-level advisory lock named after the table
serialises the read of the maximum and the insert; SQLite serialises writers by itself. The column's unique
constraint stays the last guard.
"""

import zlib

from django.db import connection
from django.db.models import Max


def lock_sequence(model) -> None:
    """Hold the sequence of ``model`` until the current transaction ends (no-op outside PostgreSQL)."""
    if connection.vendor == "postgresql":
        key = zlib.crc32(model._meta.db_table.encode())
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def next_number(model, field: str = "number", **scope) -> int:
    """One more than the highest ``field`` of ``model`` (within ``scope``); call inside the transaction that
    inserts the row."""
    lock_sequence(model)
    return (model.objects.filter(**scope).aggregate(n=Max(field))["n"] or 0) + 1
