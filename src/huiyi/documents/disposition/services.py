"""Every change of disposition: one function per business action, in a transaction, audited.

    request_destruction(document, *, by, reason) -> DispositionRequest            # REQ-DOC-04, REQ-DOC-06
    approve(request, *, by, note="")  reject(request, *, by, note)  withdraw(request, *, by)
    destroy(request, *, by) -> DestructionRecord                                  # REQ-DOC-06
    place_hold(document, *, by, reason)  lift_hold(document, *, by, reason)
    notify_due(today=None)  purge_leftovers()                                      # the daily jobs (tasks.py)

Who approves: the meeting's lead (会议组织负责人, §3.5(2) 2.3) — a member of the project holding the role the
rulebook's ``doc.destruction_approved`` names as ``owner_role`` — or the project director, whose role also
grants ``disposition.approve_dispositionrequest``. Never the person who asked for the destruction.

Refusals (``ValidationError`` keyed by field, nothing changed): a document kept permanently, whose retention
has not ended, under legal hold (also a hold placed after the approval), already destroyed; destruction of a
request not approved.

Crash safety of the destruction: the record (one row per version) and the document's ``destroyed_at`` are
written in one transaction; the stored objects are deleted only after it commits (``on_commit``), each
marked deleted once gone. A crash between the two leaves a record whose objects are still there:
``purge_leftovers`` (daily, and on every run of ``destroy``) deletes them. So there is never a record
without a destruction, nor a file lost before its record exists.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from huiyi.accounts.models import OrgMembership, OrgUnit
from huiyi.core.audit import record_event
from huiyi.core.notifications import notify
from huiyi.documents import services as documents
from huiyi.documents.models import Document
from huiyi.projects.models import ProjectMember
from huiyi.projects.queries import can_see_project
from huiyi.rulebook.services import active_rulebook, rulebook_for

from .models import DestroyedFile, DestructionRecord, DispositionRequest, LegalHoldEvent

log = logging.getLogger(__name__)

Status = DispositionRequest.Status

RULE_ID = "doc.destruction_approved"
#: The lead's role when the project's rulebook names none (rulebook versions older than the owner_role).
DEFAULT_LEAD_ROLE = "project_manager"
#: The project director approves too: the manager's superior for the meetings of the unit.
DIRECTOR_ROLE = "project_director"
APPROVE_PERMISSION = "disposition.approve_dispositionrequest"
REQUEST_PERMISSION = "disposition.add_dispositionrequest"
DESTROY_PERMISSION = "disposition.destroy_document"
TEXT_MAX_CHARS = 2000


# ------------------------------------------------------------------------------------------------------
# helpers


def _now(now):
    now = now or timezone.now()
    if timezone.is_naive(now):
        raise ValueError("now must be timezone-aware")
    return now


def _text(value, field: str, *, required: bool = True) -> str:
    text = ("" if value is None else str(value)).strip()
    if "\x00" in text:
        raise ValidationError({field: _("The text contains characters that cannot be stored.")})
    if required and not text:
        raise ValidationError({field: _("Give the reason.")})
    if len(text) > TEXT_MAX_CHARS:
        raise ValidationError({field: _("Keep this to %(limit)s characters.") % {"limit": TEXT_MAX_CHARS}})
    return text


def _rulebook(document: Document):
    return rulebook_for(document.project) if document.project_id else active_rulebook()


def _perms(user) -> set[str]:
    return user.get_all_permissions() if user.is_authenticated else set()


def _sees(user, document: Document) -> bool:
    return user.is_authenticated and (document.project is None or can_see_project(user, document.project))


def approving_roles(document: Document) -> tuple[str, ...]:
    """The lead's role (the rulebook's ``owner_role`` of doc.destruction_approved) and the director's."""
    rulebook = _rulebook(document)
    rule = rulebook.rule(RULE_ID) if RULE_ID in rulebook else None
    lead = (rule.owner_role if rule is not None else None) or DEFAULT_LEAD_ROLE
    return tuple(dict.fromkeys((lead, DIRECTOR_ROLE)))


def approvers(document: Document) -> list:
    """Who may approve destroying `document`: the project's members holding an approving role, and the
    directors over the project's unit (its own unit or one above). For an organisation record (no project),
    everyone holding an approving role. Only those whose roles grant the approval permission."""
    roles = approving_roles(document)
    users = []
    if document.project_id:
        project = document.project
        users += [
            m.user
            for m in ProjectMember.objects.filter(
                project=project, role__key__in=roles, user__is_active=True
            ).select_related("user")
        ]
        path = project.org_unit.path
        above = [u.pk for u in OrgUnit.objects.filter(is_active=True) if path.startswith(u.path)]
        users += [
            m.user
            for m in OrgMembership.objects.filter(
                org_unit_id__in=above, role__key=DIRECTOR_ROLE, user__is_active=True
            ).select_related("user")
        ]
    else:
        users += [
            m.user
            for m in OrgMembership.objects.filter(role__key__in=roles, user__is_active=True).select_related(
                "user"
            )
        ]
    unique = list({u.pk: u for u in users}.values())
    return sorted((u for u in unique if APPROVE_PERMISSION in u.get_all_permissions()), key=lambda u: u.pk)


def is_approver(user, document: Document) -> bool:
    return user.is_authenticated and _sees(user, document) and user.pk in {u.pk for u in approvers(document)}


def blockers(document: Document, *, today: dt.date | None = None) -> list[tuple[str, str]]:
    """Why `document` may not be destroyed today, as (field code, message); empty when it may."""
    today = today or timezone.localdate()
    found = []
    if document.destroyed_at is not None:
        found.append(("destroyed", _("The document was destroyed already.")))
        return found
    if document.retention_permanent:
        found.append(("permanent", _("The document is kept permanently: it is never destroyed.")))
    elif document.retention_until is None:
        found.append(("retention", _("The document's retention has no end date yet.")))
    elif document.retention_until > today:
        found.append(
            (
                "retention",
                _("The retention period runs until %(day)s: the document cannot be destroyed before.")
                % {"day": document.retention_until.isoformat()},
            )
        )
    if document.legal_hold:
        found.append(("legal_hold", _("The document is under legal hold: lift the hold first.")))
    return found


def _refuse_blocked(document: Document, today=None) -> None:
    problems = blockers(document, today=today)
    if problems:
        raise ValidationError(
            {"document": [ValidationError(message, code=code) for code, message in problems]}
        )


def _lock_request(request: DispositionRequest) -> DispositionRequest:
    return DispositionRequest.objects.select_for_update().select_related("document").get(pk=request.pk)


def _lock_document(document_id: int) -> Document:
    return Document.objects.select_for_update(of=("self",)).select_related("project").get(pk=document_id)


def _url(request: DispositionRequest) -> str:
    return reverse("disposition:request", args=[request.pk])


def _notify(users, title: str, *, url: str, key: str, body: str = "") -> None:
    for user in users:
        with translation.override(getattr(user, "language", None) or translation.get_language()):
            notify(user, title, body=body, url=url, kind="disposition", dedupe_key=key)


# ------------------------------------------------------------------------------------------------------
# request → approval → destruction


@transaction.atomic
def request_destruction(document: Document, *, by, reason: str, now=None) -> DispositionRequest:
    """Ask to destroy `document` (its retention ended); the meeting's lead is told."""
    now = _now(now)
    document = _lock_document(document.pk)
    if not (_sees(by, document) and (by.is_superuser or REQUEST_PERMISSION in _perms(by))):
        raise PermissionDenied(_("Your roles do not allow asking for destruction."))
    reason = _text(reason, "reason")
    _refuse_blocked(document, timezone.localdate(now))
    if DispositionRequest.objects.filter(
        document=document, status__in=DispositionRequest.OPEN_STATUSES
    ).exists():
        raise ValidationError({"document": _("A destruction of this document is already under way.")})
    request = DispositionRequest.objects.create(
        document=document, reason=reason, requested_by=by, requested_at=now
    )
    recipients = [u for u in approvers(document) if u.pk != by.pk]
    _notify(
        recipients,
        _("Destruction to approve: %(title)s") % {"title": document.title},
        body=reason,
        url=_url(request),
        key=f"disposition.request:{request.pk}",
    )
    return request


def _check_decider(request: DispositionRequest, by) -> None:
    if request.requested_by_id == by.pk:
        raise ValidationError(
            {"decided_by": _("You asked for this destruction: another lead of the meeting decides on it.")},
            code="self_approval",
        )
    if not is_approver(by, request.document):
        raise PermissionDenied(_("Only the meeting's lead (project manager or project director) decides."))


@transaction.atomic
def approve(request: DispositionRequest, *, by, note: str = "", now=None) -> DispositionRequest:
    now = _now(now)
    request = _lock_request(request)
    if request.status != Status.PENDING:
        raise ValidationError(
            {
                "status": _("Only a request awaiting approval can be approved (this one is %(status)s).")
                % {"status": request.get_status_display()}
            }
        )
    document = _lock_document(request.document_id)
    request.document = document
    _check_decider(request, by)
    _refuse_blocked(document, timezone.localdate(now))
    request.status = Status.APPROVED
    request.decided_by = by
    request.decided_at = now
    request.decision_note = _text(note, "note", required=False)
    request.save()
    _notify(
        [request.requested_by],
        _("Destruction approved: %(title)s") % {"title": document.title},
        url=_url(request),
        key=f"disposition.approved:{request.pk}",
    )
    return request


@transaction.atomic
def reject(request: DispositionRequest, *, by, note: str, now=None) -> DispositionRequest:
    now = _now(now)
    request = _lock_request(request)
    if request.status not in DispositionRequest.OPEN_STATUSES:
        raise ValidationError(
            {
                "status": _("This request is %(status)s: it cannot be rejected.")
                % {"status": request.get_status_display()}
            }
        )
    _check_decider(request, by)
    note = _text(note, "note")
    request.status = Status.REJECTED
    request.decided_by = by
    request.decided_at = now
    request.decision_note = note
    request.save()
    _notify(
        [request.requested_by],
        _("Destruction rejected: %(title)s") % {"title": request.document.title},
        body=note,
        url=_url(request),
        key=f"disposition.rejected:{request.pk}",
    )
    return request


@transaction.atomic
def withdraw(request: DispositionRequest, *, by, now=None) -> DispositionRequest:
    request = _lock_request(request)
    if request.requested_by_id != by.pk:
        raise PermissionDenied(_("Only the person who asked withdraws the request."))
    if request.status not in DispositionRequest.OPEN_STATUSES:
        raise ValidationError(
            {
                "status": _("This request is %(status)s: it cannot be withdrawn.")
                % {"status": request.get_status_display()}
            }
        )
    request.status = Status.WITHDRAWN
    request.decided_at = _now(now)
    request.save()
    return request


def can_destroy(user, document: Document) -> bool:
    return _sees(user, document) and (user.is_superuser or DESTROY_PERMISSION in _perms(user))


@transaction.atomic
def destroy(request: DispositionRequest, *, by, now=None) -> DestructionRecord:
    """Destroy every stored version of the approved request's document and keep the record."""
    now = _now(now)
    request = _lock_request(request)
    document = _lock_document(request.document_id)
    request.document = document
    if not can_destroy(by, document):
        raise PermissionDenied(_("Your roles do not allow destroying documents."))
    if request.status != Status.APPROVED:
        raise ValidationError(
            {
                "status": _("Only an approved request is carried out (this one is %(status)s).")
                % {"status": request.get_status_display()}
            },
            code="not_approved",
        )
    _refuse_blocked(document, timezone.localdate(now))
    project = document.project
    record = DestructionRecord.objects.create(
        request=request,
        document=document,
        project=project,
        project_code=project.code if project else "",
        project_name=project.name if project else "",
        document_title=document.title,
        doc_type=document.doc_type,
        confidentiality=document.confidentiality,
        retention_class=document.retention_class,
        retention_until=document.retention_until,
        reason=request.reason,
        requested_by=request.requested_by,
        requested_at=request.requested_at,
        approved_by=request.decided_by,
        approved_at=request.decided_at,
        destroyed_by=by,
        destroyed_at=now,
    )
    DestroyedFile.objects.bulk_create(
        [
            DestroyedFile(
                record=record,
                number=v.number,
                name=v.name,
                original_filename=v.original_filename,
                sha256=v.sha256,
                size=v.size,
                mime=v.mime,
                encrypted=v.encrypted,
                filed_at=v.created_at,
                stored_path=v.file.name,
            )
            for v in document.versions.order_by("number")
        ]
    )
    document.destroyed_at = now
    document.destroyed_by = by
    document.save(update_fields=["destroyed_at", "destroyed_by", "updated_at"])
    request.status = Status.EXECUTED
    request.executed_at = now
    request.save(update_fields=["status", "executed_at"])
    record_event(document, by, {"destroyed_at": ("", now.isoformat())})
    record_pk = record.pk
    transaction.on_commit(lambda: purge_record(record_pk))
    return record


# ------------------------------------------------------------------------------------------------------
# stored objects: deleted after the record is committed, and again by the daily job if a run was cut short


def purge_record(record_pk: int) -> bool:
    """Delete the stored objects of a destruction record not yet deleted; True when all are gone."""
    record = DestructionRecord.objects.get(pk=record_pk)
    for file in record.files.filter(deleted_at__isnull=True):
        try:
            if file.stored_path:
                default_storage.delete(file.stored_path)
            gone = not file.stored_path or not default_storage.exists(file.stored_path)
        except Exception:  # storage unreachable: the daily job tries again
            log.exception("disposition: could not delete %s (record %s)", file.stored_path, record_pk)
            continue
        if gone:
            DestroyedFile.objects.filter(pk=file.pk, deleted_at__isnull=True).update(
                deleted_at=timezone.now()
            )
    if record.files.filter(deleted_at__isnull=True).exists():
        return False
    DestructionRecord.objects.filter(pk=record_pk, storage_cleared_at__isnull=True).update(
        storage_cleared_at=timezone.now()
    )
    return True


def purge_leftovers() -> int:
    """Finish every destruction whose stored objects are not all deleted; returns how many were finished."""
    finished = 0
    for pk in DestructionRecord.objects.filter(storage_cleared_at__isnull=True).values_list("pk", flat=True):
        finished += purge_record(pk)
    return finished


# ------------------------------------------------------------------------------------------------------
# legal hold


@transaction.atomic
def _hold(document: Document, *, by, reason: str, placed: bool, now=None) -> LegalHoldEvent:
    now = _now(now)
    document = _lock_document(document.pk)
    if not by.has_perm("documents.hold", document):
        raise PermissionDenied(_("Your roles do not allow placing or lifting a legal hold."))
    reason = _text(reason, "reason")
    if document.destroyed_at is not None:
        raise ValidationError({"document": _("The document was destroyed already.")})
    if placed and document.legal_hold:
        raise ValidationError({"legal_hold": _("The document is under legal hold already.")})
    if not placed and not document.legal_hold:
        raise ValidationError({"legal_hold": _("The document is not under legal hold.")})
    documents.set_legal_hold(document, hold=placed, by=by)
    event = LegalHoldEvent.objects.create(
        document=document,
        action=LegalHoldEvent.Action.PLACED if placed else LegalHoldEvent.Action.LIFTED,
        reason=reason,
        by=by,
        at=now,
    )
    record_event(document, by, {"legal_hold": (not placed, placed), "reason": ("", reason)})
    return event


def place_hold(document: Document, *, by, reason: str, now=None) -> LegalHoldEvent:
    """Put `document` under legal hold: no destruction while it lasts (an approved one waits too)."""
    return _hold(document, by=by, reason=reason, placed=True, now=now)


def lift_hold(document: Document, *, by, reason: str, now=None) -> LegalHoldEvent:
    return _hold(document, by=by, reason=reason, placed=False, now=now)


# ------------------------------------------------------------------------------------------------------
# the daily notice


def notify_due(today: dt.date | None = None) -> int:
    """Tell the approvers of every document whose retention ended (once per document and person).

    Approvers depend on the project only: asked once per project. Notices sent before are skipped without a
    write (``notify``'s dedupe key would refuse them anyway), so the daily run stays cheap."""
    from huiyi.core.models import Notification

    from . import queries

    today = today or timezone.localdate()
    sent_before = set(
        Notification.objects.filter(
            kind="disposition", dedupe_key__startswith="disposition.due:"
        ).values_list("recipient_id", "dedupe_key")
    )
    by_project: dict = {}
    sent = 0
    for document in queries.due(today=today).filter(legal_hold=False).select_related("project__org_unit"):
        if document.project_id not in by_project:
            by_project[document.project_id] = approvers(document)
        key = f"disposition.due:{document.pk}"
        url = reverse("documents:detail", args=[document.pk])
        for user in by_project[document.project_id]:
            if (user.pk, key) in sent_before:
                continue
            with translation.override(getattr(user, "language", None) or translation.get_language()):
                title = _("Retention ended: %(title)s may be destroyed") % {"title": document.title}
                body = _("Kept until %(day)s. Ask for its destruction, or place a legal hold.") % {
                    "day": document.retention_until.isoformat()
                }
            if notify(user, title, body=body, url=url, kind="disposition", dedupe_key=key):
                sent += 1
    return sent
