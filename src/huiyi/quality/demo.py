"""Demo quality records: measurements, evaluations and one nonconformance being corrected.

Called by the demo builder after the projects exist::

    from huiyi.quality import demo as quality_demo
    quality_demo.build(list(MeetingProject.objects.order_by("code")), people)

For each in-scope project that has left phase 1, the control points of every phase it has completed are
measured (realistic values entered by the people who own them) and evaluated, so the scorecard shows real
verdicts. The first project in phase 2 gets a planned cost of 1,068,000 against a 1,000,000 budget: its
budget deviation fails the rulebook's threshold and opens a nonconformance, which has a root cause and one
planned corrective action. Verdicts are whatever the project's rulebook says of these values.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from huiyi.projects.models import MeetingProject

from . import services
from .models import Nonconformance

CLIENT_BUDGET = Decimal("1000000")
PLANNED_OK = Decimal("1050000")
PLANNED_OVER = Decimal("1068000")

# metric → (value, role key of the person who measures it, note), by rulebook phase completed.
# Checklist items are 1 (met) / 0 (not met); ratios are fractions.
MEASUREMENTS: dict[str, list[tuple[str, str, str, str]]] = {
    "P1": [
        ("requirement_information_recorded_rate", "1", "account_manager", "5W2H 访谈记录 12/12 项已填"),
        ("no_unclear_requirement_items", "1", "account_manager", "需求确认会逐项澄清"),
        ("requirement_records_accurate", "1", "account_manager", "客户复核无异议"),
        ("plan_creativity_score", "86", "project_director", "内部评审 5 人平均分"),
        ("plan_client_confirmation_rate", "0.97", "account_manager", "客户确认 33/34 项"),
        ("plan_client_signed", "1", "account_manager", "客户已签字"),
        ("plan_esigned_copy_archived", "1", "account_manager", "电子签章版已归档"),
        ("plan_versions_clear", "1", "project_director", "方案 v1.0 → v1.3 版本记录完整"),
    ],
    "P2": [
        ("booking_confirmations_complete", "1", "project_execution", "场地、酒店、车辆确认函齐全"),
        ("booking_error_rate", "0.01", "project_execution", "核对 100 项，1 项房型有误已更正"),
        ("design_client_approval_rate", "0.96", "visual_design", "设计稿 24/25 项一次确认"),
        ("materials_satisfaction_rate", "0.92", "visual_design", "成品验收问卷"),
        ("materials_on_time_rate", "0.99", "visual_design", "物料交付记录"),
        ("equipment_functional_rate", "1", "technical_support", "设备检查清单 100% 通过"),
        ("key_equipment_tests_passed", "1", "technical_support", "投影、音响、同传测试通过"),
        ("av_rehearsal_done", "1", "technical_support", "会前一日彩排完成"),
        ("training_coverage", "1", "hr", "全员参加岗前培训"),
        ("training_assessment_pass_rate", "0.93", "hr", "关键流程考核"),
        ("host_evaluation_score", "88", "hr", "主持人试讲评估"),
    ],
    "P3": [
        ("process_deviation", "0.06", "project_director", "议程实际用时与计划对比"),
        ("critical_incident_response_time", "4", "project_director", "话筒故障 4 分钟内处置"),
        ("photo_video_coverage", "1", "project_director", "全部环节有影像记录"),
        ("onsite_satisfaction_score", "89", "project_director", "现场满意度调查"),
        ("site_check_passed", "1", "project_execution", "撤场检查合格"),
        ("lost_and_found_logged", "1", "project_execution", "遗留物品 3 件已登记"),
        ("archive_completeness", "1", "project_execution", "资料归档清单齐全"),
    ],
    "P4": [
        ("client_revisit_rate", "0.92", "account_manager", "电话与问卷回访"),
        ("average_satisfaction_score", "86", "account_manager", "回访问卷平均分"),
        ("serious_complaint_rate", "0", "account_manager", "无重大投诉"),
        ("settlement_deviation", "0.004", "finance", "结算金额与合同核对"),
        ("invoice_accuracy_rate", "1", "finance", "发票无差错"),
        ("payment_on_time_rate", "0.96", "finance", "付款记录"),
        ("fee_dispute_count", "0", "finance", "无费用争议"),
    ],
}


def _person(people: dict, role_key: str):
    return people.get(role_key) or people.get("project_director") or next(iter(people.values()))


def build(projects: list[MeetingProject], people: dict) -> list[Nonconformance]:
    """Record demo measurements and evaluations; return the nonconformances opened."""
    director = _person(people, "project_director")
    in_scope = [p for p in projects if not p.out_of_scope and p.phase >= 2]
    failing = next((p for p in in_scope if p.phase == 2), None)
    opened: list[Nonconformance] = []
    for project in in_scope:
        rulebook = services.rulebook_for(project)
        completed = [phase for index, phase in enumerate(rulebook.phases, start=1) if index < project.phase]
        metrics_in_rulebook = {r.metric for r in services.criteria_rules(rulebook)}
        for phase in completed:
            for metric, value, role_key, note in MEASUREMENTS.get(phase.id, []):
                if metric in metrics_in_rulebook:
                    services.record_measurement(
                        project, metric, value, by=_person(people, role_key), note=note
                    )
        if completed:
            planned = PLANNED_OVER if project is failing else PLANNED_OK
            services.record_budget(
                project, planned=planned, budget=CLIENT_BUDGET, by=director, note="方案预算与客户预算对比"
            )
        for phase in completed:
            for control_point in phase.control_points:
                services.evaluate(project, control_point, by=director)
    if failing is not None:
        for nc in Nonconformance.objects.filter(project=failing).exclude(status=Nonconformance.Status.CLOSED):
            services.set_root_cause(
                nc, "场地报价上调后未同步调整方案，茶歇与搭建标准高于客户预算。", by=director
            )
            due = timezone.localdate(nc.due_at) if nc.due_at else timezone.localdate() + timedelta(days=7)
            services.plan_action(
                nc,
                kind="corrective",
                description="与场地重新议价并调整茶歇、搭建标准，修订方案预算后提交客户确认。",
                owner=director,
                due_date=due,
                by=director,
            )
            nc.refresh_from_db()
            opened.append(nc)
    return opened
