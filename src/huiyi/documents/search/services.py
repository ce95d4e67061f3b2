"""Indexing of document versions for search (REQ-DOC-01, REQ-DOC-08): one function per action.

What is indexed — a decision about confidentiality:

* general, medium and high documents: the title and the text of the file (PDF, DOCX, XLSX, TXT, CSV);
* **very-high documents: the title only.** Their files are encrypted at rest (``documents.crypto``) so that a
  copy of the database or of the storage does not disclose them; a plain-text copy of their content in the
  search index would undo exactly that (the index lives in the database and in every backup of it). An
  encrypted copy could not be searched by the database at all. Their readers find them by title, type and
  project, and open the file where each read is logged.

Results are always filtered by ``documents.queries.readable`` (see ``queries``), so a user never learns of a
document, a snippet or a count they may not read.

Index rows are derived data (rebuilt by ``huiyi docsearch reindex``), so they are not kept in the audit
trail; the versions they come from are.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Value

from huiyi.documents import sniff
from huiyi.documents.models import Document, DocumentVersion

from . import extract, segment
from .models import DocumentText

log = logging.getLogger(__name__)


def limits() -> extract.Limits:
    defaults = extract.Limits()
    return extract.Limits(
        max_bytes=int(getattr(settings, "HUIYI_SEARCH_EXTRACT_MAX_BYTES", defaults.max_bytes)),
        seconds=float(getattr(settings, "HUIYI_SEARCH_EXTRACT_SECONDS", defaults.seconds)),
    )


def _read(version: DocumentVersion, max_bytes: int) -> bytes | None:
    """The stored bytes of a (plain) version, or None when it is larger than `max_bytes`."""
    if version.size > max_bytes:
        return None
    with default_storage.open(version.file.name, "rb") as handle:
        data = handle.read(max_bytes + 1)
    return None if len(data) > max_bytes else data


def _text_of(version: DocumentVersion) -> tuple[str, str, str]:
    """(status, detail, text) of a version's file."""
    if version.encrypted or version.document.is_very_high:
        return DocumentText.Status.TITLE_ONLY, "", ""
    ext = sniff.extension(version.name)
    if ext not in extract.EXTENSIONS:
        return DocumentText.Status.NO_TEXT, ext, ""
    bounds = limits()
    data = _read(version, bounds.max_bytes)
    if data is None:
        return DocumentText.Status.TOO_LARGE, f"{version.size} bytes", ""
    isolated = getattr(settings, "HUIYI_SEARCH_EXTRACT_ISOLATED", True)
    run = extract.extract_isolated if isolated else extract.extract
    try:
        text = run(data, ext, bounds)
    except extract.ExtractionError as error:
        log.warning("document search: version %s not extracted: %s", version.pk, error)
        return DocumentText.Status.FAILED, str(error)[:200], ""
    return DocumentText.Status.INDEXED, "", text


def _update_vectors(rows) -> None:
    """Fill the tsvector of `rows` (DocumentText) on PostgreSQL; elsewhere the FTS5 triggers do the work."""
    if connection.vendor != "postgresql":
        return
    rows.update(
        vector=SearchVector("title_tokens", weight="A", config=Value("simple"))
        + SearchVector("tokens", weight="B", config=Value("simple"))
    )


@transaction.atomic
def index_version(version: DocumentVersion) -> DocumentText:
    """Extract and index one version's text (again, if it was indexed before)."""
    version = DocumentVersion.objects.select_related("document").get(pk=version.pk)
    status, detail, text = _text_of(version)
    text = text.replace("\x00", " ")  # PDFs may carry NUL bytes; PostgreSQL text columns refuse them
    entry, _created = DocumentText.objects.update_or_create(
        version=version,
        defaults={
            "document": version.document,
            "status": status,
            "detail": detail,
            "text": text,
            "title_tokens": segment.segment(version.document.title),
            "tokens": segment.segment(text),
        },
    )
    _update_vectors(DocumentText.objects.filter(pk=entry.pk))
    return entry


def reindex(*, documents=None, missing_only: bool = False, progress=None) -> dict[str, int]:
    """Index the current version of every document (or of `documents`); returns counts by status.

    Each version is indexed in its own transaction, so a long run can be interrupted and resumed with
    ``missing_only``.
    """
    rows = (documents if documents is not None else Document.objects.all()).filter(
        current_version__isnull=False
    )
    if missing_only:
        rows = rows.filter(current_version__search_text__isnull=True)
    counts: dict[str, int] = {}
    for version_id in rows.values_list("current_version_id", flat=True).iterator():
        entry = index_version(DocumentVersion(pk=version_id))
        counts[entry.status] = counts.get(entry.status, 0) + 1
        if progress:
            progress(entry)
    return counts
