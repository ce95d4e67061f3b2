"""Check-in records (REQ-ONS-02): every scan as an append-only fact, the check-in it led to, presence and
conflicts derived from the scans, and the first answer to each idempotency key.

The facts are :class:`ScanRecord` rows: one per scan attempt, online or synced from an offline device, never
changed afterwards except for the time the scanner page reports it took to show the answer. They are their
own audit trail of scanning (who, which device, when on the device, when received, what was answered), so
the hot path writes them with plain SQL and no django-auditlog row per scan; edits through the ORM
(acknowledging a conflict, recomputing after an offline sync) are audited as usual.

:class:`CheckIn` is the admission of one ticket: the unique constraint on ``ticket`` is what makes "two
scanners, one ticket: one check-in" true under any concurrency. Its time is the earliest admitting scan.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huiyi.onsite.attendees.models import Ticket
from huiyi.projects.models import MeetingProject


class Direction(models.TextChoices):
    IN = "in", _("Entry")
    OUT = "out", _("Exit")


class Result(models.TextChoices):
    OK = "ok", _("Checked in")
    ALREADY_CHECKED_IN = "already_checked_in", _("Already checked in")
    UNKNOWN = "unknown", _("Unknown ticket")
    WRONG_MEETING = "wrong_meeting", _("Ticket of another meeting")
    BLOCKED = "blocked", _("Registration cancelled")
    CHECKED_OUT = "checked_out", _("Checked out")
    NOT_CHECKED_IN = "not_checked_in", _("Not checked in")
    ALREADY_CHECKED_OUT = "already_checked_out", _("Already checked out")


#: Answers that let the person through the door (an entry) or record them leaving (an exit).
ADMITTING = {Result.OK}


class Source(models.TextChoices):
    CAMERA = "camera", _("Camera")
    KEYBOARD = "keyboard", _("Hardware scanner")
    MANUAL = "manual", _("Manual search")
    API = "api", _("API")


#: The scan tables reference their meeting and their scanner without a database foreign key (Django still
#: cascades and nulls them when a meeting or a user is deleted; nothing else deletes either). A foreign key's
#: check locks the row it points at, and every scan at a meeting's doors pointed at the same meeting and the
#: same few scanners: each lock rewrote that row's lock field (a multixact once scans overlapped) and logged
#: it — five per scan, all on two hot rows. Measured on PostgreSQL (2 cores): 700 → 830 scans/s.
#: The ticket and the scan record keep theirs: each scan points at its own.


class ScanRecord(models.Model):
    """One scan attempt, as it happened. Append-only."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    #: The meeting the device scanned for (or the ticket's, when the device did not say and may see it).
    #: Not indexed alone: the (project, received_at) index serves it — every index is written on every scan.
    project = models.ForeignKey(
        MeetingProject,
        verbose_name=_("meeting project"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    #: The code as the scanner read it (cut to the field's length; `code_length` keeps the real length).
    code = models.CharField(_("code as scanned"), max_length=200, blank=True)
    code_length = models.PositiveIntegerField(_("code length"), default=0)
    direction = models.CharField(
        _("direction"), max_length=3, choices=Direction.choices, default=Direction.IN
    )
    result = models.CharField(_("result"), max_length=20, choices=Result.choices)
    reentry = models.BooleanField(_("re-entry"), default=False)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.API)
    device = models.CharField(_("device"), max_length=64)
    device_name = models.CharField(_("device name"), max_length=80, blank=True)
    #: Not indexed alone: the (user, idempotency_key) index serves it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("scanned by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    offline = models.BooleanField(_("scanned offline"), default=False)
    #: When the device saw the code (its own clock); for offline scans the time the check-in counts from.
    client_time = models.DateTimeField(_("time on the device"), null=True, blank=True)
    #: Not indexed alone: every query of the scans names the meeting, and (project, received_at) serves it.
    received_at = models.DateTimeField(_("received at"))
    idempotency_key = models.CharField(_("idempotency key"), max_length=100, blank=True)
    #: Server time spent on the scan, from the request arriving in the view to the answer being decided.
    processing_us = models.PositiveIntegerField(_("server processing time (µs)"), default=0)
    #: Reported by the scanner page: milliseconds from seeing the code to showing the answer.
    shown_ms = models.PositiveIntegerField(_("time to answer on the device (ms)"), null=True, blank=True)

    class Meta:
        verbose_name = _("scan")
        verbose_name_plural = _("scans")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["project", "received_at"], name="checkin_scan_project_time"),
            models.Index(fields=["user", "idempotency_key"], name="checkin_scan_user_key"),
        ]

    def __str__(self):
        return f"{self.code[:8]}… {self.result}"

    @property
    def effective_time(self):
        """The moment the scan counts from: the device's clock when offline, else the server's."""
        return self.client_time if self.offline and self.client_time else self.received_at


class CheckIn(models.Model):
    """The admission of one ticket: exactly one row per ticket (the one-to-one field is unique)."""

    ticket = models.OneToOneField(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="checkin"
    )
    #: Not indexed alone: the (project, checked_in_at) index serves it.
    project = models.ForeignKey(
        MeetingProject,
        verbose_name=_("meeting project"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    #: The earliest admitting scan's time (an offline scan counts from the device's clock).
    checked_in_at = models.DateTimeField(_("checked in at"))
    device = models.CharField(_("device"), max_length=64)
    device_name = models.CharField(_("device name"), max_length=80, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked in by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # asked only when a user is deleted (rare): not worth an entry written per check-in
        db_constraint=False,
    )
    offline = models.BooleanField(_("scanned offline"), default=False)
    client_time = models.DateTimeField(_("time on the device"), null=True, blank=True)
    scan = models.ForeignKey(
        ScanRecord,
        verbose_name=_("admitting scan"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    #: Inside now: false after a check-out, true again after a re-entry.
    present = models.BooleanField(_("inside"), default=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-checked_in_at"]
        indexes = [models.Index(fields=["project", "checked_in_at"], name="checkin_project_time")]
        permissions = [("view_board", _("Can see the check-in board and scan statistics"))]

    def __str__(self):
        return f"{self.ticket_id} @ {self.checked_in_at:%H:%M:%S}"


class PresenceEvent(models.Model):
    """A check-out or a re-entry after the check-in."""

    checkin = models.ForeignKey(
        CheckIn, verbose_name=_("check-in"), on_delete=models.CASCADE, related_name="events"
    )
    project = models.ForeignKey(
        MeetingProject, verbose_name=_("meeting project"), on_delete=models.CASCADE, related_name="+"
    )
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    at = models.DateTimeField(_("time"))
    device = models.CharField(_("device"), max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    offline = models.BooleanField(_("scanned offline"), default=False)
    scan = models.OneToOneField(
        ScanRecord, verbose_name=_("scan"), on_delete=models.CASCADE, related_name="presence_event"
    )

    class Meta:
        verbose_name = _("presence event")
        verbose_name_plural = _("presence events")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.checkin_id} {self.direction} {self.at:%H:%M}"


class Conflict(models.Model):
    """A ticket admitted more than once (offline devices cannot know of each other), or a cancelled attendee
    let in by an offline device. The check-in keeps the earliest scan; the others are listed here until the
    director acknowledges them — never silently dropped."""

    class Kind(models.TextChoices):
        DUPLICATE = "duplicate", _("Admitted twice")
        CANCELLED = "cancelled", _("Cancelled attendee admitted offline")

    project = models.ForeignKey(
        MeetingProject, verbose_name=_("meeting project"), on_delete=models.CASCADE, related_name="+"
    )
    ticket = models.ForeignKey(Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.DUPLICATE)
    #: The scan that admitted the person again (or admitted a cancelled attendee).
    scan = models.OneToOneField(
        ScanRecord, verbose_name=_("scan"), on_delete=models.CASCADE, related_name="conflict"
    )
    #: The scan the check-in kept (the earliest).
    kept_scan = models.ForeignKey(
        ScanRecord,
        verbose_name=_("kept scan"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    detected_at = models.DateTimeField(_("detected at"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("check-in conflict")
        verbose_name_plural = _("check-in conflicts")
        ordering = ["-detected_at"]
        permissions = [("acknowledge_conflict", _("Can acknowledge check-in conflicts"))]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.ticket_id}"


class IdempotencyRecord(models.Model):
    """The first answer given to (user, Idempotency-Key): a repeat gets these bytes back unchanged.

    Offline scans synced in a batch use their own key in the same space, so a scan whose online answer was
    lost and which the device then queued offline is still counted once.
    """

    #: Not indexed alone: the unique (user, key) constraint's index serves it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    key = models.CharField(_("idempotency key"), max_length=100)
    endpoint = models.CharField(_("endpoint"), max_length=20)
    #: SHA-256 of what was asked (direction, meeting, code): the same key with another request is refused.
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(_("HTTP status"))
    body = models.TextField(_("response"))
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="checkin_idempotency_once")]

    def __str__(self):
        return f"{self.user_id}:{self.key}"
