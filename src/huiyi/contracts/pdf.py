"""A contract version as a PDF, in Chinese or English (huiyi.reports.pdf).

The document's language is chosen per document (`?lang=`), not by the reader's session, so its vocabulary
is kept here in both languages, like the rulebook's display vocabulary.
"""

from django.utils import timezone

from huiyi.core.translation import localize
from huiyi.reports.pdf import PdfDocument

from .models import Contract, Stage

LABELS = {
    "title": ("会议服务合同", "Meeting services contract"),
    "contract_title": ("合同名称", "Title"),
    "client": ("甲方(客户)", "Party A (client)"),
    "provider": ("乙方(服务方)", "Party B (service provider)"),
    "representative": ("甲方代表", "Client representative"),
    "project": ("会议项目", "Meeting project"),
    "dates": ("会议时间", "Meeting dates"),
    "value": ("合同金额", "Contract value"),
    "signed_at": ("签订时间", "Signed at"),
    "keep_until": ("保存至", "Keep until"),
    "scope": ("服务范围", "Service scope"),
    "stage": ("阶段", "Stage"),
    "services": ("服务内容", "Services"),
    "standards": ("质量标准与验收要点", "Quality standards and acceptance points"),
    "standard": ("质量标准", "Standard"),
    "target": ("指标", "Target"),
    "acceptance_point": ("验收要点", "Acceptance point"),
    "acceptance_basis": ("验收依据", "Acceptance basis"),
    "payments": ("付款计划", "Payment schedule"),
    "instalment": ("款项", "Instalment"),
    "due_date": ("付款日期", "Due date"),
    "amount": ("金额", "Amount"),
    "total": ("合计", "Total"),
    "amendments": ("变更记录", "Amendments"),
    "version": ("版本", "Version"),
}
STAGES = {
    Stage.PREPARATION: ("会前筹备", "Pre-meeting preparation"),
    Stage.ONSITE: ("现场执行", "On-site execution"),
    Stage.IN_MEETING: ("会中保障", "In-meeting support"),
    Stage.POST_MEETING: ("会后总结", "Post-meeting summary"),
}
STATUSES = {
    Contract.Status.DRAFT: ("草稿", "Draft"),
    Contract.Status.SIGNED: ("已签订", "Signed"),
    Contract.Status.AMENDED: ("已变更(被新版本取代)", "Amended (superseded)"),
    Contract.Status.CLOSED: ("已关闭", "Closed"),
}


def _money(amount) -> str:
    return f"¥{amount:,.2f}"


def _when(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else "—"


def contract_pdf(contract: Contract, language: str = "zh-hans") -> bytes:
    index = 1 if (language or "").lower().startswith("en") else 0
    key = ("zh-hans", "en")[index]

    def label(name: str) -> str:
        return LABELS[name][index]

    project = contract.project
    client = contract.client
    document = PdfDocument(
        title=label("title"),
        subtitle=" · ".join(
            [contract.number, f"{label('version')} v{contract.version}", STATUSES[contract.status][index]]
        ),
        footer=f"{contract.number} v{contract.version}",
    )
    document.key_values(
        [
            (label("contract_title"), contract.title),
            (label("client"), localize({"zh-hans": client.name, "en": client.name_en}, key)),
            (label("provider"), localize(project.org_unit.name, key)),
            (label("representative"), contract.client_representative or "—"),
            (
                label("project"),
                f"{project.code} {localize({'zh-hans': project.name, 'en': project.name_en}, key)}",
            ),
            (label("dates"), f"{_when(project.start)} – {_when(project.end)}"),
            (label("value"), _money(contract.value)),
            (label("signed_at"), _when(contract.signed_at)),
            (label("keep_until"), contract.retention_until.isoformat() if contract.retention_until else "—"),
        ]
    )
    document.heading(label("scope"))
    document.table(
        [[STAGES[Stage(stage)][index], text] for stage, _label, text in contract.scope()],
        header=[label("stage"), label("services")],
    )
    document.heading(label("standards"))
    document.table(
        [
            [localize(s.name, key), localize(s.target, key), s.acceptance_point or "—"]
            for s in contract.standards.all()
        ],
        header=[label("standard"), label("target"), label("acceptance_point")],
    )
    if contract.acceptance_basis:
        document.paragraph(f"{label('acceptance_basis')}: {contract.acceptance_basis}")
    document.heading(label("payments"))
    payments = list(contract.payments.all())
    total = sum((p.amount for p in payments), start=contract.value - contract.value)
    document.table(
        [[p.name, p.due_date.isoformat(), _money(p.amount)] for p in payments]
        + [[label("total"), "", _money(total)]],
        header=[label("instalment"), label("due_date"), label("amount")],
    )
    if contract.amendment_note:
        document.heading(label("amendments"))
        document.paragraph(contract.amendment_note)
    return document.render()
