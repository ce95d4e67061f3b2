"""Demo intake: inquiries with realistic step timings, requirements lists, confirmations, a discrepancy.

Called by the demo builder after the projects exist and before planning and quality (planning reads the client
budget from the requirements list; it matches the quality demo's CLIENT_BUDGET)::

    from huiyi.projects.intake import demo as intake_demo
    intake_demo.build(list(MeetingProject.objects.order_by("code")), people)

Every in-scope project in phase ≥ 1 gets the inquiry it came from, attached with its four contact steps, and
a requirements list. Projects past phase 1 have a confirmed list; of the phase-1 projects the first has an
item still unclear (its list is sent, not confirmed), the second was confirmed and then one discrepancy was
found while the plan was drafted — so the error rate is measured without failing a phase already closed.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from huiyi.projects.models import MeetingProject
from huiyi.quality.demo import CLIENT_BUDGET

from . import services
from .models import RequirementsRevision

ADVANCE = Decimal("300000.00")
# minutes taken by identify, classify, capability match, next appointment (one capability match runs over)
STEP_MINUTES = [(3, 7, 12, 4), (4, 9, 14, 3), (2, 6, 18, 5), (5, 8, 11, 2)]
# hours after the first contact at which initial survey, plan recommendation, service agreement were done
KEY_STEP_HOURS = [(20, 41, 66), (22, 46, 70), (18, 39, 80), (23, 45, 69)]
CONTACTS = ["王经理", "李女士", "陈主任", "赵秘书长", "周总监", "刘处长"]

ITEMS = {
    "what": ("年度会议:发布新产品线,回顾全年业绩并表彰优秀合作伙伴。", None, ""),
    "when": ("会期 1 天,09:00 签到,17:30 结束;前一晚 19:00–22:00 搭建彩排。", None, ""),
    "where": ("市中心五星级酒店主宴会厅,需同城备选场地一处。", True, ""),
    "who": ("参会约 300 人,含 12 位 VIP(副总裁及以上),需专属通道与休息室。", True, ""),
    "why": ("对外公关宣传,提升品牌影响力。", None, "pr"),
    "how": ("开场视频、颁奖环节、嘉宾对话,需定制灯光秀。", True, ""),
    "how_much": ("预算固定,总额内可在茶歇与物料间调整。", False, ""),
}


def _items(unclear_key: str | None = None) -> dict:
    items = {}
    for key, (text, flag, purpose) in ITEMS.items():
        unclear = key == unclear_key
        items[key] = {
            "text": "VIP 名单及安保级别待客户确认。" if unclear else text,
            "flag": flag,
            "purpose": purpose,
            "completion": Decimal("0.4") if unclear else Decimal("1"),
            "unclear": unclear,
        }
    return items


def _values(project) -> dict:
    start = timezone.localdate(project.start)
    return {
        "services": [
            "venue_setup",
            "sign_in",
            "equipment_rental",
            "projection",
            "tea_break",
            "special_decoration",
        ],
        "custom_services": "颁奖环节定制奖杯 20 座",
        "budget": CLIENT_BUDGET,
        "payment_schedule": RequirementsRevision.PaymentSchedule.ADVANCE_BALANCE,
        "advance_amount": ADVANCE,
        "advance_due": start - timedelta(days=30),
        "balance_amount": CLIENT_BUDGET - ADVANCE,
        "balance_due": start + timedelta(days=15),
        "payment_method": RequirementsRevision.PaymentMethod.TRANSFER,
    }


def _inquiry(project, manager, received, index: int):
    inquiry = services.create_inquiry(
        by=manager,
        client=project.client,
        contact_name=CONTACTS[index % len(CONTACTS)],
        contact_phone=f"138{index:04d}{index * 37 % 10000:04d}",
        channel=["phone", "email", "wechat", "visit"][index % 4],
        summary=f"{project.name}:约 {project.expected_attendees} 人,询问场地、会务全包服务及报价。",
        at=received,
    )
    moment = received
    data = {
        "identify_client": {"credentials_note": "营业执照及统一社会信用代码已核验"},
        "classify_request": {"classification": ["custom", "regular", "urgent", "custom"][index % 4]},
        "capability_match": {"capability_ok": True, "capability_note": "档期与团队可满足"},
        "next_appointment": {
            "next_appointment": received + timedelta(days=1),
            "next_appointment_note": "上门调研",
        },
    }
    for step, minutes in zip(services.CONTACT_STEPS, STEP_MINUTES[index % len(STEP_MINUTES)], strict=True):
        moment += timedelta(minutes=minutes)
        inquiry = services.record_contact_step(inquiry, step, by=manager, at=moment, **data[step])
    return services.attach_inquiry(inquiry, project, by=manager)


def build(projects: list[MeetingProject], people: dict) -> None:
    manager = people.get("account_manager") or next(iter(people.values()))
    now = timezone.now()
    in_scope = [p for p in projects if not p.out_of_scope and p.phase >= 1]
    phase_one = [p for p in in_scope if p.phase == 1]
    for index, project in enumerate(in_scope):
        recent = project.phase == 1
        received = now - timedelta(hours=30) if recent else min(project.start, now) - timedelta(days=75)
        _inquiry(project, manager, received, index)
        hours = KEY_STEP_HOURS[index % len(KEY_STEP_HOURS)]
        done = hours[:1] if recent else hours
        for key, after in zip(services.KEY_STEP_RULES, done, strict=False):
            services.complete_key_step(project, key, at=received + timedelta(hours=after), by=manager)
        unclear = "who" if recent and project == phase_one[0] else None
        revision = services.save_requirements(
            project, by=manager, values=_values(project), items=_items(unclear)
        )
        if unclear:
            services.send_for_confirmation(revision, by=manager, recipient=CONTACTS[index % len(CONTACTS)])
            continue
        if recent and project != phase_one[min(1, len(phase_one) - 1)]:
            continue
        _link, token = services.send_for_confirmation(revision, by=manager)
        services.confirm_requirements(token, name=CONTACTS[index % len(CONTACTS)], address="198.51.100.23")
        confirmed_at = received + timedelta(hours=hours[0] + 6)
        # The demo's history happened weeks ago: the confirmation is dated when it would have been made.
        RequirementsRevision.objects.filter(pk=revision.pk).update(confirmed_at=confirmed_at)
        if recent:
            services.record_discrepancy(
                project,
                item="who",
                description="VIP 实际 14 位,清单记录 12 位;方案编制时发现。",
                by=manager,
                found_at=max(now, confirmed_at + timedelta(hours=1)),
            )
