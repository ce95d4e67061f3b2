"""Search of the documents a user may read (REQ-DOC-01, REQ-DOC-08).

The permission filter is ``permitted`` (the rules of ``documents.queries.readable``, in SQL), so
results, snippets and counts only ever cover documents the user may read. The match runs on the current
version's index row:

* PostgreSQL: ``vector @@ to_tsquery('simple', …)`` over a GIN index, ranked by ``ts_rank`` (title A, text B);
* SQLite with FTS5: ``id IN (SELECT rowid FROM docsearch_fts WHERE docsearch_fts MATCH …)``, newest first;
* otherwise: every query token must occur in the tokens (a scan; small installations only).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import cache

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from huiyi.documents.models import Confidentiality, ConfidentialityAgreement, Document
from huiyi.documents.rules import OPEN
from huiyi.projects.models import ProjectMember
from huiyi.projects.queries import visibility_filter, visible_projects

from . import segment
from .models import DocumentText

MAX_QUERY_LENGTH = 200
MAX_COUNTED = 1000
SNIPPET_CHARS = 160


@dataclass
class Filters:
    project: int | None = None
    doc_type: str = ""
    confidentiality: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


@cache
def _has_fts5() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'docsearch_fts'")
        return cursor.fetchone() is not None


def engine() -> str:
    if connection.vendor == "postgresql":
        return "postgresql"
    if connection.vendor == "sqlite" and _has_fts5():
        return "fts5"
    return "scan"


def _filtered(qs: QuerySet[Document], filters: Filters) -> QuerySet[Document]:
    if filters.project:
        qs = qs.filter(project_id=filters.project)
    if filters.doc_type:
        qs = qs.filter(doc_type=filters.doc_type)
    if filters.confidentiality:
        qs = qs.filter(confidentiality=filters.confidentiality)
    if filters.date_from:
        qs = qs.filter(current_version__created_at__date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(current_version__created_at__date__lte=filters.date_to)
    return qs


def permitted(user) -> QuerySet[Document]:
    """The documents `user` may read: the decision of ``documents.queries.readable`` (a test holds the two
    equal) written with id subqueries only — no join on team members and no DISTINCT — so that PostgreSQL
    can start from the full-text index and check each match, rare words costing milliseconds."""
    qs = Document.objects.select_related("project", "current_version")
    if not user.is_authenticated:
        return qs.none()
    perms = user.get_all_permissions()
    if "documents.view_document" not in perms and not user.is_superuser:
        return qs.none()
    if visibility_filter(user) is not None:
        qs = qs.filter(Q(project__in=visible_projects(user).values("pk")) | Q(project__isnull=True))
    member_of = ProjectMember.objects.filter(user=user).values("project_id")
    allowed = Q(confidentiality__in=OPEN) | Q(project__isnull=True, confidentiality=Confidentiality.HIGH)
    if user.is_superuser or "projects.change_meetingproject" in perms:
        allowed |= Q(confidentiality=Confidentiality.HIGH)
    else:
        allowed |= Q(confidentiality=Confidentiality.HIGH, project_id__in=member_of)
    if "documents.view_very_high_document" in perms and "documents.view_document" in perms:
        signed = ConfidentialityAgreement.objects.filter(user=user).values("project_id")
        allowed |= Q(confidentiality=Confidentiality.VERY_HIGH, project_id__in=signed) & Q(
            project_id__in=member_of
        )
    return qs.filter(allowed)


def _permitted(user, filters: Filters) -> QuerySet[Document]:
    return _filtered(permitted(user), filters)


def search(user, query: str, filters: Filters | None = None, *, ranked: bool = True) -> QuerySet[Document]:
    """Documents `user` may read whose current version matches `query`: best first on PostgreSQL when
    `ranked` (else, and on SQLite, newest first)."""
    qs = _permitted(user, filters or Filters())
    kind = engine()
    if kind == "postgresql":
        raw = segment.tsquery(query)
        if not raw:
            return qs.none()
        ts = SearchQuery(raw, search_type="raw", config="simple")
        qs = qs.filter(current_version__search_text__vector=ts)
        if not ranked:
            return qs.order_by("-pk")
        vector = F("current_version__search_text__vector")
        return qs.annotate(rank=SearchRank(vector, ts)).order_by("-rank", "-pk")
    if kind == "fts5":
        match = segment.fts5_query(query)
        if not match:
            return qs.none()
        ids = RawSQL("SELECT rowid FROM docsearch_fts WHERE docsearch_fts MATCH %s", [match])
        return qs.filter(current_version__search_text__id__in=ids).order_by("-pk")
    groups = segment.query_groups(query)
    if not groups:
        return qs.none()
    condition = Q()
    for group, _prefix in groups:
        phrase = " ".join(group)
        condition &= Q(current_version__search_text__title_tokens__contains=phrase) | Q(
            current_version__search_text__tokens__contains=phrase
        )
    return qs.filter(condition).order_by("-pk")


class CappedPaginator(Paginator):
    """Counts matches up to ``MAX_COUNTED`` (then shows "1,000+"): counting every one of 90,000 matches of
    a common word costs seconds, and nobody pages past the first screens. Above the cap, results are
    ordered newest first, which stops at the first page instead of ranking every match."""

    def __init__(self, user, query: str, filters: Filters | None, per_page: int):
        self.user, self.query, self.filters = user, query, filters
        unranked = search(user, query, filters, ranked=False)
        self.total = unranked.order_by()[: MAX_COUNTED + 1].count()
        self.capped = self.total > MAX_COUNTED
        rows = unranked if self.capped else search(user, query, filters)
        super().__init__(rows, per_page)

    @property
    def count(self) -> int:
        return min(self.total, MAX_COUNTED)


def texts_for(documents) -> dict[int, str]:
    """version id → stored text, for the documents of one page of results."""
    ids = [d.current_version_id for d in documents if d.current_version_id]
    return dict(DocumentText.objects.filter(version_id__in=ids).values_list("version_id", "text"))


def _marked(piece: str, pattern) -> str:
    out, last = [], 0
    for match in pattern.finditer(piece):
        out.append(escape(piece[last : match.start()]))
        out.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    out.append(escape(piece[last:]))
    return "".join(out)


def _pattern(query: str):
    terms = segment.highlight_terms(query)
    return re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE) if terms else None


def highlight(text: str, query: str) -> SafeString:
    """All of `text`, escaped, with the query's terms wrapped in <mark>."""
    pattern = _pattern(query)
    return mark_safe(_marked(text, pattern) if pattern else escape(text))  # noqa: S308 - escaped


def snippet(text: str, query: str, *, size: int = SNIPPET_CHARS) -> SafeString:
    """An escaped extract of `text` around the first match of `query`, matches wrapped in <mark>."""
    pattern = _pattern(query)
    if not text or pattern is None:
        return mark_safe("")
    text = " ".join(text.split())
    first = pattern.search(text)
    start = max(0, (first.start() if first else 0) - size // 3)
    piece = text[start : start + size]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + size < len(text) else ""
    return mark_safe(prefix + _marked(piece, pattern) + suffix)  # noqa: S308 - every piece escaped
