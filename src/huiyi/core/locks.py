"""Transaction-level advisory locks: serialise a read-then-write that row locks cannot cover (an insert that
depends on rows not yet written). PostgreSQL only; SQLite serialises writers by itself."""

import zlib

from django.db import connection


def hold(name: str, key: int = 0) -> None:
    """Hold the lock (``name``, ``key``) until the current transaction ends (no-op outside PostgreSQL)."""
    if connection.vendor != "postgresql":
        return
    space = zlib.crc32(name.encode())
    space = space - (1 << 32) if space >= 1 << 31 else space  # int4
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [space, key])
