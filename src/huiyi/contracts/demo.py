"""Demo contracts, through the services (REQ-CON-01…04).

Called by the demo builder after the projects exist::

    from huiyi.contracts import demo as contracts_demo
    contracts_demo.build(list(MeetingProject.objects.order_by("code")), people)

Every in-scope project past phase 1 gets a signed contract (value, four-stage scope, the rulebook's quality
standards with acceptance points, advance and final payments, a signed copy). The first project in phase 2
or 3 gets a late change request — submitted well inside the rulebook's lead time — extending the meeting by
half a day, its cost computed with the rulebook's coefficient, approved by the project manager and confirmed
by the client through the link, so its contract reads v2. The first phase-4 project records a minor breach
(one projector failed) with its remedy.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from huiyi.rulebook.services import rulebook_for

from . import services
from .models import Contract

SCOPE = {
    "scope_preparation": "需求确认、场地考察与预订、会议方案与物料设计制作、参会人员邀请与注册",
    "scope_onsite": "场地布置与设备调试、签到接待、现场引导、安保与医疗保障",
    "scope_in_meeting": "音视频与同传保障、议程控制、茶歇与餐饮服务、突发事件处置",
    "scope_post_meeting": "场地恢复与物资清点、会议总结报告、满意度回访与费用结算",
}
ACCEPTANCE_POINTS = {
    "con.quality.preparation_deviation": "以会前筹备计划表为准,逐项核对完成时间",
    "con.quality.av_failure_rate": "以设备使用及故障记录为准",
    "con.quality.power_availability": "以配电巡检记录为准",
    "con.quality.evacuation_response": "以应急演练记录为准",
    "con.quality.report_on_time_rate": "以报告提交记录为准",
}


def _signed_copy(contract: Contract):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from huiyi.reports.pdf import PdfDocument

    document = PdfDocument(title="会议服务合同(签字盖章扫描件)", subtitle=contract.number)
    document.paragraph(f"{contract.title}\n甲方:{contract.client.name}")
    return SimpleUploadedFile(
        f"{contract.number}-signed.pdf", document.render(), content_type="application/pdf"
    )


def _contract_for(project, by) -> Contract:
    value = Decimal(project.expected_attendees) * Decimal("1200.00")
    advance = (value * 3 / 10).quantize(Decimal("0.01"))
    start = timezone.localtime(project.start).date()
    created = project.start - timedelta(days=45)
    first_due = min(start - timedelta(days=30), timezone.localdate() + timedelta(days=7))
    standards = [
        {**row, "acceptance_point": ACCEPTANCE_POINTS.get(row["rule_id"], "")}
        for row in services.standards_from_rulebook(project)
    ]
    contract = services.create_contract(
        project,
        by=by,
        value=value,
        client_representative=project.client.contacts.filter(is_primary=True)
        .values_list("name", flat=True)
        .first()
        or "",
        acceptance_basis="按本合同质量标准逐项验收,会后 3 日内由甲方出具验收意见。",
        payments=[
            {"name": "预付款", "due_date": first_due, "amount": advance},
            {"name": "尾款", "due_date": start + timedelta(days=30), "amount": value - advance},
        ],
        standards=standards,
        **SCOPE,
    )
    services.attach_signed_copy(contract, _signed_copy(contract), by=by)
    return services.sign_contract(contract, by=by, signed_at=min(created, timezone.now()))


def build(projects, people) -> list[Contract]:
    manager = people["project_manager"]
    signed = []
    for project in projects:
        if project.phase < 2 or project.out_of_scope:
            continue
        by = project.members.filter(role__key="project_manager").first()
        signed.append(_contract_for(project, by.user if by else manager))

    amendable = next((c for c in signed if c.project.phase in (2, 3)), None)
    if amendable is not None:
        lead = Decimal(str(rulebook_for(amendable.project).value(services.LEAD_TIME_RULE)))
        now = timezone.now()
        change = services.submit_change_request(
            amendable,
            by=people["account_manager"],
            kind="time",
            description="客户要求增加半天专题分会场,会期延长半天",
            affected_at=now + timedelta(hours=float(lead / 2)),
            extension_days=Decimal("0.5"),
            submitted_at=now - timedelta(hours=2),
        )
        approver = amendable.project.members.filter(role__key="project_manager").first()
        services.approve_change_request(change, by=approver.user if approver else manager)
        token = services.issue_client_link(change, by=people["account_manager"])
        contact = amendable.client.contacts.filter(is_primary=True).first()
        services.confirm_by_client_link(token, name=contact.name if contact else "客户代表")

    evaluated = next((c for c in signed if c.project.phase == 4), None)
    if evaluated is not None:
        project = evaluated.project
        services.record_breach(
            evaluated,
            by=manager
            if manager.has_perm("contracts.change_contract", project)
            else people["project_director"],
            breach_class="minor",
            description="主会场 1 台投影仪在下午议程中故障 12 分钟,备用设备切换后恢复",
            occurred_at=project.start + timedelta(hours=5),
            responsibility="provider",
            remedy_amount=Decimal("3000.00"),
            remedy_measures="减免设备服务费 3000 元;会后对全部投影设备进行检测并补充备用灯泡",
            remedy_deadline=timezone.localtime(project.end).date() + timedelta(days=7),
        )
    return signed
