"""Demo records of supervision (REQ-QLT-07, -08, -10): one completed internal audit whose nonconformity
opened a nonconformance with an action, a violation under investigation, and the SOP library with its last
quarterly meeting. ``build`` also calls the accountability and SOP demos."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from huiyi.quality import services as quality

from . import services
from .models import AuditItem


def _by_code(projects, code):
    return next((p for p in projects if p.code == code), None)


def build(projects, people: dict) -> None:
    from huiyi.quality.accountability import demo as accountability_demo
    from huiyi.quality.sop import demo as sop_demo

    _completed_audit(projects, people)
    accountability_demo.build(projects, people)
    sop_demo.build(projects, people)


def _completed_audit(projects, people) -> None:
    project = _by_code(projects, "HY-2026-096")
    lead, auditor = people.get("quality_officer"), people.get("hr")
    if project is None or lead is None:
        return
    pm = project.members.filter(role__key="project_manager").select_related("user").first()
    audit = services.plan_audit(
        title="2026年第三季度内部质量审核:文件归档与改进闭环",
        objective="核查会后资料归档、不合格项整改和服务改进是否按规范闭环。",
        planned_date=timezone.localdate() - timedelta(days=12),
        lead_auditor=lead,
        auditors=[auditor] if auditor else [],
        auditees=[pm.user] if pm else [],
        scope_requirements=["REQ-DOC-03", "REQ-QLT-06", "REQ-FBK-04"],
        projects=[project],
        by=lead,
    )
    services.start_audit(audit, by=lead)
    items = list(audit.items.order_by("position"))
    finding = next((i for i in items if i.rule_id == "doc.archive_deadline"), items[0])
    observation = next((i for i in items if i.req == "REQ-FBK-04" and i.pk != finding.pk), None)
    for item in items:
        if item.pk == finding.pk:
            item = services.assess_item(
                item,
                result=AuditItem.Result.NONCONFORMITY,
                evidence="会议纪要与签到表在会后第 9 个工作日才归档,超过规则库要求。",
                notes="归档登记表无复核签字。",
                severity="minor",
                by=lead,
            )
            nc = item.nonconformance
            quality.set_root_cause(nc, "归档由现场执行人员兼任,会后无人跟踪归档节点。", by=lead)
            quality.plan_action(
                nc,
                kind="corrective",
                description="指定项目执行专人负责会后归档,并在项目任务中设置归档提醒。",
                owner=pm.user if pm else None,
                due_date=timezone.localdate() + timedelta(days=7),
                by=lead,
            )
        elif observation is not None and item.pk == observation.pk:
            services.assess_item(
                item,
                result=AuditItem.Result.OBSERVATION,
                notes="改进计划已建立,但效果评价记录较简略,建议补充量化数据。",
                by=lead,
            )
        else:
            services.assess_item(item, result=AuditItem.Result.CONFORMITY, evidence="抽查记录齐全。", by=lead)
    services.complete_audit(
        audit,
        summary="本次审核发现一般不合格项 1 项(资料归档超期)、观察项 1 项,其余条款符合。"
        "不合格项已立项整改,待验证后关闭审核。",
        by=lead,
    )
