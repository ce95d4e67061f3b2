"""The plan 策划方案 as a PDF in Chinese or English (REQ-PLN-02).

The document's vocabulary is bilingual data (like the rulebook's labels): a PDF for an English reader does
not depend on the language of the request that produced it, and a Chinese PDF is Chinese before the
translation catalogue is complete.
"""

from __future__ import annotations

from django.utils import timezone

from huiyi.quality import formulas
from huiyi.rulebook.display import format_value

from . import queries
from .models import PlanVersion

WORDS = {
    "title": ("会议策划方案", "Meeting plan"),
    "version": ("版本", "Version"),
    "status": ("状态", "Status"),
    "client": ("客户", "Client"),
    "project": ("会议项目", "Meeting project"),
    "goals_heading": ("一、调研与目标", "1. Research and goals"),
    "goals": ("会议目标", "Goals"),
    "scale": ("会议规模（人）", "Scale (attendees)"),
    "venue": ("场地", "Venue"),
    "time": ("时间", "Time"),
    "technical_support": ("技术支持", "Technical support"),
    "catering": ("餐饮", "Catering"),
    "translation": ("翻译 / 同声传译", "Translation / simultaneous interpretation"),
    "agenda_heading": ("二、议程草案", "2. Draft agenda"),
    "agenda_time": ("时间", "Time"),
    "agenda_title": ("议程", "Item"),
    "notes": ("备注", "Notes"),
    "resources_heading": ("三、资源计划", "3. Resource plan"),
    "kind": ("类别", "Kind"),
    "name": ("名称", "Name"),
    "quantity": ("数量", "Quantity"),
    "from_to": ("起止时间", "From – to"),
    "budget_heading": ("四、预算", "4. Budget"),
    "category": ("费用类别", "Category"),
    "description": ("说明", "Description"),
    "amount": ("金额（元）", "Amount (CNY)"),
    "total": ("合计", "Total"),
    "client_budget": ("客户预算", "Client budget"),
    "deviation": ("预算偏差", "Budget deviation"),
    "rule": ("要求", "Requirement"),
    "risks_heading": ("五、风险评估", "5. Risk assessment"),
    "risk": ("风险", "Risk"),
    "response": ("应对策略", "Response strategy"),
    "owner": ("负责人", "Owner"),
    "tasks_heading": ("六、任务清单", "6. Task list"),
    "task": ("任务", "Task"),
    "due": ("截止时间", "Due"),
    "done_criterion": ("完成标准", "Done when"),
    "review_heading": ("七、内部评审", "7. Internal review"),
    "creativity": ("创意得分（平均）", "Creativity score (average)"),
    "reviewers": ("评审人数", "Reviewers"),
    "confirmation_heading": ("八、客户确认", "8. Client confirmation"),
    "signed_by": ("客户签字", "Signed by"),
    "signed_at": ("签署时间", "Signed at"),
    "confirmation_rate": ("客户确认度", "Client confirmation rate"),
    "none": ("无", "None"),
    "not_signed": ("尚未确认", "Not confirmed yet"),
    "generated": ("生成于", "Generated"),
}
CHOICES = {
    "status": {
        "draft": ("草稿", "Draft"),
        "review": ("内部评审中", "In internal review"),
        "sent": ("已发送客户", "Sent to client"),
        "confirmed": ("客户已确认（已冻结）", "Confirmed (frozen)"),
        "superseded": ("已被替代", "Superseded"),
    },
    "kind": {
        "venue": ("场地", "Venue"),
        "equipment": ("设备", "Equipment"),
        "staff": ("人员", "Staff"),
        "material": ("物料", "Material"),
    },
    "category": {
        "venue": ("场地", "Venue"),
        "equipment": ("设备与音视频", "Equipment & AV"),
        "catering": ("餐饮", "Catering"),
        "accommodation": ("住宿", "Accommodation"),
        "transport": ("交通", "Transport"),
        "staff": ("人员", "Staff"),
        "materials": ("物料与印刷", "Materials & printing"),
        "translation": ("翻译与同传", "Translation & interpretation"),
        "other": ("其他", "Other"),
    },
}


def _when(value, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return timezone.localtime(value).strftime(fmt) if value else "—"


def _money(value) -> str:
    return f"{value:,.2f}" if value is not None else "—"


def render(version: PlanVersion, language: str = "zh-hans") -> bytes:
    from huiyi.reports.pdf import PdfDocument

    index = 1 if language == "en" else 0

    def w(key: str) -> str:
        return WORDS[key][index]

    def choice(group: str, value: str) -> str:
        return CHOICES[group].get(value, (value, value))[index]

    project = version.project
    name = project.name_en if language == "en" and project.name_en else project.name
    client = project.client.name_en if language == "en" and project.client.name_en else project.client.name
    doc = PdfDocument(
        title=f"{w('title')} · {name}",
        subtitle=f"{project.code} · {w('version')} {version.label} · {choice('status', version.status)}",
        footer=f"{project.code} {version.label} · {w('generated')} {_when(timezone.now())}",
    )
    doc.key_values([(w("project"), name), (w("client"), client)])

    doc.heading(w("goals_heading"))
    doc.key_values(
        [
            (w("goals"), version.goals or "—"),
            (w("scale"), str(version.scale or "—")),
            (w("venue"), version.venue or "—"),
            (w("time"), f"{_when(version.meeting_start)} – {_when(version.meeting_end)}"),
            (w("technical_support"), version.technical_support or "—"),
            (w("catering"), version.catering or "—"),
            (w("translation"), version.translation or "—"),
        ]
    )

    doc.heading(w("agenda_heading"))
    agenda = [
        [f"{_when(i.starts_at)}{' – ' + _when(i.ends_at, '%H:%M') if i.ends_at else ''}", i.title, i.notes]
        for i in version.agenda_items.all()
    ]
    _table_or_none(doc, agenda, [w("agenda_time"), w("agenda_title"), w("notes")], w("none"))

    doc.heading(w("resources_heading"))
    resources = [
        [choice("kind", r.kind), r.name, r.quantity, f"{_when(r.start)} – {_when(r.end)}", r.notes]
        for r in version.resource_lines.all()
    ]
    _table_or_none(doc, resources, [w("kind"), w("name"), w("quantity"), w("from_to"), w("notes")], w("none"))

    doc.heading(w("budget_heading"))
    budget = queries.budget_deviation(version)
    rows = [
        [choice("category", b.category), b.description, _money(b.amount)] for b in version.budget_lines.all()
    ]
    rows.append([w("total"), "", _money(budget["planned"])])
    doc.table(rows, header=[w("category"), w("description"), w("amount")])
    if budget["budget"]:
        rule = _budget_rule(project)
        doc.key_values(
            [
                (w("client_budget"), _money(budget["budget"])),
                (w("deviation"), f"{formulas.percentage(budget['deviation'], places=2)}%"),
                *([(w("rule"), format_value(rule, language))] if rule else []),
            ]
        )

    doc.heading(w("risks_heading"))
    risks = [[r.risk, r.description, r.response, r.owner] for r in version.risks.all()]
    _table_or_none(doc, risks, [w("risk"), w("description"), w("response"), w("owner")], w("none"))

    doc.heading(w("tasks_heading"))
    tasks = [
        [t.number, t.title, str(t.owner) if t.owner_id else "—", _when(t.due), t.done_criterion]
        for t in queries.project_tasks(project)
    ]
    _table_or_none(doc, tasks, ["#", w("task"), w("owner"), w("due"), w("done_criterion")], w("none"))

    score = queries.score_average(version)
    doc.heading(w("review_heading"))
    doc.key_values(
        [
            (w("creativity"), f"{score}" if score is not None else "—"),
            (w("reviewers"), str(len(version.reviews.all()))),
        ]
    )

    doc.heading(w("confirmation_heading"))
    response = queries.latest_response(version)
    if response and response.signed_at:
        doc.key_values(
            [
                (w("signed_by"), response.signer_name),
                (w("signed_at"), _when(response.signed_at)),
                (w("confirmation_rate"), f"{response.accepted_sections}/{response.total_sections}"),
            ]
        )
    else:
        doc.paragraph(w("not_signed"))
    return doc.render()


def _table_or_none(doc, rows, header, none_text) -> None:
    if rows:
        doc.table(rows, header=header)
    else:
        doc.paragraph(none_text)


def _budget_rule(project):
    from huiyi.rulebook.services import rulebook_for

    found = rulebook_for(project).rules_where(metric="budget_deviation")
    return found[0] if found else None
