"""Reads of internal audits for views, the API, reports and KPIs (REQ-QLT-07)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from huiyi.projects.queries import visible_projects
from huiyi.quality.models import ControlPointResult
from huiyi.rulebook.loader import Rulebook
from huiyi.rulebook.queries import CHAPTERS, chapter_of
from huiyi.rulebook.requirements import REQUIREMENTS
from huiyi.rulebook.services import active_rulebook

from .models import OPEN_FINDING, Audit, AuditItem

INTERVAL_RULE = "qlt.audit.interval"


def visible_audits(user) -> QuerySet[Audit]:
    """Every audit for the roles that oversee audits; otherwise those the person takes part in."""
    audits = Audit.objects.select_related("lead_auditor")
    if not user.is_authenticated:
        return audits.none()
    if user.has_perm("audits.dashboard"):
        return audits
    return audits.filter(Q(lead_auditor=user) | Q(auditors=user) | Q(auditees=user)).distinct()


def audit_list(user, *, status: str = "") -> QuerySet[Audit]:
    audits = visible_audits(user).annotate(
        item_count=Count("items", distinct=True),
        assessed=Count("items", filter=~Q(items__result=""), distinct=True),
        nonconformities=Count("items", filter=Q(items__result="nonconformity"), distinct=True),
        observations=Count("items", filter=Q(items__result="observation"), distinct=True),
    )
    if status in Audit.Status.values:
        audits = audits.filter(status=status)
    elif status == "open":
        audits = audits.exclude(status=Audit.Status.CLOSED)
    return audits


def checklist(audit: Audit) -> QuerySet[AuditItem]:
    return audit.items.select_related("assessed_by", "project", "nonconformance").order_by("position")


def findings(user) -> QuerySet[AuditItem]:
    """Nonconformities and observations of the audits ``user`` sees."""
    return (
        AuditItem.objects.filter(audit__in=visible_audits(user).values("pk"))
        .filter(result__in=[AuditItem.Result.NONCONFORMITY, AuditItem.Result.OBSERVATION])
        .select_related("audit", "project", "nonconformance", "assessed_by")
        .order_by("-assessed_at", "-pk")
    )


# ------------------------------------------------------------------------------------------------------
# Audit frequency (qlt.audit.interval)


@dataclass
class IntervalStatus:
    last: dt.date | None
    due: dt.date | None
    overdue: bool
    months: int | float | None


def audit_interval(rulebook: Rulebook | None = None, today: dt.date | None = None) -> IntervalStatus:
    """When the last internal audit was reported and when the next one is due by the rulebook."""
    rulebook = rulebook or active_rulebook()
    today = today or timezone.localdate()
    last_at = Audit.objects.exclude(reported_at=None).aggregate(last=Max("reported_at"))["last"]
    months = rulebook.value(INTERVAL_RULE) if INTERVAL_RULE in rulebook else None
    last = timezone.localdate(last_at) if last_at else None
    if months is None:
        return IntervalStatus(last, None, False, None)
    if last is None:
        return IntervalStatus(None, None, True, months)
    due = last + relativedelta(months=int(months))
    return IntervalStatus(last, due, today > due, months)


# ------------------------------------------------------------------------------------------------------
# Continuous compliance: per clause, the last audit result and the automatic control-point results


@dataclass
class ComplianceRow:
    chapter: str
    req: str
    rule_id: str
    clause: str
    name: dict
    last_assessed: dt.datetime | None = None
    last_result: str = ""
    last_audit: int | None = None
    last_audit_code: str = ""
    times_audited: int = 0
    nonconformities: int = 0
    cp_pass: int = 0
    cp_fail: int = 0
    cp_last: dt.datetime | None = None
    stale: bool = False

    @property
    def cp_total(self) -> int:
        return self.cp_pass + self.cp_fail

    @property
    def cp_state(self) -> str:
        if not self.cp_total:
            return ""
        return "pass" if not self.cp_fail else ("fail" if not self.cp_pass else "mixed")


@dataclass
class ComplianceChapter:
    code: str
    name: dict
    rows: list[ComplianceRow] = field(default_factory=list)


def _audit_stats() -> dict[tuple[str, str], dict]:
    """Per (requirement, rule): how often assessed, nonconformities, and the latest assessment — SQL."""
    latest = AuditItem.objects.filter(
        req=OuterRef("req"), rule_id=OuterRef("rule_id"), assessed_at__isnull=False
    ).order_by("-assessed_at", "-pk")
    rows = (
        AuditItem.objects.filter(assessed_at__isnull=False)
        .exclude(result=AuditItem.Result.NOT_APPLICABLE)
        .values("req", "rule_id")
        .annotate(
            times=Count("pk"),
            ncs=Count("pk", filter=Q(result=AuditItem.Result.NONCONFORMITY)),
            last=Max("assessed_at"),
            last_result=Subquery(latest.values("result")[:1]),
            last_audit=Subquery(latest.values("audit_id")[:1]),
            last_audit_number=Subquery(latest.values("audit__number")[:1]),
        )
        .order_by()
    )
    return {(row["req"], row["rule_id"]): row for row in rows}


def _control_point_stats(user) -> dict[str, dict]:
    """Per rule: the latest automatic result of each visible project, counted by verdict — SQL."""
    newest = ControlPointResult.objects.filter(
        project=OuterRef("project"), rule_id=OuterRef("rule_id")
    ).order_by("-evaluated_at", "-pk")
    rows = (
        ControlPointResult.objects.filter(project__in=visible_projects(user).values("pk"))
        .filter(pk=Subquery(newest.values("pk")[:1]))
        .values("rule_id")
        .annotate(
            passes=Count("pk", filter=Q(verdict=ControlPointResult.Verdict.PASS)),
            fails=Count("pk", filter=Q(verdict=ControlPointResult.Verdict.FAIL)),
            last=Max("evaluated_at"),
        )
        .order_by()
    )
    return {row["rule_id"]: row for row in rows}


def compliance(user, *, rulebook: Rulebook | None = None, chapter: str = "") -> list[ComplianceChapter]:
    """The continuous compliance view (§11.5): every clause of the rulebook, chapter by chapter."""
    rulebook = rulebook or active_rulebook()
    audits = _audit_stats()
    control = _control_point_stats(user)
    interval = rulebook.value(INTERVAL_RULE) if INTERVAL_RULE in rulebook else None
    stale_before = timezone.now() - relativedelta(months=int(interval)) if interval is not None else None
    chapters = {
        code: ComplianceChapter(code, name)
        for code, (name, _clause) in CHAPTERS.items()
        if not chapter or code == chapter
    }
    with_rules: set[str] = set()

    def fill(row: ComplianceRow) -> ComplianceRow:
        stats = audits.get((row.req, row.rule_id))
        if stats:
            row.last_assessed = stats["last"]
            row.last_result = stats["last_result"] or ""
            row.last_audit = stats["last_audit"]
            row.last_audit_code = f"IA-{stats['last_audit_number']:04d}" if stats["last_audit_number"] else ""
            row.times_audited = stats["times"]
            row.nonconformities = stats["ncs"]
        cp = control.get(row.rule_id) if row.rule_id else None
        if cp:
            row.cp_pass, row.cp_fail, row.cp_last = cp["passes"], cp["fails"], cp["last"]
        row.stale = stale_before is not None and (
            row.last_assessed is None or row.last_assessed < stale_before
        )
        return row

    for rule in rulebook.rules:
        code = chapter_of(rule.req)
        with_rules.add(rule.req)
        if code in chapters:
            chapters[code].rows.append(
                fill(ComplianceRow(code, rule.req, rule.id, rule.clause, rule.name.as_dict()))
            )
    for req in sorted(REQUIREMENTS):
        code = chapter_of(req)
        if req not in with_rules and code in chapters:
            chapters[code].rows.append(fill(ComplianceRow(code, req, "", "", {"zh-hans": req, "en": req})))
    for item in chapters.values():
        item.rows.sort(key=lambda r: (r.req, r.rule_id))
    return list(chapters.values())


def compliance_summary(chapters: list[ComplianceChapter]) -> dict:
    rows = [row for chapter in chapters for row in chapter.rows]
    return {
        "clauses": len(rows),
        "audited": sum(1 for r in rows if r.last_assessed),
        "nonconforming": sum(1 for r in rows if r.last_result == AuditItem.Result.NONCONFORMITY),
        "stale": sum(1 for r in rows if r.stale),
        "cp_failing": sum(1 for r in rows if r.cp_fail),
    }


# ------------------------------------------------------------------------------------------------------
# KPI


def open_findings_kpi(scope):
    """Nonconformity findings of audits planned in the period whose nonconformance is still open."""
    from huiyi.quality.kpis.registry import KpiValue

    audits = Audit.objects.filter(planned_date__gte=scope.start, planned_date__lt=scope.end)
    if scope.org_unit_ids is not None:
        audits = audits.filter(
            Q(org_units__in=scope.org_unit_ids) | Q(projects__org_unit_id__in=scope.org_unit_ids)
        )
    audit_ids = audits.values("pk")
    totals = AuditItem.objects.filter(audit_id__in=audit_ids).aggregate(
        findings=Count("pk", filter=Q(result=AuditItem.Result.NONCONFORMITY)),
        open=Count("pk", filter=OPEN_FINDING),
        audits=Count("audit", distinct=True),
    )
    if not totals["audits"]:
        return KpiValue(None)
    return KpiValue(
        totals["open"],
        numerator=totals["open"],
        denominator=totals["findings"],
        breakdown={"audits": totals["audits"], "nonconformities": totals["findings"]},
    )
