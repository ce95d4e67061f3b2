"""Demo preparedness records, through the services (after the planning demo: it imports HY-2026-103's risks).

* HY-2026-105 (the meeting running now): every emergency resource checked before the start; the contacts
  posted at the venue and sent to all staff before the start;
* a risk register of about eight risks — HY-2026-103's plan risks imported and assessed, two of HY-2026-105,
  three organisation-wide (one review overdue) — so the heat map shows spread;
* the support hotline, and one webhook channel configured but inactive (example.invalid: no network).
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from huiyi.core.models import ChannelConfig

from . import services
from .models import ContactSheet, EmergencyResource

MEETING_DAY = "HY-2026-105"
CONGRESS = "HY-2026-103"

RESOURCES = {
    "first_aid_kit": (2, "20 楼前台、会议室后门各一"),
    "fire_equipment": (6, "20 楼东西消防通道（灭火器 4、消防栓 2）"),
    "emergency_lighting": (4, "会议室四角及走廊"),
    "communications": (8, "对讲机 8 台，现场总控处充电"),
    "evacuation_signs": (5, "各出口及电梯厅"),
}

# (title, type, likelihood, impact, prevention, trigger)
MEETING_DAY_RISKS = [
    (
        "会议室断电或投影失灵",
        "equipment",
        2,
        4,
        "会前联调；备用投影与 UPS 就位；技术支持全程驻场。",
        "主屏黑屏或断电超过 1 分钟",
    ),
    (
        "董事到场延误",
        "attendance",
        2,
        2,
        "前一天确认行程并安排专车；议程预留 15 分钟缓冲。",
        "开场前 10 分钟仍有董事未到",
    ),
]
CONGRESS_ASSESSMENT = {
    "设备故障": (4, 5, "同传或主屏中断超过 30 秒"),
    "参会者迟到": (4, 2, "开幕前 30 分钟签到率低于 60 %"),
    "恶劣天气": (3, 4, "气象台发布暴雨或台风黄色及以上预警"),
}
ORGANISATION_RISKS = [
    (
        "关键供应商临时违约",
        "supplier",
        2,
        4,
        "重要物料与设备签备选供应商；合同约定违约责任。",
        "供应商在会前 48 小时内无法履约",
        90,
    ),
    ("汛期暴雨影响出行", "weather", 3, 3, "汛期会议预案中列明改期与线上参会方案。", "发布暴雨橙色预警", 60),
    (
        "会议资料泄密",
        "information",
        1,
        4,
        "按密级管理资料，发放登记，会后回收。",
        "发现资料外泄或被拍摄传播",
        -10,
    ),
]


def _find(projects, code):
    return next((p for p in projects if p.code == code), None)


def build(projects: list, people: dict) -> None:
    director = people.get("on_site_director") or next(iter(people.values()))
    manager = people.get("project_manager") or director
    guard = people.get("security") or director
    quality = people.get("quality_officer") or manager

    services.update_support_desk(
        hotline="400-820-1234",
        after_hours_phone="021-5080 1234",
        email="support@huiyi.example",
        note="会议当天技术支持 7:30 起在岗。",
        by=manager,
    )

    day = _find(projects, MEETING_DAY)
    if day is not None:
        _meeting_day(day, director, guard, people)

    congress = _find(projects, CONGRESS)
    if congress is not None:
        created, _skipped = services.import_plan_risks(congress, by=people.get("planner") or manager)
        for risk in created:
            assessment = CONGRESS_ASSESSMENT.get(risk.title)
            if assessment:
                likelihood, impact, trigger = assessment
                services.update_risk(
                    risk,
                    likelihood=likelihood,
                    impact=impact,
                    trigger=trigger,
                    review_date=timezone.localdate() + timedelta(days=14),
                    by=manager,
                )

    for title, kind, likelihood, impact, prevention, trigger, review_in_days in ORGANISATION_RISKS:
        services.create_risk(
            title=title,
            type=kind,
            likelihood=likelihood,
            impact=impact,
            prevention=prevention,
            trigger=trigger,
            owner=quality,
            review_date=timezone.localdate() + timedelta(days=review_in_days),
            by=quality,
        )

    if not ChannelConfig.objects.filter(name="企业微信值班群").exists():
        services.save_channel(
            name="企业微信值班群",
            url="https://example.invalid/cgi-bin/webhook/send?key=demo",
            payload_format=ChannelConfig.Format.WECOM,
            kinds=["incident", "emergency_contacts"],
            active=False,
            by=manager,
        )


def _meeting_day(project, director, guard, people) -> None:
    before_start = project.start - timedelta(hours=1)
    for key, (quantity, location) in RESOURCES.items():
        services.check_resource(project, resource=key, quantity=quantity, location=location, by=guard)
    # checked on the morning, an hour before the start (the demo is built while the meeting runs)
    EmergencyResource.objects.filter(project=project).update(
        checked_at=before_start, first_checked_at=before_start
    )

    contacts = [
        ("现场总控", str(director), director.phone or "139 1600 2001"),
        ("主办方联络人（行政总监）", "刘洋", "138 0000 0001"),
        ("大楼安保中心", "浦江科技总部物业", "021-5080 6110"),
        ("医疗应急", str(people.get("medical") or "冯燕"), "139 1600 2009"),
        ("技术支持", str(people.get("technical_support") or "吴磊"), "139 1600 2006"),
        ("急救 / 火警 / 报警", "120 / 119 / 110", "120"),
    ]
    for role, name, phone in contacts:
        services.add_contact(project, role=role, name=name, phone=phone, by=director)
    services.mark_contacts_posted(project, by=director)
    services.send_contacts_to_staff(project, by=director)
    ContactSheet.objects.filter(project=project).update(
        changed_at=before_start - timedelta(minutes=20),
        posted_at=before_start - timedelta(minutes=10),
        sent_at=before_start - timedelta(minutes=5),
    )

    for title, kind, likelihood, impact, prevention, trigger in MEETING_DAY_RISKS:
        services.create_risk(
            project=project,
            title=title,
            type=kind,
            likelihood=likelihood,
            impact=impact,
            prevention=prevention,
            trigger=trigger,
            owner=director,
            review_date=timezone.localdate() + timedelta(days=1),
            by=director,
        )
