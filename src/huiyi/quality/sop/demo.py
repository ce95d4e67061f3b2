"""Demo: two procedures with versions and the last quarterly process-optimisation meetings (REQ-QLT-10)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from huiyi.feedback.improvement.models import ImprovementAction

from . import services


def build(projects, people: dict) -> None:
    owner = people.get("quality_officer")
    approver = people.get("project_director") or owner
    if owner is None or approver is None:
        return
    today = timezone.localdate()
    attendees = [
        p for p in (owner, approver, people.get("project_manager"), people.get("on_site_director")) if p
    ]
    earlier = services.record_meeting(
        held_on=today - timedelta(days=150),
        title="第二季度服务流程优化会议",
        decisions="统一签到流程;现场进度报告改为每 2 小时固定模板。",
        attendees=attendees,
        by=owner,
    )
    actions = list(ImprovementAction.objects.order_by("pk")[:1])
    last = services.record_meeting(
        held_on=today - timedelta(days=62),
        title="第三季度服务流程优化会议",
        decisions="根据投诉与内审结果修订会后资料归档流程:归档由项目执行专人负责,设提醒节点。",
        other_attendees="行政部 1 人",
        attendees=attendees,
        improvement_actions=actions,
        by=owner,
    )
    archive = services.create_procedure(
        code="SOP-DOC-01",
        title={"zh-hans": "会后资料整理与归档", "en": "Post-meeting records and archiving"},
        purpose="规范会后文件资料的收集、命名、归档和复核。",
        requirements=["REQ-DOC-03"],
        rule_ids=["doc.archive_deadline"],
        owner=owner,
        by=owner,
    )
    services.add_version(
        archive,
        text="1. 会议结束后由现场执行人员收集纪要、签到表和影像资料。\n"
        "2. 按“会议名称-日期-类型”命名。\n3. 在规定工作日内归档。",
        change_note="首次发布。",
        effective_from=today - timedelta(days=200),
        approved_by=approver,
        by=owner,
    )
    services.add_version(
        archive,
        text="1. 项目执行专人负责会后资料收集与归档。\n2. 按“会议名称-日期-类型”命名,电子件保存 3 份备份。\n"
        "3. 会后第 3 个工作日系统提醒;规则库期限内完成归档并由质量专员复核签字。",
        change_note="明确归档责任人并增加提醒节点和复核签字(第三季度流程优化会议决定)。",
        effective_from=last.held_on + timedelta(days=3),
        approved_by=approver,
        meeting=last,
        improvement_actions=actions,
        by=owner,
    )
    checkin = services.create_procedure(
        code="SOP-ONS-02",
        title={"zh-hans": "现场签到与接待", "en": "On-site check-in and reception"},
        purpose="规范电子签到、引导和资料发放。",
        requirements=["REQ-ONS-02"],
        owner=owner,
        by=owner,
    )
    services.add_version(
        checkin,
        text="1. 提前 2 小时完成签到台布置与设备调试。\n2. 二维码签到,异常人工核验。\n3. 按名单发放资料。",
        change_note="统一签到流程(第二季度流程优化会议决定)。",
        effective_from=earlier.held_on + timedelta(days=7),
        approved_by=approver,
        meeting=earlier,
        by=owner,
    )
