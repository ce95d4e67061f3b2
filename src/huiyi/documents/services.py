"""Every change of documents: one function per business action, in a transaction, audited.

Uploads are refused with a reason naming the field when they are over the size limit
(``settings.HUIYI_DOCUMENT_MAX_BYTES``), of a type outside the allow-list, named with a path, or when their
content does not match their extension. Files are stored under a random path through Django's default storage;
very-high files encrypted (``crypto``). Reads and downloads of very-high documents are logged.
"""

from __future__ import annotations

import datetime
import re
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyi.core.files import PackageError, PackageLimits, check_package, file_facts
from huiyi.rulebook.services import active_rulebook, rulebook_for

from . import catalogue, crypto, sniff
from .models import (
    CONFIDENTIALITY_ORDER,
    AccessLog,
    Confidentiality,
    ConfidentialityAgreement,
    Document,
    DocumentVersion,
    TriggerKind,
)

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
#: What a .docx/.xlsx/.pptx may declare it inflates to (XML compresses some 5–20 times; pictures not at all).
PACKAGE_LIMITS = PackageLimits(entries=10_000, unzipped=1024 * 1024 * 1024, ratio=500)
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def max_upload_bytes() -> int:
    return int(getattr(settings, "HUIYI_DOCUMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def _rulebook(project):
    return rulebook_for(project) if project is not None else active_rulebook()


# -- naming rule (REQ-DOC-02) --------------------------------------------------------------------------------


def suggested_name(project, doc_type: str, *, title: str = "", extension: str = "", on=None) -> str:
    """会议名称-日期-类型: the meeting's name, its first day (YYYYMMDD) and the type, in Chinese.

    A document of no project is named after its title and the day it is filed.
    """
    rulebook = _rulebook(project)
    if project is not None:
        meeting, day = project.name, timezone.localtime(project.start).date()
    else:
        meeting, day = title, on or timezone.localdate()
    parts = [
        _UNSAFE.sub("_", part).strip(" .-") for part in (meeting, catalogue.type_label_zh(rulebook, doc_type))
    ]
    name = f"{parts[0]}-{day:%Y%m%d}-{parts[1]}"
    return f"{name}.{extension}" if extension else name


def follows_naming_rule(version: DocumentVersion) -> bool:
    document = version.document
    expected = suggested_name(
        document.project,
        document.doc_type,
        title=document.title,
        extension=sniff.extension(version.name),
        on=timezone.localtime(version.created_at).date() if document.project is None else None,
    )
    return version.name == expected


# -- retention (REQ-DOC-04, REQ-CON-05) ----------------------------------------------------------------------


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def retention_end(rule, trigger_date: datetime.date | None) -> datetime.date | None:
    """The day a document of `rule`'s class may be disposed of; None while permanent or not yet triggered."""
    if rule.permanent or rule.value is None or trigger_date is None:
        return None
    if rule.unit == "years":
        return add_years(trigger_date, int(rule.value))
    if rule.unit == "months":
        months = trigger_date.month - 1 + int(rule.value)
        year, month = trigger_date.year + months // 12, months % 12 + 1
        for day in (trigger_date.day, 30, 29, 28):
            try:
                return trigger_date.replace(year=year, month=month, day=day)
            except ValueError:
                continue
    raise ValueError(f"rule {rule.id}: retention unit {rule.unit!r} is not a length of time")


def _trigger_date(project, trigger_kind: str, trigger_date):
    if trigger_kind == TriggerKind.MEETING_END:
        if project is None:
            raise ValidationError(
                {"trigger_kind": _("Only a document of a meeting can be kept from its end.")}
            )
        return timezone.localtime(project.end).date()
    if trigger_date is None:
        raise ValidationError({"trigger_date": _("Give the day the contract ends.")})
    return trigger_date


def _apply_retention(document: Document, rulebook) -> None:
    rule = catalogue.retention_rules(rulebook)[document.retention_class]
    document.retention_permanent = bool(rule.permanent)
    document.retention_until = retention_end(rule, document.trigger_date)


# -- documents and versions (REQ-DOC-01, 08) -----------------------------------------------------------------


def _check_upload(upload, filename: str, field: str = "file"):
    if upload is None:
        raise ValidationError({field: _("Choose a file to upload.")})
    if not filename or "/" in filename or "\\" in filename or ".." in filename or "\x00" in filename:
        raise ValidationError({field: _("The file name must not contain a path.")})
    ext = sniff.extension(filename)
    if ext not in sniff.ALLOWED:
        raise ValidationError(
            {
                field: _("Files of type “%(ext)s” cannot be filed. Allowed: %(allowed)s.")
                % {"ext": ext or "—", "allowed": ", ".join(sorted(sniff.ALLOWED))}
            }
        )
    if upload.size is not None and upload.size > max_upload_bytes():
        raise ValidationError(
            {
                field: _("The file is larger than the limit of %(limit)s MB.")
                % {"limit": max_upload_bytes() // (1024 * 1024)}
            }
        )
    if upload.size == 0:
        raise ValidationError({field: _("The file is empty.")})
    if not sniff.content_matches(ext, upload):
        raise ValidationError({field: _("The content of the file is not a %(ext)s file.") % {"ext": ext}})
    if ext in sniff.OOXML_PART:
        try:  # a "zip bomb": a small package whose parts inflate to gigabytes (issue 10)
            check_package(upload, PACKAGE_LIMITS)
        except PackageError as error:
            raise ValidationError(
                {
                    field: _(
                        "The %(ext)s file would inflate to %(mb)s MB in %(parts)s parts when opened; it is "
                        "refused."
                    )
                    % {"ext": ext, "mb": error.unzipped_mb, "parts": error.entries}
                }
            ) from error
    return ext


@transaction.atomic
def create_document(
    *,
    project,
    doc_type: str,
    title: str,
    by,
    retention_class: str = "",
    confidentiality: str = "",
    trigger_kind: str = TriggerKind.MEETING_END,
    trigger_date=None,
    upload=None,
    filename: str = "",
    change_note: str = "",
) -> Document:
    """File a new document (with its first version when an upload is given)."""
    rulebook = _rulebook(project)
    if doc_type not in dict(catalogue.doc_types(rulebook)):
        raise ValidationError({"doc_type": _("Choose a document type from the list.")})
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the document a title.")})
    retention_class = retention_class or catalogue.DEFAULT_RETENTION.get(doc_type, "")
    rules = catalogue.retention_rules(rulebook)
    if retention_class not in rules:
        raise ValidationError({"retention_class": _("Choose a retention class from the list.")})
    floor = rules[retention_class].confidentiality
    confidentiality = confidentiality or floor or Confidentiality.MEDIUM
    if confidentiality not in CONFIDENTIALITY_ORDER:
        raise ValidationError({"confidentiality": _("Choose a confidentiality class from the list.")})
    if floor and CONFIDENTIALITY_ORDER.index(confidentiality) < CONFIDENTIALITY_ORDER.index(floor):
        raise ValidationError(
            {
                "confidentiality": _("Documents of this retention class are at least “%(floor)s”.")
                % {"floor": Confidentiality(floor).label}
            }
        )
    if confidentiality == Confidentiality.VERY_HIGH and project is None:
        raise ValidationError({"project": _("A very-high document belongs to a meeting project.")})
    if trigger_kind not in TriggerKind.values:
        raise ValidationError({"trigger_kind": _("Choose when retention starts.")})
    document = Document(
        project=project,
        doc_type=doc_type,
        title=title,
        confidentiality=confidentiality,
        retention_class=retention_class,
        trigger_kind=trigger_kind,
        trigger_date=_trigger_date(project, trigger_kind, trigger_date),
        created_by=by,
    )
    _apply_retention(document, rulebook)
    if project is not None:
        from .rules import can_file

        if not can_file(by, project, confidentiality):
            raise PermissionDenied(_("Your roles do not allow filing documents of this class here."))
    document.full_clean()
    document.save()
    if upload is not None:
        add_version(document, upload=upload, filename=filename, by=by, change_note=change_note)
    return document


@transaction.atomic
def add_version(
    document: Document, *, upload, by, filename: str = "", change_note: str = ""
) -> DocumentVersion:
    """Store a new version: checked, hashed in chunks, renamed by the naming rule, encrypted if very high."""
    filename = filename or getattr(upload, "name", "") or ""
    ext = _check_upload(upload, filename)
    given, document = document, Document.objects.select_for_update().get(pk=document.pk)
    if document.destroyed_at is not None:  # REQ-DOC-06: a destroyed document takes no new version
        from .disposition.queries import destroyed_message

        raise ValidationError({"file": destroyed_message(document)})
    facts = file_facts(upload)
    if facts.size > max_upload_bytes():
        raise ValidationError(
            {
                "file": _("The file is larger than the limit of %(limit)s MB.")
                % {"limit": max_upload_bytes() // (1024 * 1024)}
            }
        )
    number = (document.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    path = f"documents/{secrets.token_urlsafe(24)}"
    encrypted = document.is_very_high
    if encrypted:
        stored = crypto.save_encrypted(path, upload)
    else:
        upload.seek(0)
        stored = default_storage.save(path, upload)
    try:
        version = DocumentVersion.objects.create(
            document=document,
            number=number,
            file=stored,
            name=suggested_name(document.project, document.doc_type, title=document.title, extension=ext),
            original_filename=filename[:300],
            sha256=facts.sha256,
            size=facts.size,
            mime=sniff.ALLOWED[ext][0],
            encrypted=encrypted,
            author=by,
            change_note=(change_note or "").strip(),
        )
    except Exception:
        default_storage.delete(stored)
        raise
    document.current_version = version
    document.save(update_fields=["current_version", "updated_at"])
    given.current_version = version
    return version


@transaction.atomic
def set_legal_hold(document: Document, *, hold: bool, by) -> Document:
    document.legal_hold = hold
    document.save(update_fields=["legal_hold", "updated_at"])
    return document


# -- reading (REQ-DOC-07) ------------------------------------------------------------------------------------


def _client_ip(meta) -> str | None:
    return (meta or {}).get("REMOTE_ADDR") or None


def log_access(document: Document, user, action: str, *, version=None, meta=None) -> AccessLog | None:
    """Record a read of a very-high document (others are not logged); returns the entry."""
    if not document.is_very_high:
        return None
    return AccessLog.objects.create(
        document=document,
        version=version,
        user=user,
        action=action,
        ip_address=_client_ip(meta),
        user_agent=((meta or {}).get("HTTP_USER_AGENT") or "")[:300],
    )


def open_version(version: DocumentVersion, *, user, meta=None):
    """Plaintext chunks of a version for `user` (permission checked, very-high reads logged)."""
    from .rules import can_read

    if not can_read(user, version.document):
        raise PermissionDenied(_("Your roles do not allow reading this document."))
    log_access(version.document, user, AccessLog.Action.DOWNLOAD, version=version, meta=meta)
    handle = default_storage.open(version.file.name, "rb")
    if version.encrypted:
        return crypto.decrypt_stream(handle)
    return _plain_stream(handle)


def _plain_stream(handle):
    try:
        while chunk := handle.read(crypto.CHUNK):
            yield chunk
    finally:
        handle.close()


# -- confidentiality agreements (REQ-DOC-09) -----------------------------------------------------------------


@transaction.atomic
def sign_agreement(project, *, user) -> ConfidentialityAgreement:
    """The member signs the project's confidentiality agreement (once; signing again keeps the first)."""
    if not project.members.filter(user=user).exists():
        raise ValidationError({"user": _("Only a member of the project team signs its agreement.")})
    agreement, _created = ConfidentialityAgreement.objects.get_or_create(
        project=project, user=user, defaults={"signed_at": timezone.now()}
    )
    return agreement
