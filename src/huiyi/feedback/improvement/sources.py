"""Where the issues of a meeting's feedback analysis come from (REQ-QLT-11: found on the spot + reported by
the client), read without depending on the apps that keep them:

1. the meeting's nonconformances, open and closed (``quality``), whatever raised them — a failed control
   point, an on-site inspection, a complaint, an incident;
2. the issues written in the on-site progress reports (``liveagenda``): found on the spot;
3. the feedback criteria of the rulebook (REQ-FBK-*) that the metrics registry measures as failing and that
   have no nonconformance yet — a low satisfaction score, a serious complaint rate — through
   ``huiyi.quality.metrics.measure`` and its evidence;
4. any app that offers ``improvement_issues(project)`` in its ``queries`` module (surveys, complaints,
   incidents), imported only if it is installed and importable: an iterable of dicts with ``origin`` (a
   stable key such as ``"complaints:12"``), ``source`` (one of :class:`AnalysisIssue.Source`),
   ``description`` and optionally ``category``.

Every issue has an ``origin`` so pre-filling twice never copies the same record twice.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import AnalysisIssue, Category

log = logging.getLogger(__name__)

Source = AnalysisIssue.Source

#: Apps that may offer ``improvement_issues(project)`` (they are built at the same time as this one).
PROVIDERS = (
    "huiyi.feedback.surveys.queries",
    "huiyi.feedback.complaints.queries",
    "huiyi.incidents.queries",
    "huiyi.closing.queries",
)

#: The part of the service each critical control point is about (§3.2), for the issue's category.
CONTROL_POINT_CATEGORY = {
    "CCP-01": Category.COMMUNICATION,
    "CCP-02": Category.CONTENT,
    "CCP-03": Category.COMMUNICATION,
    "CCP-04": Category.VENUE,
    "CCP-05": Category.MATERIALS,
    "CCP-06": Category.TECHNICAL,
    "CCP-07": Category.STAFF,
    "CCP-08": Category.AGENDA,
    "CCP-09": Category.COMMUNICATION,
    "CCP-10": Category.VENUE,
    "CCP-11": Category.COST,
    "CCP-12": Category.OTHER,
}

_NC_SOURCE = {
    "inspection": Source.ON_SITE,
    "complaint": Source.COMPLAINT,
    "incident": Source.INCIDENT,
}


@dataclass(frozen=True)
class FoundIssue:
    origin: str
    source: str
    description: str
    category: str = Category.OTHER
    nonconformance_id: int | None = None


def _from_nonconformances(project) -> Iterator[FoundIssue]:
    from huiyi.quality.models import Nonconformance

    for nc in Nonconformance.objects.filter(project=project).order_by("opened_at", "pk"):
        category = CONTROL_POINT_CATEGORY.get(nc.control_point, Category.OTHER)
        if nc.source == "inspection" and category == Category.OTHER:
            category = Category.VENUE
        yield FoundIssue(
            origin=f"nc:{nc.pk}",
            source=_NC_SOURCE.get(nc.source, Source.NONCONFORMANCE),
            description=f"{nc.code} {nc.description_text}",
            category=category,
            nonconformance_id=nc.pk,
        )


def _from_progress_reports(project) -> Iterator[FoundIssue]:
    try:
        from huiyi.onsite.agenda.models import ProgressReport
    except ImportError:  # pragma: no cover — the live agenda is part of the product
        return
    for report in ProgressReport.objects.filter(project=project).exclude(issues="").order_by("reported_at"):
        yield FoundIssue(
            origin=f"progress:{report.pk}",
            source=Source.ON_SITE,
            description=report.issues.strip(),
            category=Category.AGENDA,
        )


def _from_failed_feedback_rules(project) -> Iterator[FoundIssue]:
    from huiyi.quality.metrics import Measurement, is_registered, measure
    from huiyi.quality.models import Nonconformance
    from huiyi.rulebook.display import format_raw, format_value, text
    from huiyi.rulebook.services import rulebook_for

    rulebook = rulebook_for(project)
    covered = set(Nonconformance.objects.filter(project=project).values_list("rule_id", flat=True))
    for rule in rulebook.rules:
        if not rule.req.startswith("REQ-FBK-") or rule.kind not in ("threshold", "range"):
            continue
        if rule.id in covered or not is_registered(rule.metric):
            continue
        measured = measure(rule.metric, project, rulebook)
        if not isinstance(measured, Measurement) or rule.passes(measured.value):
            continue
        source = Source.COMPLAINT if "complaint" in rule.metric else Source.SURVEY
        yield FoundIssue(
            origin=f"rule:{rule.id}",
            source=source,
            description=_("%(criterion)s: measured %(value)s, required %(required)s")
            % {
                "criterion": text(rule.name),
                "value": format_raw(float(measured.value), rule.unit),
                "required": format_value(rule),
            },
            category=Category.COMMUNICATION,
        )


def _from_providers(project) -> Iterator[FoundIssue]:
    for name in PROVIDERS:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        offer = getattr(module, "improvement_issues", None)
        if offer is None:
            continue
        try:
            rows = list(offer(project))
        except Exception:  # another app's failure must not stop the analysis
            log.exception("improvement issues of %s failed", name)
            continue
        for row in rows:
            source = row.get("source")
            origin = str(row.get("origin") or "")
            description = str(row.get("description") or "").strip()
            if source not in Source.values or not origin or not description:
                continue
            category = row.get("category")
            yield FoundIssue(
                origin=origin[:80],
                source=source,
                description=description,
                category=category if category in Category.values else Category.OTHER,
            )


def issues_of(project) -> list[FoundIssue]:
    """Every issue the meeting's records show, in a stable order."""
    found: list[FoundIssue] = []
    for gather in (
        _from_nonconformances,
        _from_progress_reports,
        _from_failed_feedback_rules,
        _from_providers,
    ):
        found.extend(gather(project))
    return found
