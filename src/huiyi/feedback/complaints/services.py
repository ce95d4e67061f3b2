"""Every state change of a complaint: one function per business action, in a transaction, audited.

    create_complaint(project, *, channel, content, severity, …) -> Complaint          # REQ-FBK-06
    acknowledge(c, *, by, note="")  start_work(c, *, by)  pause(c, *, by, reason)  resume(c, *, by, note="")
    resolve(c, *, resolution, by)  close(c, *, by, confirmed_by_name/confirmed_at/confirmation_method
                                              | no_confirmation_reason)  reopen(c, *, by, reason)
    change_severity(c, severity, *, by, note="")  assign(c, owner, *, by)
    escalate(c, *, by, reason)  check_breaches(now=None)      # the periodic job (tasks.py)
    raise_nonconformance(c, *, by) -> Nonconformance
    issue_public_link(project, *, by, days) -> (AccessLink, token)

Status: new → acknowledged → in progress ⇄ waiting for the client → resolved → closed; resolved and closed
reopen to in progress. Clocks (``huiyi.calendar.clocks.SlaClock``): the response clock stops at the first
response, the resolution clock pauses while waiting for the client and stops at the resolution; a reopened
complaint's resolution clock runs on, the time it spent resolved counted as a pause. Every action takes an
optional ``now`` so tests and the demo can travel in time. Bad input raises ``ValidationError`` keyed by
field and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable

from auditlog.context import set_actor
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import EmailValidator
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from huiyi.accounts.models import OrgMembership, OrgUnit
from huiyi.calendar import services as calendar
from huiyi.calendar.clocks import ClockStatus, Pause, SlaClock, WorkCalendar
from huiyi.core import links
from huiyi.core.files import file_facts
from huiyi.core.notifications import notify
from huiyi.projects.models import MeetingProject, ProjectMember
from huiyi.rulebook.services import rulebook_for

from . import sla
from .models import Channel, Complaint, ComplaintAttachment, ComplaintEvent

Status = Complaint.Status
Kind = ComplaintEvent.Kind

#: Purpose of the project's public complaint links (huiyi.core.links).
PUBLIC_LINK_PURPOSE = "complaints.public_form"

# Input limits (not numbers of the specification: protection of the form and the storage).
CONTENT_MAX_CHARS = int(getattr(settings, "HUIYI_COMPLAINT_MAX_CHARS", 5000))
NAME_MAX_CHARS = 100
CONTACT_MAX_CHARS = 200
NOTE_MAX_CHARS = 5000
ATTACHMENT_MAX_BYTES = int(getattr(settings, "HUIYI_COMPLAINT_ATTACHMENT_BYTES", 10 * 1024 * 1024))
ATTACHMENT_MAX_COUNT = int(getattr(settings, "HUIYI_COMPLAINT_ATTACHMENT_COUNT", 5))
#: What an attachment may be, recognised by its first bytes (the browser's MIME type is not trusted).
SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)


# ------------------------------------------------------------------------------------------------------
# helpers


def _now(now: dt.datetime | None) -> dt.datetime:
    now = now or timezone.now()
    if timezone.is_naive(now):
        raise ValueError("now must be timezone-aware")
    return now


def _actor(by):
    return set_actor(by) if by is not None and getattr(by, "is_authenticated", False) else _Null()


class _Null:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _person(by):
    return by if by is not None and getattr(by, "is_authenticated", False) else None


def _clean_text(value, field: str, *, required: bool = False, limit: int = NOTE_MAX_CHARS) -> str:
    text = "" if value is None else str(value)
    if "\x00" in text or any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):
        raise ValidationError({field: _("The text contains characters that cannot be stored.")})
    text = text.strip()
    if required and not text:
        raise ValidationError({field: _("This field is required.")})
    if len(text) > limit:
        raise ValidationError(
            {
                field: _("Keep this to %(limit)s characters (it has %(count)s).")
                % {"limit": limit, "count": len(text)}
            }
        )
    return text


def _lock(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().select_related("project").get(pk=complaint.pk)


def _refuse(message: str, field: str = "status"):
    raise ValidationError({field: message}, code="workflow")


def _require_status(complaint: Complaint, allowed: Iterable[str], action: str):
    if complaint.status not in allowed:
        _refuse(
            _("A complaint that is %(status)s cannot be %(action)s.")
            % {"status": complaint.get_status_display(), "action": action}
        )


def _event(complaint, kind, at, by=None, **fields) -> ComplaintEvent:
    return ComplaintEvent.objects.create(complaint=complaint, kind=kind, at=at, actor=_person(by), **fields)


def _clocks(complaint: Complaint) -> tuple[SlaClock | None, SlaClock | None]:
    response = SlaClock.from_dict(complaint.response_clock) if complaint.response_clock else None
    resolution = SlaClock.from_dict(complaint.resolution_clock) if complaint.resolution_clock else None
    return response, resolution


def _store_clocks(complaint, response, resolution, cal: WorkCalendar, now) -> None:
    complaint.response_clock = response.to_dict() if response else {}
    complaint.resolution_clock = resolution.to_dict() if resolution else {}
    confirmed = True
    for clock, field in ((response, "response_due"), (resolution, "resolution_due")):
        deadline = clock.due(cal) if clock is not None else None
        setattr(complaint, field, deadline.due if deadline else None)
        if deadline is not None and not deadline.confirmed:
            confirmed = False
    complaint.due_confirmed = confirmed


def _stop(clock: SlaClock, now) -> SlaClock:
    try:
        return clock.stop(now)
    except ValueError:
        _refuse(_("This time is before the complaint's last step."), "now")


def _calendar() -> WorkCalendar:
    return calendar.work_calendar()


def _url(complaint: Complaint) -> str:
    return reverse("complaints:detail", args=[complaint.pk])


def default_owner(project: MeetingProject, rulebook=None):
    """The member holding the role the rulebook makes answer for complaints, else the project manager."""
    rulebook = rulebook or rulebook_for(project)
    roles = []
    for found in sla.targets(rulebook)[:1]:
        if found.resolution.owner_role:
            roles.append(found.resolution.owner_role)
    roles.append("project_manager")
    for role in roles:
        member = (
            ProjectMember.objects.filter(project=project, role__key=role, user__is_active=True)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if member is not None:
            return member.user
    return None


def holders(project: MeetingProject, role_key: str) -> list:
    """Who holds ``role_key`` for the project: its members with the role, else the holders in the nearest
    organisation unit above the project's (its own unit first)."""
    members = list(
        ProjectMember.objects.filter(project=project, role__key=role_key, user__is_active=True)
        .select_related("user")
        .order_by("pk")
    )
    if members:
        return list(dict.fromkeys(m.user for m in members))
    unit = project.org_unit
    path = unit.path
    ancestors = [u for u in OrgUnit.objects.filter(is_active=True) if path.startswith(u.path)]
    for ancestor in sorted(ancestors, key=lambda u: len(u.path), reverse=True):
        users = [
            m.user
            for m in OrgMembership.objects.filter(org_unit=ancestor, role__key=role_key, user__is_active=True)
            .select_related("user")
            .order_by("pk")
        ]
        if users:
            return list(dict.fromkeys(users))
    return []


def escalation_roles(complaint: Complaint, rulebook=None) -> tuple[str, ...]:
    rulebook = rulebook or rulebook_for(complaint.project)
    rule = rulebook.rule(complaint.resolution_rule) if complaint.resolution_rule in rulebook else None
    return sla.chain(rule)


# ------------------------------------------------------------------------------------------------------
# attachments


def _check_attachments(uploads) -> list[tuple[object, object, str]]:
    uploads = [u for u in (uploads or []) if u]
    if len(uploads) > ATTACHMENT_MAX_COUNT:
        raise ValidationError(
            {"attachments": _("Attach at most %(count)s files.") % {"count": ATTACHMENT_MAX_COUNT}}
        )
    checked = []
    for upload in uploads:
        name = str(getattr(upload, "name", "") or "file")[-200:]
        facts = file_facts(upload)
        if facts.size == 0:
            raise ValidationError({"attachments": _("%(name)s is empty.") % {"name": name}})
        if facts.size > ATTACHMENT_MAX_BYTES:
            raise ValidationError(
                {
                    "attachments": _("%(name)s is larger than %(limit)s MB.")
                    % {"name": name, "limit": ATTACHMENT_MAX_BYTES // (1024 * 1024)}
                }
            )
        head = upload.read(16)
        upload.seek(0)
        kind = next(((mime, ext) for magic, mime, ext in SIGNATURES if head.startswith(magic)), None)
        if kind is None:
            raise ValidationError(
                {"attachments": _("%(name)s: attach a PDF, JPEG or PNG file.") % {"name": name}}
            )
        checked.append((upload, facts, kind[0]))
    return checked


def _save_attachments(complaint, checked, by) -> None:
    for upload, facts, mime in checked:
        attachment = ComplaintAttachment(
            complaint=complaint,
            name=str(getattr(upload, "name", "") or "file")[-200:],
            sha256=facts.sha256,
            size=facts.size,
            mime=mime,
            uploaded_by=_person(by),
        )
        extension = next(ext for _magic, m, ext in SIGNATURES if m == mime)
        attachment.file.save(f"{facts.sha256[:16]}{extension}", upload, save=False)
        attachment.save()


@transaction.atomic
def add_attachments(complaint: Complaint, uploads, *, by) -> list[ComplaintAttachment]:
    checked = _check_attachments(uploads)
    complaint = _lock(complaint)
    if complaint.attachments.count() + len(checked) > ATTACHMENT_MAX_COUNT:
        raise ValidationError(
            {"attachments": _("Attach at most %(count)s files.") % {"count": ATTACHMENT_MAX_COUNT}}
        )
    with _actor(by):
        before = set(complaint.attachments.values_list("pk", flat=True))
        _save_attachments(complaint, checked, by)
        return list(complaint.attachments.exclude(pk__in=before))


# ------------------------------------------------------------------------------------------------------
# receiving


def create_complaint(
    project: MeetingProject,
    *,
    channel: str,
    content: str,
    severity: str,
    complainant_name: str = "",
    complainant_contact: str = "",
    complainant_email: str = "",
    received_at: dt.datetime | None = None,
    owner=None,
    attachments=(),
    by=None,
    source: str = Complaint.Source.STAFF,
    now: dt.datetime | None = None,
) -> Complaint:
    """Record a complaint, start its clocks from the rulebook and acknowledge it to the complainant."""
    now = _now(now)
    if project is None:
        raise ValidationError({"project": _("Choose the meeting project.")})
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Choose one of the channels.")})
    content = _clean_text(content, "content", required=True, limit=CONTENT_MAX_CHARS)
    name = _clean_text(complainant_name, "complainant_name", limit=NAME_MAX_CHARS)
    contact = _clean_text(complainant_contact, "complainant_contact", limit=CONTACT_MAX_CHARS)
    email = _clean_text(complainant_email, "complainant_email", limit=CONTACT_MAX_CHARS)
    if email:
        try:
            EmailValidator()(email)
        except ValidationError:
            raise ValidationError({"complainant_email": _("Enter a valid e-mail address.")}) from None
    received_at = received_at or now
    if timezone.is_naive(received_at):
        raise ValidationError({"received_at": _("Give the time with its time zone.")})
    if received_at > now + dt.timedelta(minutes=5):
        raise ValidationError({"received_at": _("A complaint cannot be received in the future.")})
    if source not in Complaint.Source.values:
        raise ValidationError({"source": _("Unknown source.")})
    rulebook = rulebook_for(project)
    reported = severity if severity in sla.REPORTED_LEVELS else ""
    key = sla.severity_from_report(rulebook, severity or "")
    if key is None:
        choices = ", ".join([*sla.REPORTED_LEVELS, *(t.severity for t in sla.targets(rulebook))])
        raise ValidationError({"severity": _("Choose a severity: %(choices)s.") % {"choices": choices}})
    if not reported:
        reported = sla.SERIOUS if sla.is_serious(rulebook, key) else sla.NORMAL
    checked = _check_attachments(attachments)
    found = sla.targets_for(rulebook, key)
    cal = _calendar()
    with transaction.atomic(), _actor(by):
        complaint = Complaint(
            project=project,
            channel=channel,
            source=source,
            complainant_name=name,
            complainant_contact=contact,
            complainant_email=email,
            content=content,
            severity=key,
            reported_severity=reported,
            received_at=received_at,
            owner=owner or default_owner(project, rulebook),
            response_rule=found.response.id,
            resolution_rule=found.resolution.id,
            created_by=_person(by),
        )
        _store_clocks(
            complaint,
            sla.new_clock(found.response, received_at),
            sla.new_clock(found.resolution, received_at),
            cal,
            now,
        )
        complaint.save()
        complaint.reference = f"TS-{timezone.localtime(received_at).year}-{complaint.pk:05d}"
        complaint.save(update_fields=["reference"])
        _event(
            complaint,
            Kind.RECEIVED,
            received_at,
            by,
            data={"channel": channel, "severity": key, "source": source},
        )
        _save_attachments(complaint, checked, by)
        if email:
            _send_acknowledgement(complaint, now)
        if complaint.owner is not None:
            notify(
                complaint.owner,
                _("New complaint %(ref)s") % {"ref": complaint.reference},
                body=f"{project} — {content[:200]}",
                url=_url(complaint),
                kind="complaint",
                dedupe_key=f"complaints.{complaint.pk}.new",
            )
    return complaint


def _send_acknowledgement(complaint: Complaint, now) -> None:
    """E-mail the complainant that the complaint arrived, in the language they used, with its reference."""
    subject = _("We have received your complaint (%(ref)s)") % {"ref": complaint.reference}
    body = _(
        "Thank you for telling us. Your complaint about %(project)s was received on %(at)s and has the "
        "reference %(ref)s. We will answer you as soon as possible."
    ) % {
        "project": complaint.project.display_name
        if hasattr(complaint.project, "display_name")
        else complaint.project,
        "at": timezone.localtime(complaint.received_at).strftime("%Y-%m-%d %H:%M"),
        "ref": complaint.reference,
    }
    address = complaint.complainant_email
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=True)
    )
    _event(complaint, Kind.ACK_SENT, now, data={"to": _mask_email(address)})


def _mask_email(address: str) -> str:
    local, _sep, domain = address.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


# ------------------------------------------------------------------------------------------------------
# working a complaint


def _breach_check(complaint: Complaint, response, resolution, cal, now) -> None:
    """Record a clock that has run out (once per clock) — on every transition as well as in the job."""
    for clock, name, field in (
        (response, ComplaintEvent.Clock.RESPONSE, "response_breached_at"),
        (resolution, ComplaintEvent.Clock.RESOLUTION, "resolution_breached_at"),
    ):
        if clock is None:
            continue
        breached = clock.status(now, cal) is ClockStatus.BREACHED
        if breached and getattr(complaint, field) is None:
            deadline = clock.due(cal, now)
            when = deadline.due if deadline is not None else now
            setattr(complaint, field, when)
            try:
                with transaction.atomic():
                    _event(complaint, Kind.BREACHED, when, clock=name, data={"due": when.isoformat()})
            except IntegrityError:
                pass  # recorded already (a retry, or the same clock breached again after a severity change)
        elif not breached and getattr(complaint, field) is not None:
            setattr(complaint, field, None)  # a severity change gave more time; the timeline keeps the event


@transaction.atomic
def acknowledge(complaint: Complaint, *, by, note: str = "", now=None) -> Complaint:
    """The first response to the complainant: stops the response clock."""
    now = _now(now)
    note = _clean_text(note, "note")
    complaint = _lock(complaint)
    _require_status(complaint, [Status.NEW], _("acknowledged"))
    with _actor(by):
        return _respond(complaint, by, now, note)


def _respond(complaint, by, now, note="") -> Complaint:
    cal = _calendar()
    response, resolution = _clocks(complaint)
    if response is not None and not response.is_stopped:
        response = _stop(response, now)
    _breach_check(complaint, response, resolution, cal, now)
    _store_clocks(complaint, response, resolution, cal, now)
    complaint.responded_at = now
    complaint.status = Status.ACKNOWLEDGED
    complaint.save()
    _event(complaint, Kind.ACKNOWLEDGED, now, by, note=note)
    return complaint


@transaction.atomic
def start_work(complaint: Complaint, *, by, now=None) -> Complaint:
    now = _now(now)
    complaint = _lock(complaint)
    _require_status(complaint, [Status.NEW, Status.ACKNOWLEDGED], _("started"))
    with _actor(by):
        if complaint.status == Status.NEW:
            complaint = _respond(complaint, by, now)
        complaint.status = Status.IN_PROGRESS
        complaint.save(update_fields=["status", "updated_at"])
        _event(complaint, Kind.STARTED, now, by)
        return complaint


@transaction.atomic
def pause(complaint: Complaint, *, by, reason: str, now=None) -> Complaint:
    """Waiting for the client: the resolution clock stops counting until the client answers."""
    now = _now(now)
    reason = _clean_text(reason, "reason", required=True)
    complaint = _lock(complaint)
    if complaint.status == Status.NEW:
        _refuse(_("Answer the complainant first: the response clock cannot wait for them."))
    _require_status(complaint, [Status.ACKNOWLEDGED, Status.IN_PROGRESS], _("paused"))
    cal = _calendar()
    response, resolution = _clocks(complaint)
    try:
        resolution = resolution.pause(now)
    except ValueError:
        _refuse(_("The clock cannot be paused at this time."), "now")
    with _actor(by):
        _breach_check(complaint, response, resolution, cal, now)
        _store_clocks(complaint, response, resolution, cal, now)
        complaint.status = Status.WAITING
        complaint.save()
        _event(complaint, Kind.PAUSED, now, by, clock=ComplaintEvent.Clock.RESOLUTION, note=reason)
        return complaint


@transaction.atomic
def resume(complaint: Complaint, *, by, note: str = "", now=None) -> Complaint:
    """The client answered: the resolution clock runs again; the due time moves by the pause."""
    now = _now(now)
    note = _clean_text(note, "note")
    complaint = _lock(complaint)
    _require_status(complaint, [Status.WAITING], _("resumed"))
    cal = _calendar()
    response, resolution = _clocks(complaint)
    try:
        resolution = resolution.resume(now)
    except ValueError:
        _refuse(_("The clock cannot resume before it was paused."), "now")
    with _actor(by):
        _store_clocks(complaint, response, resolution, cal, now)
        _breach_check(complaint, response, resolution, cal, now)
        complaint.status = Status.IN_PROGRESS
        complaint.save()
        _event(
            complaint,
            Kind.RESUMED,
            now,
            by,
            clock=ComplaintEvent.Clock.RESOLUTION,
            note=note,
            data={
                "resolution_due": complaint.resolution_due.isoformat() if complaint.resolution_due else None
            },
        )
        return complaint


@transaction.atomic
def resolve(complaint: Complaint, *, resolution: str, by, now=None) -> Complaint:
    """Record what was done: stops the resolution clock (and the response clock if still running)."""
    now = _now(now)
    text = _clean_text(resolution, "resolution", required=True)
    complaint = _lock(complaint)
    _require_status(complaint, Complaint.OPEN_STATUSES, _("resolved"))
    cal = _calendar()
    response, clock = _clocks(complaint)
    with _actor(by):
        if response is not None and not response.is_stopped:
            response = _stop(response, now)
            complaint.responded_at = complaint.responded_at or now
        clock = _stop(clock, now) if not clock.is_stopped else clock
        _breach_check(complaint, response, clock, cal, now)
        _store_clocks(complaint, response, clock, cal, now)
        complaint.resolution = text
        complaint.resolved_at = now
        complaint.resolved_by = _person(by)
        complaint.status = Status.RESOLVED
        complaint.save()
        _event(complaint, Kind.RESOLVED, now, by, note=text)
        return complaint


@transaction.atomic
def close(
    complaint: Complaint,
    *,
    by,
    confirmed_by_name: str = "",
    confirmed_at: dt.datetime | None = None,
    confirmation_method: str = "",
    no_confirmation_reason: str = "",
    now=None,
) -> Complaint:
    """Close a resolved complaint: with the client's confirmation (who, when, how) or the documented reason
    why it could not be obtained (§8.3)."""
    now = _now(now)
    name = _clean_text(confirmed_by_name, "confirmed_by_name", limit=NAME_MAX_CHARS)
    reason = _clean_text(no_confirmation_reason, "no_confirmation_reason")
    complaint = _lock(complaint)
    _require_status(complaint, [Status.RESOLVED], _("closed"))
    if not complaint.resolution:
        _refuse(_("Record the resolution before closing."), "resolution")
    confirming = bool(name or confirmed_at or confirmation_method)
    if confirming and reason:
        raise ValidationError(
            {"no_confirmation_reason": _("Give either the client's confirmation or the reason, not both.")}
        )
    if not confirming and not reason:
        raise ValidationError(
            {
                "confirmed_by_name": _(
                    "Record who confirmed the resolution for the client, or why no confirmation could be had."
                )
            }
        )
    if confirming:
        errors = {}
        if not name:
            errors["confirmed_by_name"] = _("Who confirmed it for the client?")
        if confirmation_method not in Complaint.ConfirmationMethod.values:
            errors["confirmation_method"] = _("How did the client confirm?")
        if confirmed_at is None:
            errors["confirmed_at"] = _("When did the client confirm?")
        elif timezone.is_naive(confirmed_at):
            errors["confirmed_at"] = _("Give the time with its time zone.")
        elif confirmed_at > now + dt.timedelta(minutes=5):
            errors["confirmed_at"] = _("A confirmation cannot be in the future.")
        elif complaint.resolved_at and confirmed_at < complaint.resolved_at - dt.timedelta(minutes=1):
            errors["confirmed_at"] = _("The client can only confirm after the resolution.")
        if errors:
            raise ValidationError(errors)
    with _actor(by):
        complaint.confirmed_by_name = name
        complaint.confirmed_at = confirmed_at if confirming else None
        complaint.confirmation_method = confirmation_method if confirming else ""
        complaint.no_confirmation_reason = reason
        complaint.closed_at = now
        complaint.closed_by = _person(by)
        complaint.status = Status.CLOSED
        complaint.save()
        data = (
            {"confirmed_by": name, "confirmed_at": confirmed_at.isoformat(), "how": confirmation_method}
            if confirming
            else {"reason": reason}
        )
        _event(complaint, Kind.CLOSED, now, by, note=reason, data=data)
        return complaint


@transaction.atomic
def reopen(complaint: Complaint, *, by, reason: str, now=None) -> Complaint:
    """The client is not satisfied after all: back to in progress; the resolution clock runs on."""
    now = _now(now)
    reason = _clean_text(reason, "reason", required=True)
    complaint = _lock(complaint)
    _require_status(complaint, [Status.RESOLVED, Status.CLOSED], _("reopened"))
    cal = _calendar()
    response, clock = _clocks(complaint)
    if clock.stopped_at is not None:
        stopped = clock.stopped_at if clock.stopped_at <= now else now
        clock = SlaClock(clock.kind, clock.target, clock.started_at, (*clock.pauses, Pause(stopped, now)))
    with _actor(by):
        _store_clocks(complaint, response, clock, cal, now)
        _breach_check(complaint, response, clock, cal, now)
        for field in ("confirmed_by_name", "confirmation_method", "no_confirmation_reason"):
            setattr(complaint, field, "")
        complaint.confirmed_at = complaint.closed_at = complaint.resolved_at = None
        complaint.closed_by = complaint.resolved_by = None
        complaint.status = Status.IN_PROGRESS
        complaint.save()
        _event(complaint, Kind.REOPENED, now, by, note=reason)
        return complaint


@transaction.atomic
def change_severity(complaint: Complaint, severity: str, *, by, note: str = "", now=None) -> Complaint:
    """Refine the severity (normal → minor or major; up to serious): the clocks keep their history and are
    measured against the new severity's targets."""
    now = _now(now)
    note = _clean_text(note, "note")
    complaint = _lock(complaint)
    if not complaint.is_open:
        _refuse(_("Only an open complaint's severity can change."), "severity")
    rulebook = rulebook_for(complaint.project)
    key = sla.severity_from_report(rulebook, severity or "")
    if key is None:
        raise ValidationError({"severity": _("Choose one of the rulebook's severities.")})
    if key == complaint.severity:
        return complaint
    found = sla.targets_for(rulebook, key)
    cal = _calendar()
    response, resolution = _clocks(complaint)
    response, resolution = sla.retarget(response, found.response), sla.retarget(resolution, found.resolution)
    old = complaint.severity
    with _actor(by):
        complaint.severity = key
        complaint.reported_severity = sla.SERIOUS if sla.is_serious(rulebook, key) else sla.NORMAL
        complaint.response_rule, complaint.resolution_rule = found.response.id, found.resolution.id
        _store_clocks(complaint, response, resolution, cal, now)
        _breach_check(complaint, response, resolution, cal, now)
        complaint.save()
        _event(complaint, Kind.SEVERITY, now, by, note=note, data={"from": old, "to": key})
        return complaint


@transaction.atomic
def assign(complaint: Complaint, owner, *, by, now=None) -> Complaint:
    now = _now(now)
    complaint = _lock(complaint)
    if owner is None or not getattr(owner, "is_active", False):
        raise ValidationError({"owner": _("Choose an active person.")})
    if owner.pk == complaint.owner_id:
        return complaint
    with _actor(by):
        old = complaint.owner
        complaint.owner = owner
        complaint.save(update_fields=["owner", "updated_at"])
        _event(complaint, Kind.OWNER, now, by, data={"from": str(old or ""), "to": str(owner)})
        notify(
            owner,
            _("Complaint %(ref)s is yours") % {"ref": complaint.reference},
            body=complaint.content[:200],
            url=_url(complaint),
            kind="complaint",
            dedupe_key=f"complaints.{complaint.pk}.owner.{now.isoformat()}",
        )
        return complaint


# ------------------------------------------------------------------------------------------------------
# escalation


def _next_level(complaint: Complaint, roles: tuple[str, ...]) -> tuple[int, list] | None:
    """The next level above the current one that somebody holds (levels nobody holds are skipped)."""
    for level in range(complaint.escalation_level + 1, len(roles) + 1):
        people = holders(complaint.project, roles[level - 1])
        if people:
            return level, people
    return None


def _escalate_once(complaint: Complaint, *, by, reason: str, now, automatic: bool, rulebook) -> bool:
    roles = escalation_roles(complaint, rulebook)
    found = _next_level(complaint, roles)
    if found is None:
        return False
    level, people = found
    try:
        with transaction.atomic():
            _event(
                complaint,
                Kind.ESCALATED,
                now,
                by,
                level=level,
                note=reason,
                data={
                    "role": roles[level - 1],
                    "to": [str(p) for p in people],
                    "to_ids": [p.pk for p in people],
                    "automatic": automatic,
                },
            )
    except IntegrityError:
        complaint.escalation_level = max(complaint.escalation_level, level)
        complaint.save(update_fields=["escalation_level", "updated_at"])
        return False
    complaint.escalation_level = level
    complaint.save(update_fields=["escalation_level", "updated_at"])
    title = _("Complaint %(ref)s escalated to you") % {"ref": complaint.reference}
    body = f"{complaint.project} — {reason}\n{complaint.content[:200]}"
    for person in people:
        notify(
            person,
            title,
            body=body,
            url=_url(complaint),
            kind="complaint_escalation",
            dedupe_key=f"complaints.{complaint.pk}.escalation.{level}",
        )
    return True


@transaction.atomic
def escalate(complaint: Complaint, *, by, reason: str, now=None) -> Complaint:
    """Hand the complaint one step up the chain by hand (with the reason)."""
    now = _now(now)
    reason = _clean_text(reason, "reason", required=True)
    complaint = _lock(complaint)
    if not complaint.is_open:
        _refuse(_("Only an open complaint can be escalated."))
    with _actor(by):
        if not _escalate_once(
            complaint,
            by=by,
            reason=reason,
            now=now,
            automatic=False,
            rulebook=rulebook_for(complaint.project),
        ):
            _refuse(_("There is nobody further up the escalation chain."), "reason")
    return complaint


def due_level(complaint: Complaint, cal: WorkCalendar, now) -> int:
    """The level a complaint should have reached: one step at a breach, one more for every further target
    span that passes without the clock being met. A clock met (late) escalates no further: the answer came."""
    level = 0
    for clock in _clocks(complaint):
        if clock is None or clock.is_stopped or clock.status(now, cal) is not ClockStatus.BREACHED:
            continue
        overrun = -clock.remaining(now, cal)
        span = sla.target_as_delta(clock)
        steps = 1 + (math.floor(overrun / span) if span > dt.timedelta(0) else 0)
        level = max(level, steps)
    return level


def check_breaches(now=None) -> int:
    """Record missed targets and escalate (the periodic job). Idempotent: returns new escalations."""
    now = _now(now)
    cal = _calendar()
    escalated = 0
    candidates = Complaint.objects.filter(status__in=Complaint.OPEN_STATUSES).filter(
        Q(response_due__lt=now)
        | Q(resolution_due__lt=now)
        | Q(response_breached_at__isnull=False)
        | Q(resolution_breached_at__isnull=False)
    )
    for pk in candidates.values_list("pk", flat=True):
        with transaction.atomic():
            complaint = Complaint.objects.select_for_update().select_related("project").get(pk=pk)
            if not complaint.is_open:
                continue
            response, resolution = _clocks(complaint)
            before = (complaint.response_breached_at, complaint.resolution_breached_at)
            _breach_check(complaint, response, resolution, cal, now)
            if (complaint.response_breached_at, complaint.resolution_breached_at) != before:
                complaint.save(update_fields=["response_breached_at", "resolution_breached_at", "updated_at"])
            target = due_level(complaint, cal, now)
            rulebook = rulebook_for(complaint.project)
            while complaint.escalation_level < target:
                which = (
                    _("the resolution target was missed")
                    if complaint.resolution_breached_at
                    else _("the first-response target was missed")
                )
                if not _escalate_once(
                    complaint, by=None, reason=which, now=now, automatic=True, rulebook=rulebook
                ):
                    break
                escalated += 1
    return escalated


# ------------------------------------------------------------------------------------------------------
# quality


@transaction.atomic
def raise_nonconformance(complaint: Complaint, *, by, now=None):
    """Open a nonconformance for the complaint (REQ-QLT-06), linked both ways; a second call returns it."""
    from huiyi.quality.models import Severity
    from huiyi.quality.services import bilingual, open_nonconformance

    now = _now(now)
    complaint = _lock(complaint)
    if complaint.nonconformance_id:
        return complaint.nonconformance
    rulebook = rulebook_for(complaint.project)
    rule = rulebook.rule(complaint.resolution_rule) if complaint.resolution_rule in rulebook else None
    excerpt = complaint.content[:300]
    description = bilingual(
        lambda: (
            _("Complaint %(ref)s (%(severity)s): %(content)s")
            % {
                "ref": complaint.reference,
                "severity": sla.severity_label(complaint.severity),
                "content": excerpt,
            }
        )
    )
    with _actor(by):
        nc = open_nonconformance(
            complaint.project,
            source="complaint",
            description=description,
            severity=Severity.MAJOR if sla.is_serious(rulebook, complaint.severity) else Severity.MINOR,
            by=by,
            owner=complaint.owner,
            owner_role=(rule.owner_role or "") if rule else "",
            req=rule.req if rule else "",
            clause=rule.clause if rule else "",
        )
        complaint.nonconformance = nc
        complaint.save(update_fields=["nonconformance", "updated_at"])
        _event(complaint, Kind.NONCONFORMANCE, now, by, data={"nonconformance": nc.pk, "code": nc.code})
    return nc


# ------------------------------------------------------------------------------------------------------
# public links


def issue_public_link(project: MeetingProject, *, by, days: int):
    """A reusable, expiring link to the project's public complaint form (the token is shown once)."""
    if isinstance(days, bool) or not isinstance(days, int) or days < 1 or days > 3660:
        raise ValidationError({"days": _("Give the link's validity as a whole number of days.")})
    return links.issue(
        PUBLIC_LINK_PURPOSE, project, created_by=by, lifetime=dt.timedelta(days=days), single_use=False
    )


def public_links(project: MeetingProject):
    from django.contrib.contenttypes.models import ContentType

    from huiyi.core.models import AccessLink

    return AccessLink.objects.filter(
        purpose=PUBLIC_LINK_PURPOSE,
        content_type=ContentType.objects.get_for_model(MeetingProject),
        object_id=str(project.pk),
    ).order_by("-created_at")


@transaction.atomic
def submit_public(token: str, *, address: str = "", language: str | None = None, **fields) -> Complaint:
    """A complaint through the project's public link: resolved (never consumed), recorded, acknowledged."""
    link = links.resolve(token, PUBLIC_LINK_PURPOSE)
    project = MeetingProject.objects.get(pk=link.object_id)
    with translation.override(language or translation.get_language()):
        complaint = create_complaint(
            project, channel=Channel.WEB_FORM, source=Complaint.Source.PUBLIC, by=None, **fields
        )
    type(link).objects.filter(pk=link.pk).update(
        use_count=F("use_count") + 1, last_used_from=address[:64], used_at=timezone.now()
    )
    return complaint
