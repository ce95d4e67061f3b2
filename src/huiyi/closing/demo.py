"""Demo closing records for the finished meetings, through the services (CCP 10–12).

Called by the demo builder after contracts, inspections, quality and the feedback/incident demos::

    from huiyi.closing import demo as closing_demo
    closing_demo.build(list(MeetingProject.objects.order_by("code")), people)

* HY-2026-081 (foreign-trade forum, ~55 days ago): settled 0.6 % above the contract, invoices correct,
  both instalments paid on time, two lost items (one returned, one handed to the venue), site check passed,
  every record archived in time, the evaluation form filled in; CCP 10–12 evaluated and the service summary
  report generated (v1).
* HY-2026-096 (ZJU executive training, ~8 days ago): settled at the contract value, one invoice issued with
  the wrong title and corrected, the advance paid four days late, a lost item still in safekeeping, site
  check passed, the archive partly done; CCP 10–11 evaluated.

A project without a signed contract gets none: the settlement records the agreed value with a note.
Times are computed from each project's start and end.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from huiyi.onsite.inspections import services as inspection_services
from huiyi.onsite.inspections.models import SiteMilestone
from huiyi.quality import services as quality

from . import checklist, queries, report, services

DEVIATION_081 = Decimal("1.006")  # the demo's final amount: 0.6 % above the contract value


def _member(project, role_key, fallback):
    member = project.members.filter(role__key=role_key).select_related("user").first()
    return member.user if member else fallback


def _settle(project, finance, final_factor: Decimal):
    contract = queries.settlement_contract(project)
    if contract is not None:
        final = (contract.value * final_factor).quantize(Decimal("0.01"))
        return services.save_settlement(
            project, final_amount=final, settled_at=(project.end + timedelta(days=6)).date(), by=finance
        ), final
    agreed = Decimal(project.expected_attendees) * Decimal("1200.00")
    final = (agreed * final_factor).quantize(Decimal("0.01"))
    return services.save_settlement(
        project,
        final_amount=final,
        agreed_value=agreed,
        agreed_value_note="系统中无合同:按客户确认的报价单金额结算",
        settled_at=(project.end + timedelta(days=6)).date(),
        by=finance,
    ), final


def _site(project, pm, items, archived_keys, archive_offset):
    # Tear-down (REQ-ONS-07) is recorded where the on-site team records it: the inspections' site milestones.
    for milestone, after in (
        (SiteMilestone.Milestone.EQUIPMENT_RECOVERED, timedelta(minutes=40)),
        (SiteMilestone.Milestone.VENUE_RESTORED, timedelta(hours=1, minutes=30)),
    ):
        if not SiteMilestone.objects.filter(project=project, milestone=milestone).exists():
            inspection_services.record_milestone(project, milestone=milestone, at=project.end + after, by=pm)
    for description, where, minutes, stored, outcome in items:
        item = services.log_lost_item(
            project,
            description=description,
            found_where=where,
            found_at=project.end + timedelta(minutes=minutes),
            stored_where=stored,
            by=pm,
        )
        if outcome and outcome[0] == "return":
            services.return_lost_item(
                item, returned_to=outcome[1], returned_at=project.end + timedelta(days=outcome[2]), by=pm
            )
        elif outcome and outcome[0] == "dispose":
            services.dispose_lost_item(
                item, how=outcome[1], disposed_at=project.end + timedelta(days=outcome[2]), by=pm
            )
    services.record_site_check(
        project,
        results=dict.fromkeys(checklist.SITE_CHECK_KEYS, True),
        checked_at=project.end + timedelta(hours=2, minutes=30),
        note="场地方会务经理现场确认交接",
        by=pm,
    )
    for index, key in enumerate(archived_keys):
        services.archive_record(
            project,
            key,
            archived_at=project.end + archive_offset + timedelta(hours=index),
            location="档案室 A-3 柜 / 共享盘 会议档案",
            by=pm,
        )


def _evaluate_form(project, director, scores, goal, note):
    form = queries.evaluation_items(project)
    services.save_evaluation(
        project,
        scores=dict(zip([i.key for i in form.items], scores, strict=False)),
        comments={"follow_up": "回访及时,客户反馈已逐条回复"},
        goal_attainment=goal,
        goal_note=note,
        by=director,
    )


def build(projects, people) -> None:
    by_code = {p.code: p for p in projects}
    finance = people["finance"]
    director = people["project_director"]

    forum = by_code.get("HY-2026-081")
    if forum is not None:
        pm = _member(forum, "project_manager", people["project_manager"])
        settlement, final = _settle(forum, finance, DEVIATION_081)
        services.add_invoice(
            settlement,
            number="33012600081001",
            amount=final,
            issued_at=(forum.end + timedelta(days=7)).date(),
            by=finance,
        )
        for payment in settlement.payments.all():
            services.record_payment(
                payment, paid_amount=payment.amount, paid_at=payment.due_date - timedelta(days=2), by=finance
            )
        _site(
            forum,
            pm,
            [
                ("黑色商务雨伞", "1 号厅第 3 排", 20, "会务组前台", ("return", "杭州某外贸公司 陈女士", 1)),
                (
                    "会议资料袋(无姓名)",
                    "1 号厅茶歇区",
                    35,
                    "会务组前台",
                    ("dispose", "保管 30 天无人认领,交场地方失物处", 30),
                ),
            ],
            checklist.ARCHIVE_KEYS,
            timedelta(days=2),
        )
        _evaluate_form(
            forum,
            director,
            ["9", "8.5", "9", "9", "8.5", "9", "8.5", "8"],
            "88",
            "座谈会议程按时完成,企业诉求已整理成册提交商务局",
        )
        for control_point in ("CCP-10", "CCP-11", "CCP-12"):
            quality.evaluate(forum, control_point, by=director)
        report.generate(forum, language="zh-hans", by=director)

    training = by_code.get("HY-2026-096")
    if training is not None:
        pm = _member(training, "project_manager", people["project_manager"])
        settlement, final = _settle(training, finance, Decimal("1"))
        issued = (training.end + timedelta(days=3)).date()
        wrong = services.add_invoice(
            settlement, number="33012600096001", amount=final, issued_at=issued, by=finance
        )
        services.correct_invoice(
            wrong,
            correction="发票抬头误写为“浙江大学”,应为“浙江大学管理学院”;已红冲并重新开具 33012600096002",
            corrected_at=issued + timedelta(days=1),
            by=finance,
        )
        services.add_invoice(
            settlement,
            number="33012600096002",
            amount=final,
            issued_at=issued + timedelta(days=1),
            by=finance,
        )
        for payment in settlement.payments.all():
            if payment.due_date < training.end.date():  # the advance: paid four days after it was due
                services.record_payment(
                    payment,
                    paid_amount=payment.amount,
                    paid_at=payment.due_date + timedelta(days=4),
                    by=finance,
                )
        _site(
            training,
            pm,
            [
                (
                    "学员胸牌及挂绳 3 套",
                    "紫金港校区 2 号教室",
                    15,
                    "会务组资料箱",
                    ("return", "何静(会议秘书)", 1),
                ),
                ("蓝色保温杯", "紫金港校区报告厅", 40, "会务组前台", None),
            ],
            checklist.ARCHIVE_KEYS[:8],
            timedelta(days=1),
        )
        _evaluate_form(
            training,
            director,
            ["8.5", "8", "8", "9", "8", "7.5", "8", "8.5"],
            "86",
            "培训课程全部完成,学员结业考核通过率 96%",
        )
        for control_point in ("CCP-10", "CCP-11"):
            quality.evaluate(training, control_point, by=director)
