"""The 《会议需求清单》 as a PDF in Chinese or English (REQ-INT-07, appendix A).

The document's language is chosen by the reader (?lang=), not by the interface, so its words are kept here in
both languages, like the rulebook's names.
"""

from django.utils import timezone
from reportlab.lib.units import mm

from huiyi.core.translation import localize
from huiyi.reports.pdf import PdfDocument
from huiyi.rulebook.services import rulebook_for

from .catalogue import FIVE_W_TWO_H, ITEM_QUESTIONS, TIERS, WEIGHT_RULE
from .completeness import of_revision


def _t(zh: str, en: str) -> dict[str, str]:
    return {"zh-hans": zh, "en": en}


WORDS = {
    "title": _t("会议需求清单", "Meeting requirements list"),
    "basic": _t("一、会议基本信息", "1. Basic meeting information"),
    "services": _t("二、服务范围", "2. Service scope"),
    "budget": _t("三、预算与付款", "3. Budget and payment"),
    "5w2h": _t("四、需求要素(5W2H)", "4. Requirements (5W2H)"),
    "confirmation": _t("五、客户确认", "5. Client confirmation"),
    "client": _t("客户", "Client"),
    "project": _t("项目编号", "Project code"),
    "name": _t("会议名称", "Meeting name"),
    "start": _t("开始时间", "Start"),
    "end": _t("结束时间", "End"),
    "duration": _t("会议时长", "Duration"),
    "address": _t("地址", "Address"),
    "venue": _t("场地", "Venue"),
    "venue_type": _t("场地类型", "Venue type"),
    "capacity": _t("参会人数", "Attendees"),
    "tier": _t("服务层级", "Tier"),
    "items": _t("服务项目", "Services"),
    "other": _t("其他定制服务", "Other custom services"),
    "fixed_budget": _t("固定预算(元)", "Fixed budget (CNY)"),
    "schedule": _t("付款节点", "Payment schedule"),
    "advance": _t("预付款 T1", "Advance T1"),
    "balance": _t("尾款 T2", "Balance T2"),
    "method": _t("付款方式", "Payment method"),
    "refund": _t("退款政策", "Refund policy"),
    "refund_text": _t(
        "会议开始前 {days} 天内取消,{share} 费用不予退还。",
        "Cancelled within {days} days before the meeting: {share} of the fee is non-refundable.",
    ),
    "item": _t("要素", "Item"),
    "content": _t("内容", "Content"),
    "completion": _t("完成度", "Completion"),
    "unclear": _t("不明确", "Unclear"),
    "index": _t("需求完整性指数 I", "Requirement completeness index I"),
    "status": _t("状态", "Status"),
    "confirmed_by": _t("确认人", "Confirmed by"),
    "confirmed_at": _t("确认时间", "Confirmed at"),
    "not_confirmed": _t("尚未经客户确认", "Not yet confirmed by the client"),
    "signature": _t("客户签字/日期", "Client signature / date"),
    "yes": _t("是", "yes"),
    "no": _t("否", "no"),
    "revision": _t("版本", "Revision"),
    "hours": _t("小时", "hours"),
    "footer": _t("会议组织服务质量管理规范 · 附录A 会议需求清单", "Meeting service quality · appendix A"),
}
CHOICES = {
    "indoor": _t("室内", "Indoor"),
    "outdoor": _t("户外", "Outdoor"),
    "online": _t("线上", "Online"),
    "advance_balance": _t("预付款 T1 + 尾款 T2", "Advance T1 + balance T2"),
    "monthly": _t("月结", "Monthly settlement"),
    "transfer": _t("对公转账", "Corporate bank transfer"),
    "acceptance_bill": _t("承兑汇票", "Acceptance bill"),
    "pr": _t("公关宣传", "Public relations"),
    "internal": _t("内部沟通", "Internal communication"),
    "training": _t("培训", "Training"),
}
TIER_NAMES = {
    "basic": _t("基础服务", "Basic services"),
    "standard": _t("标准服务", "Standard services"),
    "custom": _t("定制服务", "Custom services"),
}
SERVICE_NAMES = {
    "venue_setup": _t("场地布置", "Venue set-up"),
    "sign_in": _t("签到接待", "Sign-in reception"),
    "equipment_rental": _t("设备租赁", "Equipment rental"),
    "projection": _t("投影", "Projection"),
    "tea_break": _t("茶歇", "Tea break"),
    "special_decoration": _t("特殊装饰", "Special decoration"),
    "custom_gifts": _t("定制礼品", "Custom gifts"),
    "special_flows": _t("特殊流程", "Special programme segments"),
}
QUESTIONS = {
    "where": _t("需要备选场地", "Alternative venue needed"),
    "who": _t("需要VIP保护", "VIP protection needed"),
    "how": _t("有定制环节", "Custom programme segments"),
    "how_much": _t("预算可调整", "Budget can be adjusted"),
}
assert set(QUESTIONS) == set(ITEM_QUESTIONS)


def render(revision, language: str = "zh-hans") -> bytes:
    language = "en" if language.startswith("en") else "zh-hans"

    def w(key: str) -> str:
        return WORDS[key][language]

    def c(value: str) -> str:
        return CHOICES[value][language] if value in CHOICES else "—"

    def when(moment) -> str:
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "—"

    def money(amount) -> str:
        return "—" if amount is None else f"{amount:,.2f}"

    project = revision.project
    rulebook = rulebook_for(project)
    name = project.name_en if language == "en" and project.name_en else project.name
    client = project.client.name_en if language == "en" and project.client.name_en else project.client.name
    hours = round(project.duration.total_seconds() / 3600, 1)
    doc = PdfDocument(
        title=w("title"),
        subtitle=f"{name} · {w('revision')} {revision.number}",
        footer=w("footer"),
    )
    doc.heading(w("basic")).key_values(
        [
            (w("client"), client),
            (w("project"), project.code),
            (w("name"), name),
            (w("start"), when(project.start)),
            (w("end"), when(project.end)),
            (w("duration"), f"{hours:g} {w('hours')}"),
            (w("venue"), project.venue_name or "—"),
            (w("address"), project.address or "—"),
            (w("venue_type"), c(project.venue_type)),
            (w("capacity"), str(project.expected_attendees)),
        ]
    )
    rows = []
    for tier in TIERS:
        chosen = [SERVICE_NAMES[key][language] for key, _label in tier.items if key in revision.services]
        separator = "、" if language == "zh-hans" else ", "
        rows.append([TIER_NAMES[tier.key][language], separator.join(chosen) or "—"])
    if revision.custom_services.strip():
        rows.append([w("other"), revision.custom_services])
    doc.heading(w("services")).table(rows, header=[w("tier"), w("items")])

    payment = [(w("fixed_budget"), money(revision.budget)), (w("schedule"), c(revision.payment_schedule))]
    if revision.payment_schedule == "advance_balance":
        payment += [
            (w("advance"), f"{money(revision.advance_amount)} · {revision.advance_due or '—'}"),
            (w("balance"), f"{money(revision.balance_amount)} · {revision.balance_due or '—'}"),
        ]
    payment.append((w("method"), c(revision.payment_method)))
    if revision.refund_window_days is not None and revision.refund_non_refundable_share is not None:
        share = f"{revision.refund_non_refundable_share * 100:g}%"
        refund = w("refund_text").format(days=revision.refund_window_days, share=share)
        payment.append((w("refund"), f"{refund} {revision.refund_notes}".strip()))
    doc.heading(w("budget")).key_values(payment)

    items = {item.key: item for item in revision.items.all()}
    table = []
    for key in FIVE_W_TWO_H:
        item = items.get(key)
        label = localize(rulebook.rule(WEIGHT_RULE.format(key=key)).name.as_dict(), language)
        if item is None:
            table.append([label, "", "0%", ""])
            continue
        text = item.text
        if key in QUESTIONS and item.flag is not None:
            text += f"\n{QUESTIONS[key][language]}: {w('yes') if item.flag else w('no')}"
        if key == "why" and item.purpose:
            text += f"\n{c(item.purpose)}"
        table.append(
            [label, text.strip(), f"{item.completion * 100:.0f}%", w("unclear") if item.unclear else ""]
        )
    completeness = of_revision(revision, rulebook)
    doc.heading(w("5w2h")).table(
        table,
        header=[w("item"), w("content"), w("completion"), w("unclear")],
        widths=[40 * mm, None, 20 * mm, 18 * mm],
    )
    doc.paragraph(f"{w('index')}: {completeness.percent}%")

    doc.heading(w("confirmation"))
    if revision.is_confirmed:
        doc.key_values(
            [
                (w("confirmed_by"), revision.confirmed_by_name),
                (w("confirmed_at"), when(revision.confirmed_at)),
            ]
        )
    else:
        doc.paragraph(w("not_confirmed")).key_values([(w("signature"), "")])
    return doc.render()
