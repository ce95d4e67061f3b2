"""Demo: a violation under investigation on the meeting running today (REQ-QLT-08)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from . import services


def build(projects, people: dict) -> None:
    project = next((p for p in projects if p.code == "HY-2026-105"), None)
    reporter = people.get("on_site_director") or people.get("quality_officer")
    investigator = people.get("quality_officer")
    if project is None or reporter is None or investigator is None:
        return
    violation = services.report_violation(
        title="参会人员名单随意放置在签到台",
        description="上午签到结束后,附联系方式的参会人员名单在公共签到台无人看管约 40 分钟,违反保密要求。",
        occurred_at=timezone.now() - timedelta(hours=3),
        org_unit=None,
        project=project,
        rule_id="",
        clause="§4.5(2)",
        req="REQ-DOC-04",
        by=reporter,
    )
    services.start_investigation(violation, investigator=investigator, by=investigator)
