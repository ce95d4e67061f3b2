"""Phase outputs filed automatically as controlled documents (REQ-DOC-01, REQ-DOC-03, REQ-QLT-01, CCP 11).

Every phase output of the rulebook that Huiyi produces itself (the requirements confirmation, the plan, the
contract, the incident reports, the summary report …) is registered here with a builder that returns the file
the owning app already renders::

    filing.register(Output("meeting_plan", build=plan_file, event=_("plan confirmed by the client")))

``file_output(project, doc_type, by)`` files it as the project's Document of that type (created on the first
filing with the rulebook's retention and confidentiality classes; the naming rule applies by itself) and adds
a version only when the content is new: a file whose SHA-256 equals any version's adds nothing (nor, for
generated files named after their record's state, one filed under the same name), so a re-run, the daily job
and the signed copy of the same plan never pile up duplicates. Builders render in Chinese (the
archive's language) with ReportLab's invariant mode and a clock frozen at the record's own time, so the same
record always gives the same bytes.

Filing is triggered after the originating change commits (``trigger`` from a post_save signal, see
``filing_outputs``), by the lead's "file outputs now" action and by a daily job; it never breaks the action
that caused it: a failure is logged and the daily job tries again.

Archive completeness (``archive_rows``) reads these documents: each required output is present when the
project has a document of its type with a version, at the time of its first version, due within the
rulebook's working days of the meeting's end (``calendar``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Min
from django.utils import timezone, translation

from huiyi.calendar import services as calendar
from huiyi.rulebook.display import text
from huiyi.rulebook.services import rulebook_for

from . import catalogue, services
from .models import CONFIDENTIALITY_ORDER, Confidentiality, Document, DocumentVersion, TriggerKind

log = logging.getLogger(__name__)

#: The archive language: the naming rule and the filed copies are Chinese whatever the reader's language.
ARCHIVE_LANGUAGE = "zh-hans"
#: The retention class a filed output gets unless its registration names another (a rulebook class key).
DEFAULT_CLASS = "internal_management_document"
#: The rulebook metric whose rule gives the archive window (doc.archive_deadline).
ARCHIVE_METRIC = "archive_time"


@dataclass(frozen=True)
class Built:
    """One file of an output: its bytes, the name it was produced under and the change note of its version."""

    content: bytes
    filename: str
    note: str = ""
    #: The file name identifies the record's state (``r3``, ``v2``, a change time): a version filed under the
    #: same original name is the same output even when the bytes differ — ReportLab's CJK font subsets
    #: number glyphs in the order a process first meets them, so a PDF re-rendered by another process
    #: differs byte for byte while saying the same thing.
    named_by_source: bool = False


@dataclass(frozen=True)
class Output:
    """A phase output Huiyi produces: how to build its file and what makes it final.

    ``build(project)`` returns a Built (or ``(bytes, filename)``) once the output is final, else None.
    ``uploads(project)`` returns the uploaded copies filed as further versions of the same document (the
    client's e-signed plan, the signed contract). ``senders`` are (model, predicate, project_of) triples:
    a save of such a record that the predicate accepts files the output after the commit.
    """

    doc_type: str
    build: Callable[[Any], Built | tuple[bytes, str] | None]
    event: Any = ""
    retention_class: str = DEFAULT_CLASS
    uploads: Callable[[Any], list[Built]] | None = None
    senders: tuple = field(default_factory=tuple)


_REGISTRY: dict[str, Output] = {}


def register(output: Output, *, replace: bool = False) -> Output:
    if output.doc_type in _REGISTRY and not replace:
        raise ImproperlyConfigured(f"filed output {output.doc_type!r} is registered twice")
    _REGISTRY[output.doc_type] = output
    for sender, predicate, project_of in output.senders:
        _connect(sender, output.doc_type, predicate, project_of)
    return output


def registered() -> dict[str, Output]:
    return dict(_REGISTRY)


# -- deterministic rendering ---------------------------------------------------------------------------------
_CLOCK_LOCK = threading.RLock()


@contextlib.contextmanager
def frozen_clock(modules, at: dt.datetime | None) -> Iterator[None]:
    """Render with ``timezone.now()`` fixed at ``at`` inside the given renderer modules only (their
    "generated at" footer then reads the record's own time), and ReportLab's invariant mode (no creation
    date, a fixed file id): the same record gives the same bytes, so its SHA-256 tells a change apart."""
    from reportlab import rl_config

    with _CLOCK_LOCK:
        saved = [(m, m.timezone) for m in modules if hasattr(m, "timezone")]
        invariant = rl_config.invariant
        rl_config.invariant = 1
        if at is not None:
            for module, real in saved:
                module.timezone = SimpleNamespace(**{**vars(real), "now": lambda at=at: at})
        try:
            yield
        finally:
            for module, real in saved:
                module.timezone = real
            rl_config.invariant = invariant


# -- filing --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Filed:
    doc_type: str
    state: str  # "not_ready", "created", "added", "unchanged"
    document: Document | None = None
    versions: tuple[DocumentVersion, ...] = ()


def _built(value) -> Built | None:
    if value is None:
        return None
    if isinstance(value, Built):
        return value
    content, filename = value
    return Built(content=content, filename=filename)


def build_files(project, doc_type: str) -> list[Built]:
    """The files of an output as they are now (generated first, then uploaded copies); [] when not ready."""
    output = _REGISTRY[doc_type]
    with translation.override(ARCHIVE_LANGUAGE):
        generated = _built(output.build(project))
        uploads = list(output.uploads(project)) if output.uploads else []
    return ([generated] if generated else []) + [u for u in uploads if u and u.content]


def author_for(project, by=None):
    """Who files an automatic version: the acting user, else the project's creator, else its first member."""
    if by is not None and getattr(by, "is_authenticated", False):
        return by
    if project.created_by_id:
        return project.created_by
    member = project.members.select_related("user").order_by("pk").first()
    return member.user if member else None


def _confidentiality(rulebook, retention_class: str) -> str:
    floor = catalogue.retention_rules(rulebook)[retention_class].confidentiality
    return floor if floor in CONFIDENTIALITY_ORDER else Confidentiality.MEDIUM


def document_of(project, doc_type: str) -> Document | None:
    """The project's document of a type (the first filed: later filings add versions to it)."""
    return Document.objects.filter(project=project, doc_type=doc_type).order_by("created_at", "pk").first()


def _new_document(project, doc_type: str, output: Output, author) -> Document:
    """The output's document, filed by the system on the author's behalf (the output is the project's own
    record, so no filing permission of the acting user is asked for: a client confirming through a link has
    none)."""
    rulebook = rulebook_for(project)
    retention_class = catalogue.DEFAULT_RETENTION.get(doc_type, output.retention_class)
    document = Document(
        project=project,
        doc_type=doc_type,
        title=catalogue.type_label_zh(rulebook, doc_type),
        confidentiality=_confidentiality(rulebook, retention_class),
        retention_class=retention_class,
        trigger_kind=TriggerKind.MEETING_END,
        trigger_date=timezone.localtime(project.end).date(),
        created_by=author,
    )
    services._apply_retention(document, rulebook)
    document.full_clean()
    document.save()
    return document


def file_output(project, doc_type: str, by=None) -> Filed:
    """File an output: a new document, a new version when the content changed, or nothing when identical."""
    if doc_type not in _REGISTRY:
        raise KeyError(f"no filed output {doc_type!r} is registered")
    files = build_files(project, doc_type)
    if not files:
        return Filed(doc_type, "not_ready")
    author = author_for(project, by)
    if author is None:
        log.warning("filing %s of %s: the project has no one to file it as", doc_type, project.code)
        return Filed(doc_type, "not_ready")
    with transaction.atomic():
        document = document_of(project, doc_type)
        created = document is None
        if created:
            document = _new_document(project, doc_type, _REGISTRY[doc_type], author)
        facts = list(document.versions.values_list("sha256", "original_filename"))
        known, names = {sha for sha, _n in facts}, {name for _s, name in facts}
        added = []
        for built in files:
            digest = hashlib.sha256(built.content).hexdigest()
            if digest in known or (built.named_by_source and built.filename[:300] in names):
                continue
            upload = ContentFile(built.content, name=built.filename)
            added.append(
                services.add_version(
                    document, upload=upload, filename=built.filename, by=author, change_note=built.note
                )
            )
            known.add(digest)
            names.add(built.filename[:300])
    state = "created" if created else ("added" if added else "unchanged")
    return Filed(doc_type, state, document, tuple(added))


def file_ready(project, by=None) -> list[Filed]:
    """File every registered output that is ready; one output's failure does not stop the others."""
    results = []
    for doc_type in _REGISTRY:
        try:
            results.append(file_output(project, doc_type, by))
        except Exception:
            log.exception("filing %s of project %s failed; the daily job will retry", doc_type, project.pk)
            results.append(Filed(doc_type, "failed"))
    return results


def file_safely(project, doc_type: str, by=None) -> Filed | None:
    """file_output that never raises (for hooks after another action's commit)."""
    try:
        return file_output(project, doc_type, by)
    except Exception:
        log.exception("filing %s of project %s failed; the daily job will retry", doc_type, project.pk)
        return None


def trigger(project, doc_type: str, by=None) -> None:
    """File the output once the current transaction commits (at once outside one); never raises."""
    if project is None or doc_type not in _REGISTRY:
        return
    project_pk = project.pk

    def run():
        from huiyi.projects.models import MeetingProject

        fresh = MeetingProject.objects.filter(pk=project_pk).first()
        if fresh is not None:
            file_safely(fresh, doc_type, by)

    transaction.on_commit(run)


def _connect(sender, doc_type: str, predicate, project_of) -> None:
    from django.db.models.signals import post_save

    def handler(sender, instance, raw=False, **kwargs):
        if raw:
            return
        try:
            if predicate(instance):
                trigger(project_of(instance), doc_type)
        except Exception:
            log.exception("filing hook of %s failed on %s", doc_type, sender.__name__)

    post_save.connect(handler, sender=sender, weak=False, dispatch_uid=f"filing:{doc_type}:{sender.__name__}")


# -- what is filed, and archive completeness -----------------------------------------------------------------
@dataclass
class OutputRow:
    """One phase output of the project: its document (if filed), when it was first filed and when due."""

    doc_type: str
    label: str
    phase: str
    required: bool
    registered: bool
    document: Document | None
    filed_at: dt.datetime | None
    due: dt.datetime | None

    @property
    def present(self) -> bool:
        return self.filed_at is not None

    @property
    def on_time(self) -> bool:
        return self.present and (self.due is None or self.filed_at <= self.due)

    @property
    def late(self) -> bool:
        return self.present and self.due is not None and self.filed_at > self.due


def archive_rule(rulebook):
    found = rulebook.rules_where(metric=ARCHIVE_METRIC)
    return found[0] if found else None


def archive_deadline(project, rulebook) -> tuple[dt.datetime | None, bool]:
    """The end of the archive window (the rulebook's working days after the meeting's end) and whether the
    holiday schedule of those days is confirmed."""
    rule = archive_rule(rulebook)
    if rule is None or rule.value is None:
        return None, True
    due = calendar.due(project.end, working_days=int(rule.value))
    return due.due, due.confirmed


def required_phases(rulebook) -> list[str]:
    """The phases whose outputs must be archived in the window: up to the archive rule's own phase (the
    later phases' outputs have deadlines of their own)."""
    ids = [phase.id for phase in rulebook.phases]
    rule = archive_rule(rulebook)
    if rule is None or getattr(rule, "phase", None) not in ids:
        return ids
    return ids[: ids.index(rule.phase) + 1]


def first_filed(project, doc_types) -> dict[str, dt.datetime]:
    """doc_type → time of the first version of any of the project's documents of that type."""
    rows = (
        DocumentVersion.objects.filter(document__project=project, document__doc_type__in=list(doc_types))
        .values("document__doc_type")
        .annotate(first=Min("created_at"))
    )
    return {row["document__doc_type"]: row["first"] for row in rows}


def output_rows(project, rulebook=None) -> list[OutputRow]:
    """Every phase output of the project's rulebook, present or missing, with its due time."""
    rulebook = rulebook or rulebook_for(project)
    deadline, _confirmed = archive_deadline(project, rulebook)
    required = set(required_phases(rulebook))
    outputs = [(phase.id, output) for phase in rulebook.phases for output in phase.outputs]
    filed = first_filed(project, [o.id for _p, o in outputs])
    documents = {
        d.doc_type: d
        for d in Document.objects.filter(project=project, doc_type__in=[o.id for _p, o in outputs])
        .select_related("current_version")
        .order_by("-created_at", "-pk")
    }
    return [
        OutputRow(
            doc_type=output.id,
            label=text(output.name),
            phase=phase_id,
            required=phase_id in required,
            registered=output.id in _REGISTRY,
            document=documents.get(output.id),
            filed_at=filed.get(output.id),
            due=deadline if phase_id in required else None,
        )
        for phase_id, output in outputs
    ]


# -- deadlines measured from documents (REQ-DOC-03) ----------------------------------------------------------
def working_days_after(start: dt.datetime, at: dt.datetime, schedule=None) -> int:
    """Working days from ``start`` to ``at`` on the scale of ``calendar.due(start, working_days=n)``: the
    smallest n whose deadline (the end of the n-th working day after start's date) is not before ``at``.

    The start's own day never counts; a day off after start counts as part of the next working day.
    """
    work = calendar.work_calendar()
    schedule = schedule or work.schedule
    first, last = work.local(start).date(), work.local(at).date()
    if last <= first:
        return 0
    count, day = 0, first
    while day < last:
        day += dt.timedelta(days=1)
        if schedule.is_working_day(day):
            count += 1
    return count if schedule.is_working_day(last) else count + 1


def first_version_at(project, doc_type: str) -> dt.datetime | None:
    return first_filed(project, [doc_type]).get(doc_type)
