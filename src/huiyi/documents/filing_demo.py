"""Demo: the phase outputs of the finished HY-2026-096 and the running HY-2026-105 filed as documents.

Most of them were filed already by the hooks while the other apps' demos confirmed plans, signed contracts
and uploaded drawings; ``file_ready`` files the rest that are ready (the same path as the daily job). The
finished meeting's versions are dated as they would have been filed at the time (the P1/P2 outputs before
the meeting, the later ones in the hours after its end), so its archive reads on time; its plan and contract
carry two versions each (the generated PDF and the client's signed copy).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from huiyi.rulebook.services import rulebook_for

from . import filing
from .models import Document, DocumentVersion

FINISHED = "HY-2026-096"
RUNNING = "HY-2026-105"


def build(projects, people) -> None:
    by_code = {p.code: p for p in projects}
    author = people.get("project_manager") or next(iter(people.values()))
    for code in (RUNNING, FINISHED):
        project = by_code.get(code)
        if project is not None:
            filing.file_ready(project, by=author)
    finished = by_code.get(FINISHED)
    if finished is not None:
        _date_as_filed(finished)


def _date_as_filed(project) -> None:
    """Date the finished meeting's output versions at plausible filing times (demo data only)."""
    rulebook = rulebook_for(project)
    phase_of = {o.id: phase.id for phase in rulebook.phases for o in phase.outputs}
    early = [p.id for p in rulebook.phases][:2]
    now = timezone.now()
    documents = Document.objects.filter(project=project, doc_type__in=list(phase_of)).order_by("doc_type")
    for n, document in enumerate(documents):
        versions = list(document.versions.order_by("number"))
        if phase_of[document.doc_type] in early:
            first = project.start - dt.timedelta(days=10 - n % 5, hours=n)
        else:
            first = project.end + dt.timedelta(hours=2 + 3 * n)
        for k, version in enumerate(versions):
            DocumentVersion.objects.filter(pk=version.pk).update(
                created_at=min(now, first + dt.timedelta(days=2 * k))
            )
