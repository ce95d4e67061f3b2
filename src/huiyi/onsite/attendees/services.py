"""Every change of attendees and tickets (REQ-ONS-02): one function per business action, in a transaction,
audited (``set_actor`` names the person outside a web request too). Views, the API, the demo and imports
call these; nothing else writes attendees.

Every attendee has exactly one ticket, created in the same transaction. Reissuing a ticket draws a new code
(the old one stops working at once) and withdraws the ticket links sent so far.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field

from auditlog.context import set_actor
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyi.core import links
from huiyi.core.audit import record_event
from huiyi.core.models import AccessLink
from huiyi.projects.models import MeetingProject

from . import importing
from .models import Attendee, Ticket, new_ticket_code

TICKET_LINK_PURPOSE = "attendees.ticket"
EDITABLE = ["name", "organisation", "title", "phone", "email", "category", "seat", "dietary", "language"]


@contextmanager
def _actor(user):
    if user is not None and getattr(user, "is_authenticated", False):
        with set_actor(user):
            yield
    else:
        yield


def _clean(values: dict) -> dict:
    cleaned, problems = importing.check_values(values)
    if problems:
        errors: dict[str, list[str]] = {}
        for name, message in problems:
            errors.setdefault(name if name != "key" else "external_key", []).append(message)
        raise ValidationError(errors)
    return cleaned


def _key_taken(project, key: str, source: str, exclude_pk=None) -> ValidationError:
    other = Attendee.objects.filter(project=project, external_key=key).exclude(pk=exclude_pk).first()
    field_name = {"key": "external_key", "phone": "phone", "email": "email", "name": "name"}[source]
    if source == "name":
        message = _(
            "%(name)s of %(organisation)s is already on the list; give a phone number to tell them apart."
        )
    elif source == "key":
        message = _("The import key is already used by %(name)s.")
    else:
        message = _("%(name)s already has this %(what)s.")
    return ValidationError(
        {
            field_name: message
            % {
                "name": other.name if other else "—",
                "organisation": other.organisation if other else "",
                "what": importing.KEY_SOURCES[source],
            }
        }
    )


def create_attendee(project: MeetingProject, *, by=None, external_key: str = "", **values) -> Attendee:
    """Add one attendee with their ticket. The stable key is `external_key` when given, else derived from the
    phone, e-mail or name + organisation, so that a later import of the same person updates them."""
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise TypeError(f"unknown attendee fields: {sorted(unknown)}")
    cleaned = _clean({**values, "key": external_key})
    key, source = importing.match_key(cleaned)
    with transaction.atomic(), _actor(by):
        if Attendee.objects.filter(project=project, external_key=key).exists():
            raise _key_taken(project, key, source)
        attendee = Attendee(
            project=project,
            external_key=key,
            created_by=by,
            **{name: cleaned[name] for name in EDITABLE},
        )
        try:
            with transaction.atomic():
                attendee.save()
        except IntegrityError as error:  # the same person added at the same moment by someone else
            raise _key_taken(project, key, source) from error
        Ticket.objects.create(attendee=attendee, project=project)
    return attendee


def update_attendee(attendee: Attendee, *, by=None, **changes) -> Attendee:
    """Change an attendee's details (the stable key stays, so re-imports still find them)."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"unknown attendee fields: {sorted(unknown)}")
    current = {name: getattr(attendee, name) for name in EDITABLE}
    cleaned = _clean({**current, **{k: ("" if v is None else v) for k, v in changes.items()}})
    changed = [name for name in EDITABLE if cleaned[name] != current[name]]
    if not changed:
        return attendee
    with transaction.atomic(), _actor(by):
        for name in changed:
            setattr(attendee, name, cleaned[name])
        attendee.save(update_fields=[*changed, "updated_at"])
    return attendee


def cancel_attendee(attendee: Attendee, *, by=None, reason: str = "") -> Attendee:
    """The attendee no longer comes: their ticket is refused at the door ("blocked"), the record stays."""
    if attendee.is_cancelled:
        raise ValidationError({"status": _("%(name)s is already cancelled.") % {"name": attendee.name}})
    with transaction.atomic(), _actor(by):
        attendee.status = Attendee.Status.CANCELLED
        attendee.save(update_fields=["status", "updated_at"])
        if reason.strip():
            record_event(attendee, by, {"cancellation_reason": ["", reason.strip()[:500]]})
    return attendee


def reinstate_attendee(attendee: Attendee, *, by=None) -> Attendee:
    if not attendee.is_cancelled:
        raise ValidationError({"status": _("%(name)s is not cancelled.") % {"name": attendee.name}})
    with transaction.atomic(), _actor(by):
        attendee.status = Attendee.Status.ACTIVE
        attendee.save(update_fields=["status", "updated_at"])
    return attendee


def _ticket_links(attendee: Attendee):
    return AccessLink.objects.filter(
        purpose=TICKET_LINK_PURPOSE,
        content_type=ContentType.objects.get_for_model(Attendee),
        object_id=str(attendee.pk),
        revoked_at__isnull=True,
    )


def ticket_links(attendee: Attendee) -> list[AccessLink]:
    """The ticket links of an attendee that still work (not withdrawn, not expired), newest first."""
    return list(_ticket_links(attendee).filter(expires_at__gt=timezone.now()).order_by("-created_at"))


def reissue_ticket(attendee: Attendee, *, by=None) -> Ticket:
    """A new ticket code for a lost or leaked ticket: the old code stops working, sent links are withdrawn."""
    with transaction.atomic(), _actor(by):
        ticket = Ticket.objects.select_for_update().get(attendee=attendee)
        ticket.code = new_ticket_code()
        ticket.save(update_fields=["code"])
        _ticket_links(attendee).update(revoked_at=timezone.now())
    attendee.ticket = ticket
    return ticket


def issue_ticket_link(attendee: Attendee, *, by=None, recipient: str = ""):
    """A signed link to the attendee's ticket page, usable any number of times until the meeting ends."""
    if attendee.is_cancelled:
        raise ValidationError(
            {"status": _("%(name)s is cancelled: no ticket link.") % {"name": attendee.name}}
        )
    lifetime = attendee.project.end - timezone.now()
    if lifetime.total_seconds() <= 0:
        raise ValidationError({"status": _("The meeting has ended: a ticket link would not work.")})
    with transaction.atomic(), _actor(by):
        link, token = links.issue(
            TICKET_LINK_PURPOSE,
            attendee,
            created_by=by,
            lifetime=lifetime,
            single_use=False,
            recipient=recipient or attendee.email or attendee.phone,
        )
        record_event(attendee, by, {"ticket_link": ["", _("issued, valid until the meeting ends")]})
    return link, token


def attendee_for_link(token: str) -> Attendee:
    """The attendee behind a ticket link (LinkError when it is not valid). Changes nothing."""
    link = links.resolve(token, TICKET_LINK_PURPOSE)
    return Attendee.objects.select_related("project", "ticket").get(pk=link.object_id)


# -- import -----------------------------------------------------------------------------------------------


@dataclass
class ImportReport:
    """What an import found and did. `applied` is False for a dry run and for a refused import."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: list[importing.RowError] = field(default_factory=list)
    applied: bool = False
    dry_run: bool = True
    mapping: dict[str, str] = field(default_factory=dict)
    encoding: str = ""

    @property
    def bad_rows(self) -> int:
        return len({error.row for error in self.errors})

    def as_dict(self) -> dict:
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "bad_rows": self.bad_rows,
            "errors": [error.as_dict() for error in self.errors],
            "applied": self.applied,
            "dry_run": self.dry_run,
            "mapping": self.mapping,
        }


def import_attendees(
    project: MeetingProject,
    data: bytes,
    *,
    filename: str = "",
    by=None,
    mapping: dict[str, int] | None = None,
    dry_run: bool = True,
    skip_bad_rows: bool = False,
) -> ImportReport:
    """Import attendees from an .xlsx or .csv file (bytes). Each row is matched on its stable key (see
    `importing.match_key`): known people are updated, new ones created with a ticket.

    A dry run checks and counts without saving. Otherwise the import is all-or-nothing: any bad row refuses
    the whole file (nothing saved), unless `skip_bad_rows`, which saves the good rows and reports the rest.
    ImportFileError (a ValidationError on "file") when the file cannot be read; ValidationError on "mapping"
    for a bad column choice."""
    table = importing.read_table(data, filename)
    if mapping is None:
        mapping = importing.guess_mapping(table.headers)
    importing.check_mapping(mapping, table.headers)
    checked = importing.check_rows(table, mapping)
    report = ImportReport(
        rows=len(table.rows),
        errors=checked.errors,
        dry_run=dry_run,
        mapping={name: table.headers[index] for name, index in mapping.items()},
        encoding=table.encoding,
    )
    report.skipped = len(checked.bad_rows) if skip_bad_rows else 0
    if dry_run or (checked.errors and not skip_bad_rows):
        _plan(project, checked.good, report)
        return report
    try:
        with transaction.atomic(), _actor(by):
            # One import at a time per project: the row lock orders concurrent imports of the same list.
            MeetingProject.objects.select_for_update().filter(pk=project.pk).first()
            _apply(project, checked.good, report, by)
    except IntegrityError as error:
        raise ValidationError(
            {
                "file": _(
                    "Someone changed this attendee list at the same moment; nothing was saved. Try again."
                )
            }
        ) from error
    report.applied = True
    return report


def _existing(project) -> dict[str, tuple]:
    """Stable key → (pk, current values of EDITABLE) of the project's attendees, as plain tuples."""
    rows = Attendee.objects.filter(project=project).values_list("external_key", "pk", *EDITABLE)
    return {row[0]: (row[1], row[2:]) for row in rows.iterator(chunk_size=5000)}


def _plan(project, rows: list[importing.CheckedRow], report: ImportReport):
    existing = _existing(project)
    to_create, to_update = [], []
    for row in rows:
        values = tuple(row.values[name] for name in EDITABLE)
        found = existing.get(row.key)
        if found is None:
            to_create.append((row.key, values))
        elif found[1] != values:
            to_update.append((found[0], values))
        else:
            report.unchanged += 1
    report.created, report.updated = len(to_create), len(to_update)
    return to_create, to_update


def _insert_many(cursor, table: str, columns: list[str], rows: list[tuple]) -> None:
    """Insert rows fast: COPY on PostgreSQL (parsing 20,000 placeholders per statement is what is slow
    there), one executemany of a parametrised INSERT elsewhere (SQLite). Table and column names come from
    the models (quoted); every value is a parameter or a COPY field, never SQL."""
    quote = connection.ops.quote_name
    names = ", ".join(map(quote, columns))
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    placeholders = ", ".join(["%s"] * len(columns))
    cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({placeholders})", rows)  # noqa: S608


def _apply(project, rows, report: ImportReport, by) -> None:
    """Write the import in a few statements inside the caller's transaction: one bulk insert of attendees,
    one of their tickets, one parametrised UPDATE run for all changed rows. Building 40,000 model instances
    for bulk_create/bulk_update took ten times longer. Writing rows directly sends no signals, so the audit
    trail gets ONE summary entry for the import (below) instead of 20,000 entries."""
    to_create, to_update = _plan(project, rows, report)
    now = timezone.now()
    quote = connection.ops.quote_name
    created_at = Attendee._meta.get_field("created_at").get_db_prep_save(now, connection)
    author = by.pk if by is not None and getattr(by, "is_authenticated", False) else None
    with connection.cursor() as cursor:
        if to_create:
            columns = [
                "project_id",
                "external_key",
                *EDITABLE,
                "status",
                "created_at",
                "updated_at",
                "created_by_id",
            ]
            _insert_many(
                cursor,
                Attendee._meta.db_table,
                columns,
                [
                    (project.pk, key, *values, Attendee.Status.ACTIVE, created_at, created_at, author)
                    for key, values in to_create
                ],
            )
            keys = {key for key, _values in to_create}
            new_pks = [
                pk
                for key, pk in Attendee.objects.filter(project=project).values_list("external_key", "pk")
                if key in keys
            ]
            _insert_many(
                cursor,
                Ticket._meta.db_table,
                ["attendee_id", "project_id", "code", "created_at"],
                [(pk, project.pk, new_ticket_code(), created_at) for pk in new_pks],
            )
        if to_update:
            assignments = ", ".join(f"{quote(name)} = %s" for name in [*EDITABLE, "updated_at"])
            update = f"UPDATE {quote(Attendee._meta.db_table)} SET {assignments} WHERE {quote('id')} = %s"  # noqa: S608
            cursor.executemany(
                update,
                [(*values, created_at, pk) for pk, values in to_update],
            )
    record_event(
        project,
        by,
        {
            "attendee_import": [
                "",
                f"rows {report.rows}, created {report.created}, updated {report.updated}, "
                f"unchanged {report.unchanged}, skipped {report.skipped}",
            ]
        },
    )
