"""Check-in business actions (REQ-ONS-02): redeem a ticket, check a person out, sync offline scans,
acknowledge a conflict, record how long the scanner took to show an answer.

The online scan is the hot path (hundreds per second at a big meeting's doors), so :func:`redeem` and
:func:`checkout` read the ticket, its attendee and its check-in in ONE query and write with plain SQL:

* the check-in is ``INSERT … ON CONFLICT DO NOTHING`` on a table whose ``ticket`` column is unique: two
  devices scanning one ticket at the same instant get exactly one row and one "ok"; the other learns the first
  time. The database decides (the unique index on PostgreSQL, the single writer of SQLite in WAL mode), not
  timing. The same holds for re-entry and check-out: a conditional ``UPDATE … WHERE present = …``;
* the scan record and the idempotency record are written in the same transaction. If the key was used before
  (a retry racing the first try), the transaction is rolled back and the first answer is returned, byte for
  byte;
* no django-auditlog row is written per scan: :class:`~.models.ScanRecord` is itself the append-only record of
  every scan (who, device, device time, server time, answer).

Offline scans (:func:`sync`) are rarer and take the general path: each scan is stored as a fact and the
ticket's derived state — check-in time, presence, events, conflicts — is recomputed from ALL its facts
(:func:`recompute`). The state is therefore a function of the set of scans, whatever order they arrive in.
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyi.core.fast_db import prepared_cursor, reconnecting
from huiyi.onsite.attendees.models import Attendee, Ticket

from .models import (
    CheckIn,
    Conflict,
    Direction,
    IdempotencyRecord,
    PresenceEvent,
    Result,
    ScanRecord,
    Source,
)

#: Longest code looked up: ticket codes are at most this long, anything longer cannot be a ticket.
MAX_CODE_LENGTH = Ticket._meta.get_field("code").max_length
MAX_KEY_LENGTH = IdempotencyRecord._meta.get_field("key").max_length
MAX_DEVICE_LENGTH = ScanRecord._meta.get_field("device").max_length
MAX_DEVICE_NAME_LENGTH = ScanRecord._meta.get_field("device_name").max_length
STORED_CODE_LENGTH = ScanRecord._meta.get_field("code").max_length
#: An offline scan's device clock may run this far ahead of the server's (phones are roughly synchronised).
CLOCK_SKEW = timedelta(minutes=5)
#: Offline scans older than this are refused: no queue survives that long, the device clock is wrong.
OFFLINE_MAX_AGE = timedelta(days=7)
#: Largest number of offline scans in one sync request.
SYNC_BATCH_LIMIT = 500
#: A reported time-to-answer above this (ten minutes) is a device that slept, not a measurement.
MAX_SHOWN_MS = 600_000


@dataclass
class Scanner:
    """Who scans and what they may do. The API keeps one per token or session for a few seconds, so the hot
    path does not ask the database about permissions on every scan."""

    user_id: int
    can_scan: bool
    is_superuser: bool = False
    #: project id → may the user see it (filled lazily by `sees`).
    visible: dict = field(default_factory=dict)
    check_project: Callable[[int], bool] | None = None

    def sees(self, project_id: int | None) -> bool:
        if project_id is None:
            return False
        if self.is_superuser:
            return True
        known = self.visible.get(project_id)
        if known is None:
            known = bool(self.check_project and self.check_project(project_id))
            self.visible[project_id] = known
        return known

    @classmethod
    def for_user(cls, user) -> Scanner:
        from huiyi.projects.queries import visible_projects

        from .rules import SCAN_PERMISSIONS

        permissions = user.get_all_permissions() if user.is_active else set()
        return cls(
            user_id=user.pk,
            can_scan=user.is_active
            and (user.is_superuser or any(p in permissions for p in SCAN_PERMISSIONS)),
            is_superuser=user.is_active and user.is_superuser,
            check_project=lambda pk: visible_projects(user).filter(pk=pk).exists(),
        )


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    replayed: bool = False

    def data(self) -> dict:
        return json.loads(self.body)


class KeyReused(Exception):
    """The Idempotency-Key was used before for a different request."""


def _dump(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def _iso(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value is not None else None


def _from_db(value) -> datetime | None:
    """A datetime read with plain SQL: PostgreSQL gives it aware, SQLite naive in UTC."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _to_db(value: datetime | None):
    return connection.ops.adapt_datetimefield_value(value) if value is not None else None


def _uuid_db(value: uuid.UUID):
    return value if connection.vendor == "postgresql" else value.hex


def fingerprint(direction: str, project_id: int | None, code: str) -> str:
    return hashlib.sha256(
        f"{direction}\n{project_id or ''}\n{code}".encode("utf-8", "surrogatepass")
    ).hexdigest()


def clean_code(code: str) -> str:
    """What a scanner sends, as a lookup key: keyboard-wedge scanners add spaces, tabs or line ends."""
    return code.strip()


#: The largest id a database column holds (a bigger "project" number is refused, not sent to the database).
MAX_ID = 2**63 - 1


def is_text(value) -> bool:
    """Text a database can store: no NUL (PostgreSQL refuses it) and no lone surrogate (not UTF-8)."""
    if not isinstance(value, str) or "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def is_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


def storable(code: str) -> str:
    """The code as kept in the scan record: cut to the column, what no database stores made visible."""
    code = code[:STORED_CODE_LENGTH].replace("\x00", "\ufffd")
    return code.encode("utf-8", "replace").decode("utf-8")


def _lookable(code: str) -> bool:
    # Longer than any ticket code, empty, or not storable text: not a ticket.
    return 0 < len(code) <= MAX_CODE_LENGTH and is_text(code)


# -- SQL of the hot path -----------------------------------------------------------------------------------
# Written as templates: table names come from the models' Meta, every value is a bound parameter.

_TABLES = {
    "ticket": Ticket._meta.db_table,
    "attendee": Attendee._meta.db_table,
    "checkin": CheckIn._meta.db_table,
    "scan": ScanRecord._meta.db_table,
    "idempotency": IdempotencyRecord._meta.db_table,
    "event": PresenceEvent._meta.db_table,
    "scan_columns": (
        '"id", "project_id", "ticket_id", "code", "code_length", "direction", "result", "reentry", "source", '
        '"device", "device_name", "user_id", "offline", "client_time", "received_at", "idempotency_key", '
        '"processing_us", "shown_ms"'
    ),
    "scan_values": ", ".join(["%s"] * 18),
    # PostgreSQL cannot infer the type of a bare parameter in INSERT … SELECT: each is cast.
    "scan_casts": (
        "%s::uuid, %s::bigint, %s::bigint, %s::text, %s::integer, %s::text, %s::text, %s::boolean, %s::text, "
        "%s::text, %s::text, %s::bigint, %s::boolean, %s::timestamptz, %s::timestamptz, %s::text, "
        "%s::integer, %s::integer"
    ),
    "idempotency_columns": '"user_id", "key", "endpoint", "fingerprint", "status", "body", "created_at"',
    "idempotency_casts": "%s::bigint, %s::text, %s::text, %s::text, %s::integer, %s::text, %s::timestamptz",
}


def _sql(template: str) -> str:
    return " ".join(template.split()).format(**_TABLES)


SELECT_TICKET = _sql(
    """
    SELECT t."id", t."project_id", a."name", a."organisation", a."category", a."seat", a."status",
           c."id", c."checked_in_at", c."present"
    FROM "{ticket}" t INNER JOIN "{attendee}" a ON a."id" = t."attendee_id"
    LEFT OUTER JOIN "{checkin}" c ON c."ticket_id" = t."id" WHERE t."code" = %s
    """
)
INSERT_CHECKIN = _sql(
    """
    INSERT INTO "{checkin}" ("ticket_id", "project_id", "checked_in_at", "device", "device_name", "user_id",
                             "offline", "client_time", "scan_id", "present", "created_at")
    VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING RETURNING "id"
    """
)
SELECT_CHECKIN_TIME = _sql('SELECT "checked_in_at" FROM "{checkin}" WHERE "ticket_id" = %s')
SET_PRESENT = _sql('UPDATE "{checkin}" SET "present" = %s WHERE "id" = %s AND "present" = %s RETURNING "id"')
INSERT_EVENT = _sql(
    """
    INSERT INTO "{event}" ("checkin_id", "project_id", "direction", "at", "device", "user_id", "offline",
                           "scan_id")
    VALUES (%s, %s, %s, %s, %s, %s, %s, %s)
    """
)
INSERT_SCAN = _sql('INSERT INTO "{scan}" ({scan_columns}) VALUES ({scan_values})')
INSERT_IDEMPOTENCY = _sql(
    """
    INSERT INTO "{idempotency}" ({idempotency_columns}) VALUES (%s, %s, %s, %s, %s, %s, %s)
    ON CONFLICT DO NOTHING RETURNING "id"
    """
)
SELECT_IDEMPOTENCY = _sql(
    'SELECT "fingerprint", "status", "body" FROM "{idempotency}" WHERE "user_id" = %s AND "key" = %s'
)

# On PostgreSQL the usual scan — a first entry, or an answer that changes no check-in — is ONE statement in
# autocommit: data-modifying CTEs run together, atomically, with no BEGIN/COMMIT round trips. A repeated
# idempotency key violates the unique constraint, which undoes the whole statement; the first answer is read.
_CI = (
    'WITH ci AS (INSERT INTO "{checkin}" ("ticket_id", "project_id", "checked_in_at", "device", '
    '"device_name", "user_id", "offline", "client_time", "scan_id", "present", "created_at") '
    'VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING RETURNING "id"), '
    'sc AS (INSERT INTO "{scan}" ({scan_columns}) SELECT {scan_casts} FROM ci)'
)
_IK = 'ik AS (INSERT INTO "{idempotency}" ({idempotency_columns}) SELECT {idempotency_casts} FROM ci)'
_COUNT = " SELECT count(*) FROM ci"
PG_FIRST_ENTRY = _sql("".join([_CI, _COUNT]))
PG_FIRST_ENTRY_KEYED = _sql(", ".join([_CI, _IK]) + _COUNT)
PG_RECORD_KEYED = _sql(
    'WITH sc AS (INSERT INTO "{scan}" ({scan_columns}) VALUES ({scan_values})) '
    'INSERT INTO "{idempotency}" ({idempotency_columns}) VALUES ({idempotency_casts})'
)


class _Replay(Exception):
    """Raised inside the transaction when the idempotency key turns out to be taken: roll everything back."""


def stored_answer(user_id: int, key: str, wanted_fingerprint: str | None = None) -> Answer | None:
    with connection.cursor() as cursor:
        cursor.execute(SELECT_IDEMPOTENCY, [user_id, key])
        row = cursor.fetchone()
    if row is None:
        return None
    stored_fingerprint, status, body = row
    if wanted_fingerprint is not None and stored_fingerprint != wanted_fingerprint:
        raise KeyReused(key)
    return Answer(status=status, body=body.encode() if isinstance(body, str) else bytes(body), replayed=True)


def _read_ticket(code: str) -> tuple | None:
    with prepared_cursor() as cursor:
        cursor.execute(SELECT_TICKET, [code])
        return cursor.fetchone()


def _attendee(row) -> dict:
    return {"name": row[2], "organisation": row[3], "category": row[4], "seat": row[5]}


def scan(
    scanner: Scanner,
    *,
    code: str,
    device: str,
    direction: str = Direction.IN,
    project_id: int | None = None,
    key: str = "",
    source: str = Source.API,
    device_name: str = "",
    started: float | None = None,
) -> Answer:
    """One online scan at the door (entry) or on the way out (exit). Returns the JSON answer.

    ``project_id`` is the meeting the device scans for: a ticket of another meeting is "wrong_meeting" (with
    the attendee only if the scanner may see that meeting). Without it, the ticket's meeting is taken if the
    scanner may see it. A repeated ``key`` returns the first answer; the same key for another request raises
    :class:`KeyReused`.
    """
    started = time.perf_counter() if started is None else started
    code = clean_code(code)
    wanted = fingerprint(direction, project_id, code)
    row = reconnecting(lambda: _read_ticket(code)) if _lookable(code) else None

    now = timezone.now()
    answer: dict = {"result": Result.UNKNOWN.value, "attendee": None, "checked_in_at": None, "reentry": False}
    ticket_id = None
    scan_project = project_id
    writes: Callable | None = None
    first_entry = False
    if row is not None:
        ticket_id, ticket_project = row[0], row[1]
        visible = scanner.sees(ticket_project)
        if scan_project is None and visible:
            scan_project = ticket_project
        if (project_id is not None and ticket_project != project_id) or not visible:
            answer["result"] = Result.WRONG_MEETING.value
            if visible:
                answer["attendee"] = _attendee(row)
        else:
            answer["attendee"] = _attendee(row)
            checkin_id, checked_in_at, present = row[7], _from_db(row[8]), row[9]
            if checkin_id is not None:
                answer["checked_in_at"] = _iso(checked_in_at)
            if direction == Direction.OUT:
                answer["result"] = Result.NOT_CHECKED_IN.value
                if checkin_id is not None:
                    answer["result"] = Result.ALREADY_CHECKED_OUT.value
                if checkin_id is not None and present:
                    writes = _exit(checkin_id, ticket_project, device, scanner.user_id, now, answer)
            elif row[6] == Attendee.Status.CANCELLED:
                answer["result"] = Result.BLOCKED.value
            elif checkin_id is None:
                answer["result"] = Result.OK.value
                answer["checked_in_at"] = _iso(now)
                writes = _first_entry(
                    ticket_id, ticket_project, device, device_name, scanner.user_id, now, answer
                )
                first_entry = True
            else:
                answer["result"] = Result.ALREADY_CHECKED_IN.value
                if not present:
                    writes = _reentry(checkin_id, ticket_project, device, scanner.user_id, now, answer)

    scan_id = uuid.uuid4()

    def scan_values():
        processing_us = int((time.perf_counter() - started) * 1_000_000)
        return [
            _uuid_db(scan_id),
            scan_project,
            ticket_id,
            storable(code),
            len(code),
            direction,
            answer["result"],
            answer["reentry"],
            source,
            device,
            device_name,
            scanner.user_id,
            False,
            None,
            _to_db(now),
            key,
            processing_us,
            None,
        ]

    if connection.vendor == "postgresql" and (first_entry or writes is None):
        fast = _postgresql_single_statement(
            scanner.user_id,
            key,
            wanted,
            answer,
            scan_values,
            ticket_id,
            scan_project,
            device,
            device_name,
            now,
            scan_id,
            first_entry,
        )
        if fast is not None:
            return fast
        # Another device checked the ticket in between our read and write: the general path tells the time.

    try:
        with transaction.atomic(), connection.cursor() as cursor:
            if writes is not None:
                writes(cursor, scan_id)
            cursor.execute(INSERT_SCAN, scan_values())
            body = _dump(answer)
            if key:
                cursor.execute(
                    INSERT_IDEMPOTENCY,
                    [scanner.user_id, key, "scan", wanted, 200, body.decode(), _to_db(now)],
                )
                if cursor.fetchone() is None:
                    raise _Replay
    except _Replay:
        stored = stored_answer(scanner.user_id, key, wanted)
        if stored is None:  # cannot happen: the conflicting row is committed before ON CONFLICT answers
            raise
        return stored
    return Answer(status=200, body=body)


def _postgresql_single_statement(
    user_id, key, wanted, answer, scan_values, ticket_id, project_id, device, device_name, now, scan_id, first
) -> Answer | None:
    body = _dump(answer)
    idempotency = [user_id, key, "scan", wanted, 200, body.decode(), now]
    if first:
        checkin = [ticket_id, project_id, now, device, device_name, user_id, False, None, scan_id, True, now]
        if key:
            sql, params = PG_FIRST_ENTRY_KEYED, [*checkin, *scan_values(), *idempotency]
        else:
            sql, params = PG_FIRST_ENTRY, [*checkin, *scan_values()]
    elif key:
        sql, params = PG_RECORD_KEYED, [*scan_values(), *idempotency]
    else:
        sql, params = INSERT_SCAN, scan_values()
    try:
        # Inside an outer transaction (tests, a caller's atomic block) a savepoint keeps it usable on error.
        with (
            transaction.atomic() if connection.in_atomic_block else nullcontext(),
            prepared_cursor() as cursor,
        ):
            cursor.execute(sql, params)
            inserted = cursor.fetchone()[0] if first else 1
    except IntegrityError:
        stored = stored_answer(user_id, key, wanted) if key else None
        if stored is None:
            raise
        return stored
    return Answer(status=200, body=body) if inserted else None


def _first_entry(ticket_id, project_id, device, device_name, user_id, now, answer):
    def write(cursor, scan_id):
        cursor.execute(
            INSERT_CHECKIN,
            [
                ticket_id,
                project_id,
                _to_db(now),
                device,
                device_name,
                user_id,
                False,
                None,
                _uuid_db(scan_id),
                True,
                _to_db(now),
            ],
        )
        if cursor.fetchone() is None:
            # Another device checked this ticket in a moment ago: its time stands.
            cursor.execute(SELECT_CHECKIN_TIME, [ticket_id])
            answer["result"] = Result.ALREADY_CHECKED_IN.value
            answer["checked_in_at"] = _iso(_from_db(cursor.fetchone()[0]))

    return write


def _reentry(checkin_id, project_id, device, user_id, now, answer):
    def write(cursor, scan_id):
        cursor.execute(SET_PRESENT, [True, checkin_id, False])
        if cursor.fetchone() is not None:
            answer["result"] = Result.OK.value
            answer["reentry"] = True
            cursor.execute(
                INSERT_EVENT,
                [
                    checkin_id,
                    project_id,
                    Direction.IN,
                    _to_db(now),
                    device,
                    user_id,
                    False,
                    _uuid_db(scan_id),
                ],
            )

    return write


def _exit(checkin_id, project_id, device, user_id, now, answer):
    def write(cursor, scan_id):
        cursor.execute(SET_PRESENT, [False, checkin_id, True])
        if cursor.fetchone() is not None:
            answer["result"] = Result.CHECKED_OUT.value
            cursor.execute(
                INSERT_EVENT,
                [
                    checkin_id,
                    project_id,
                    Direction.OUT,
                    _to_db(now),
                    device,
                    user_id,
                    False,
                    _uuid_db(scan_id),
                ],
            )

    return write


# -- offline scans -----------------------------------------------------------------------------------------


def _parse_time(value) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def validate_offline_item(item, *, now: datetime) -> tuple[dict, dict]:
    """Check one queued scan. Returns (clean values, errors by field)."""
    errors: dict[str, str] = {}
    if not isinstance(item, dict):
        return {}, {"item": _("Each scan must be an object with code, device, scanned_at and key.")}
    clean: dict = {}
    code = item.get("code")
    if not isinstance(code, str):
        errors["code"] = _("The code must be text.")
    else:
        clean["code"] = code
    key = item.get("key")
    if not is_text(key) or not key.strip() or len(key) > MAX_KEY_LENGTH:
        errors["key"] = _("Each scan needs a key of 1 to %(n)d characters.") % {"n": MAX_KEY_LENGTH}
    else:
        clean["key"] = key
    device = item.get("device")
    if (
        not isinstance(device, str)
        or not device.strip()
        or len(device) > MAX_DEVICE_LENGTH
        or "\x00" in device
    ):
        errors["device"] = _("The device must be named in 1 to %(n)d characters.") % {"n": MAX_DEVICE_LENGTH}
    else:
        clean["device"] = device
    device_name = item.get("device_name", "")
    if not is_text(device_name) or len(device_name) > MAX_DEVICE_NAME_LENGTH:
        errors["device_name"] = _("The device name is text of at most %(n)d characters.") % {
            "n": MAX_DEVICE_NAME_LENGTH
        }
    else:
        clean["device_name"] = device_name
    scanned_at = _parse_time(item.get("scanned_at"))
    if scanned_at is None:
        errors["scanned_at"] = _("The scan time must be an ISO 8601 time with its UTC offset.")
    elif scanned_at > now + CLOCK_SKEW:
        errors["scanned_at"] = _("The scan time lies in the future: check the device's clock.")
    elif scanned_at < now - OFFLINE_MAX_AGE:
        errors["scanned_at"] = _("The scan is too old to be synced: check the device's clock.")
    else:
        clean["scanned_at"] = scanned_at
    direction = item.get("direction", Direction.IN)
    if direction not in Direction.values:
        errors["direction"] = _("The direction is “in” or “out”.")
    else:
        clean["direction"] = direction
    source = item.get("source", Source.API)
    if source not in Source.values:
        errors["source"] = _("Unknown source.")
    else:
        clean["source"] = source
    project = item.get("project")
    if project is not None and not is_id(project):
        errors["project"] = _("The meeting is given by its number.")
    else:
        clean["project"] = project
    shown_ms = item.get("shown_ms")
    if shown_ms is not None and (
        not isinstance(shown_ms, int) or isinstance(shown_ms, bool) or not 0 <= shown_ms <= MAX_SHOWN_MS
    ):
        errors["shown_ms"] = _("The time to answer is a whole number of milliseconds.")
    else:
        clean["shown_ms"] = shown_ms
    return clean, errors


def sync(scanner: Scanner, items: list, *, sees_project: Callable[[int], bool] | None = None) -> list[dict]:
    """Store a batch of offline scans and answer each. Idempotent per item key (shared with online scans):
    replaying a batch — whole, partly, or in another order — leaves the same check-ins, presence and
    conflicts. Each item is its own transaction, so one bad item never undoes the others."""
    now = timezone.now()
    answers = []
    for index, item in enumerate(items):
        clean, errors = validate_offline_item(item, now=now)
        key = item.get("key") if isinstance(item, dict) and isinstance(item.get("key"), str) else None
        if not errors and clean["project"] is not None and not scanner.sees(clean["project"]):
            errors["project"] = _("You cannot see this meeting.")
        if errors:
            answers.append(
                {
                    "index": index,
                    "key": key,
                    "result": "invalid",
                    "error": {
                        "code": "invalid",
                        "message": _("Scan %(n)d was refused: %(fields)s.")
                        % {"n": index + 1, "fields": ", ".join(errors)},
                        "fields": {name: [message] for name, message in errors.items()},
                    },
                }
            )
            continue
        try:
            answer = _sync_one(scanner, clean, now)
        except KeyReused:
            answer = {
                "result": "invalid",
                "error": {
                    "code": "idempotency_key_reused",
                    "message": _("This key was already used for another scan."),
                    "fields": {"key": [_("This key was already used for another scan.")]},
                },
            }
        answers.append({"index": index, "key": clean["key"], **answer})
    return answers


def _sync_one(scanner: Scanner, item: dict, now: datetime) -> dict:
    code = clean_code(item["code"])
    wanted = fingerprint(item["direction"], item["project"], code)
    stored = stored_answer(scanner.user_id, item["key"], wanted)
    if stored is not None:
        return {**stored.data(), "replayed": True}
    with transaction.atomic():
        ticket = None
        if _lookable(code):
            ticket = (
                Ticket.objects.select_for_update(of=("self",))
                .select_related("attendee")
                .filter(code=code)
                .first()
            )
        answer: dict = {
            "result": Result.UNKNOWN.value,
            "attendee": None,
            "checked_in_at": None,
            "reentry": False,
        }
        record = ScanRecord(
            project_id=item["project"],
            code=storable(code),
            code_length=len(code),
            direction=item["direction"],
            source=item["source"],
            device=item["device"],
            device_name=item["device_name"],
            user_id=scanner.user_id,
            offline=True,
            client_time=item["scanned_at"],
            received_at=now,
            idempotency_key=item["key"],
            shown_ms=item["shown_ms"],
        )
        fact = False
        if ticket is not None:
            visible = scanner.sees(ticket.project_id)
            record.ticket = ticket
            if record.project_id is None and visible:
                record.project_id = ticket.project_id
            attendee = {
                "name": ticket.attendee.name,
                "organisation": ticket.attendee.organisation,
                "category": ticket.attendee.category,
                "seat": ticket.attendee.seat,
            }
            if (item["project"] is not None and ticket.project_id != item["project"]) or not visible:
                answer["result"] = Result.WRONG_MEETING.value
                answer["attendee"] = attendee if visible else None
            elif item["direction"] == Direction.IN and ticket.attendee.is_cancelled:
                answer["result"] = Result.BLOCKED.value
                answer["attendee"] = attendee
            else:
                answer["attendee"] = attendee
                fact = True
        record.result = answer["result"] if not fact else Result.OK.value
        record.save(force_insert=True)
        if fact:
            state = recompute(ticket)
            checkin = state["checkin"]
            if item["direction"] == Direction.IN:
                if checkin is not None and checkin.scan_id == record.pk:
                    answer["result"] = Result.OK.value
                elif record.pk in state["reentries"]:
                    answer["result"], answer["reentry"] = Result.OK.value, True
                else:
                    answer["result"] = Result.ALREADY_CHECKED_IN.value
            elif record.pk in state["exits"]:
                answer["result"] = Result.CHECKED_OUT.value
            else:
                answer["result"] = (
                    Result.NOT_CHECKED_IN.value if checkin is None else Result.ALREADY_CHECKED_OUT.value
                )
            answer["checked_in_at"] = _iso(checkin.checked_in_at) if checkin else None
            if record.result != answer["result"] or answer["reentry"]:
                ScanRecord.objects.filter(pk=record.pk).update(
                    result=answer["result"], reentry=answer["reentry"]
                )
        elif answer["result"] == Result.BLOCKED:
            # The offline device could not know the registration was cancelled and let the person in.
            Conflict.objects.create(
                project_id=ticket.project_id,
                ticket=ticket,
                kind=Conflict.Kind.CANCELLED,
                scan=record,
                detected_at=now,
            )
        body = _dump(answer)
        IdempotencyRecord.objects.create(
            user_id=scanner.user_id,
            key=item["key"],
            endpoint="sync",
            fingerprint=wanted,
            status=200,
            body=body.decode(),
            created_at=now,
        )
    return {**answer, "replayed": False}


def _facts(ticket: Ticket) -> list[ScanRecord]:
    """The scans that moved the person: online admissions and exits as answered, every offline scan of a valid
    ticket (an offline device admits — or lets out — whoever it scans)."""
    valid_offline = [Result.OK, Result.ALREADY_CHECKED_IN, Result.CHECKED_OUT, Result.NOT_CHECKED_IN]
    valid_offline.append(Result.ALREADY_CHECKED_OUT)
    scans = ScanRecord.objects.filter(ticket=ticket).filter(
        Q(offline=False, direction=Direction.IN, result=Result.OK)
        | Q(offline=False, direction=Direction.OUT, result=Result.CHECKED_OUT)
        | Q(offline=True, result__in=valid_offline)
    )
    # Scans at the same instant (two doors, one second) are ordered by what they are — device, then key — not
    # by when they reached the server: the state must not depend on the order queues are synced in (issue 10).
    return sorted(scans, key=lambda s: (s.effective_time, s.device, s.idempotency_key, str(s.pk)))


def recompute(ticket: Ticket) -> dict:
    """Derive the ticket's check-in, presence, events and conflicts from all its scans (in a transaction
    that holds the ticket's row lock). Walks the scans in time order: the first entry checks in; an entry
    after an exit is a re-entry; an entry while inside is a second admission — a conflict."""
    state = None
    checkin_scan = None
    reentries, exits, duplicates = [], [], []
    for record in _facts(ticket):
        if record.direction == Direction.IN:
            if state is None:
                checkin_scan, state = record, Direction.IN
            elif state == Direction.OUT:
                reentries.append(record)
                state = Direction.IN
            else:
                duplicates.append(record)
        elif state == Direction.IN:
            exits.append(record)
            state = Direction.OUT

    checkin = CheckIn.objects.select_for_update().filter(ticket=ticket).first()
    now = timezone.now()
    if checkin_scan is None:
        return {"checkin": checkin, "reentries": set(), "exits": set()}
    values = {
        "project_id": ticket.project_id,
        "checked_in_at": checkin_scan.effective_time,
        "device": checkin_scan.device,
        "device_name": checkin_scan.device_name,
        "user_id": checkin_scan.user_id,
        "offline": checkin_scan.offline,
        "client_time": checkin_scan.client_time,
        "scan_id": checkin_scan.pk,
        "present": state == Direction.IN,
    }
    if checkin is None:
        try:
            with transaction.atomic():
                checkin = CheckIn.objects.create(ticket=ticket, created_at=now, **values)
        except IntegrityError:
            # An online scan checked the ticket in a moment ago: start again with its scan among the facts.
            return recompute(ticket)
    elif any(getattr(checkin, name) != value for name, value in values.items()):
        for name, value in values.items():
            setattr(checkin, name, value)
        checkin.save()

    wanted_events = {r.pk: (r, Direction.IN) for r in reentries} | {r.pk: (r, Direction.OUT) for r in exits}
    existing = {event.scan_id: event for event in checkin.events.all()}
    for scan_id, event in existing.items():
        if scan_id not in wanted_events:
            event.delete()
    for scan_id, (record, direction) in wanted_events.items():
        if scan_id not in existing:
            PresenceEvent.objects.create(
                checkin=checkin,
                project_id=ticket.project_id,
                direction=direction,
                at=record.effective_time,
                device=record.device,
                user_id=record.user_id,
                offline=record.offline,
                scan=record,
            )

    duplicate_ids = {record.pk for record in duplicates}
    known = {c.scan_id: c for c in Conflict.objects.filter(ticket=ticket, kind=Conflict.Kind.DUPLICATE)}
    for scan_id, conflict in known.items():
        if scan_id not in duplicate_ids:
            conflict.delete()  # a later-known exit shows it was a re-entry, not a second admission
        elif conflict.kept_scan_id != checkin_scan.pk:
            conflict.kept_scan = checkin_scan
            conflict.save(update_fields=["kept_scan"])
    for record in duplicates:
        if record.pk not in known:
            Conflict.objects.create(
                project_id=ticket.project_id,
                ticket=ticket,
                kind=Conflict.Kind.DUPLICATE,
                scan=record,
                kept_scan=checkin_scan,
                detected_at=now,
            )
    return {
        "checkin": checkin,
        "reentries": {r.pk for r in reentries},
        "exits": {r.pk for r in exits},
    }


# -- other actions -----------------------------------------------------------------------------------------


@transaction.atomic
def acknowledge_conflict(conflict: Conflict, *, by, note: str = "") -> Conflict:
    """The director has seen the conflict (and, in `note`, what was done about it)."""
    note = (note or "").strip()
    if len(note) > Conflict._meta.get_field("note").max_length:
        raise ValidationError({"note": _("The note is too long.")})
    conflict = Conflict.objects.select_for_update().get(pk=conflict.pk)
    if conflict.acknowledged_at is None:
        conflict.acknowledged_at = timezone.now()
        conflict.acknowledged_by = by
        conflict.note = note
        conflict.save(update_fields=["acknowledged_at", "acknowledged_by", "note"])
    return conflict


def record_timings(scanner: Scanner, items: list) -> int:
    """The scanner page reports how long each scan took from seeing the code to showing the answer
    (milliseconds), by the scan's key. Only the first report of a scan counts. Returns how many are stored."""
    stored = 0
    for item in items:
        if not isinstance(item, dict):
            continue
        key, shown = item.get("key"), item.get("shown_ms")
        if not is_text(key) or not key or len(key) > MAX_KEY_LENGTH:
            continue
        if not isinstance(shown, int) or isinstance(shown, bool) or not 0 <= shown <= MAX_SHOWN_MS:
            continue
        stored += ScanRecord.objects.filter(
            user_id=scanner.user_id, idempotency_key=key, shown_ms__isnull=True
        ).update(shown_ms=shown)
    return stored
