"""Reads of disposition: the queue of documents whose retention ended (or soon ends), requests, records."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from huiyi.documents.models import Document
from huiyi.documents.queries import readable
from huiyi.projects.queries import visibility_filter, visible_projects

from .models import DestructionRecord, DispositionRequest, LegalHoldEvent

#: The "coming up" preview of the queue: a page default, not a number of the specification.
DEFAULT_PREVIEW_DAYS = 90

QUEUE_STATES = ("due", "upcoming", "held", "requested", "approved")


def _open_request(status=None):
    qs = DispositionRequest.objects.filter(document=OuterRef("pk"))
    return qs.filter(status=status) if status else qs.filter(status__in=DispositionRequest.OPEN_STATUSES)


def _disposable() -> QuerySet[Document]:
    return Document.objects.filter(
        retention_permanent=False, retention_until__isnull=False, destroyed_at__isnull=True
    )


def due(*, today: dt.date | None = None) -> QuerySet[Document]:
    """Every document (whoever may see it) whose retention ended on or before `today` and still exists."""
    today = today or timezone.localdate()
    return _disposable().filter(retention_until__lte=today)


def visible(user) -> QuerySet[Document]:
    """Documents whose disposition `user` may follow: those they may read (the same class rules)."""
    return readable(user)


def queue(
    user,
    *,
    state: str = "due",
    project=None,
    doc_type: str = "",
    retention_class: str = "",
    days: int = DEFAULT_PREVIEW_DAYS,
    today: dt.date | None = None,
) -> QuerySet[Document]:
    """The disposition queue as `user` sees it.

    ``due``: retention ended (not permanent, not destroyed); ``upcoming``: ends within `days`; ``held``: due
    documents under legal hold; ``requested``/``approved``: with an open request in that state.
    """
    today = today or timezone.localdate()
    qs = visible(user).filter(
        retention_permanent=False, retention_until__isnull=False, destroyed_at__isnull=True
    )
    if state == "upcoming":
        qs = qs.filter(retention_until__gt=today, retention_until__lte=today + dt.timedelta(days=days))
    else:
        qs = qs.filter(retention_until__lte=today)
    if state == "held":
        qs = qs.filter(legal_hold=True)
    elif state == "requested":
        qs = qs.filter(Exists(_open_request(DispositionRequest.Status.PENDING)))
    elif state == "approved":
        qs = qs.filter(Exists(_open_request(DispositionRequest.Status.APPROVED)))
    if project is not None:
        qs = qs.filter(project=project)
    if doc_type:
        qs = qs.filter(doc_type=doc_type)
    if retention_class:
        qs = qs.filter(retention_class=retention_class)
    return qs.select_related("project").order_by("retention_until", "pk")


def open_requests_by_document(document_ids) -> dict[int, DispositionRequest]:
    rows = DispositionRequest.objects.filter(
        document_id__in=list(document_ids), status__in=DispositionRequest.OPEN_STATUSES
    ).select_related("requested_by", "decided_by")
    return {r.document_id: r for r in rows}


def requests(user, *, status: str = "", project=None) -> QuerySet[DispositionRequest]:
    qs = DispositionRequest.objects.filter(document__in=visible(user).values("pk")).select_related(
        "document", "document__project", "requested_by", "decided_by"
    )
    if status:
        qs = qs.filter(status=status)
    if project is not None:
        qs = qs.filter(document__project=project)
    return qs.order_by("-requested_at", "-pk")


def records(user, *, project=None) -> QuerySet[DestructionRecord]:
    """Destruction records of the projects `user` sees (organisation records for everyone allowed)."""
    qs = DestructionRecord.objects.select_related(
        "project", "requested_by", "approved_by", "destroyed_by"
    ).prefetch_related("files")
    condition = visibility_filter(user)
    if condition is not None:
        qs = qs.filter(Q(project__in=visible_projects(user).values("pk")) | Q(project__isnull=True))
    if project is not None:
        qs = qs.filter(project=project)
    return qs.order_by("-destroyed_at", "-pk")


def hold_events(document) -> QuerySet[LegalHoldEvent]:
    return LegalHoldEvent.objects.filter(document=document).select_related("by").order_by("-at", "-pk")


def counts(user, *, today: dt.date | None = None, days: int = DEFAULT_PREVIEW_DAYS) -> dict[str, int]:
    today = today or timezone.localdate()
    return {state: queue(user, state=state, today=today, days=days).count() for state in QUEUE_STATES}


def destroyed_message(document) -> str:
    """“The file was destroyed on … by …” for a destroyed document's download and new-version attempts."""
    from django.utils.translation import gettext as _

    return _("The file was destroyed on %(day)s by %(who)s.") % {
        "day": f"{timezone.localtime(document.destroyed_at):%Y-%m-%d %H:%M}",
        "who": document.destroyed_by or "—",
    }
