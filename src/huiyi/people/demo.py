"""Demo people records, through the services; dates relative to today.

* A profile for every demo staff member (job title, employee number, Mandarin level, languages) with their
  certifications — 吴磊's electrician's licence expires in three weeks, 王刚's security guard licence expired.
* A year of the training plan: every module's sessions at its cycle (communication monthly, venue and risk
  quarterly, planning and regulations yearly) with attendance and scores; 王刚 missed the last two risk
  management drills and 郑雨 the last two communication workshops, so both are overdue; one fails an
  assessment.
* Peer feedback on 钱浩, and one completed performance review of 钱浩 by 赵敏 for the last quarter
  (submitted and acknowledged).

Needs: the demo organisation (core demo); reads preparation tasks, surveys and incidents if present, so it
goes after them (anywhere after incidents_demo; before closing_demo is fine).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from huiyi.accounts.models import OrgMembership, User

from . import queries, services
from .models import ModuleSession

JOB_TITLES = {
    "project_director": ("项目总监", "HY-0003", "2016-03-01", "1b", "英语(流利)"),
    "project_manager": ("高级项目经理", "HY-0021", "2018-07-16", "2a", "英语(流利)、日语(基础)"),
    "planner": ("会议策划专员", "HY-0035", "2020-04-01", "2a", "英语(良好)"),
    "execution_supervisor": ("会议执行主管", "HY-0042", "2019-09-02", "2a", ""),
    "on_site_director": ("现场总控", "HY-0017", "2017-05-08", "2a", "英语(良好)"),
    "technical_support": ("音视频工程师", "HY-0056", "2021-03-15", "2b", "英语(读写)"),
    "reception": ("礼仪接待主管", "HY-0063", "2022-06-20", "1b", "英语(良好)、韩语(基础)"),
    "security": ("安保主管", "HY-0071", "2020-11-09", "2b", ""),
    "medical": ("驻场医护", "HY-0078", "2021-08-23", "2a", ""),
    "account_manager": ("客户经理", "HY-0029", "2019-02-25", "2a", "英语(流利)"),
    "finance": ("财务主管", "HY-0011", "2015-10-12", "2a", ""),
    "visual_design": ("视觉设计师", "HY-0084", "2022-03-01", "2a", "英语(良好)"),
    "hr": ("人力资源经理", "HY-0007", "2016-01-04", "2a", "英语(良好)"),
    "project_execution": ("项目执行专员", "HY-0090", "2023-07-03", "2a", ""),
    "quality_officer": ("质量管理专员", "HY-0014", "2017-02-13", "2a", "英语(流利)"),
}

# role → (certificate, issuer, number, issued days ago, expires in days or None)
CERTIFICATES = {
    "project_director": [("项目管理专业人士(PMP)", "美国项目管理协会(PMI)", "PMP-3298114", 900, 195)],
    "project_manager": [
        ("会展策划师(高级)", "中国会展经济研究会", "CEC-2021-08817", 1200, None),
        ("项目管理专业人士(PMP)", "美国项目管理协会(PMI)", "PMP-3571126", 700, 395),
    ],
    "planner": [("会展策划师(中级)", "中国会展经济研究会", "CEC-2023-11502", 500, None)],
    "technical_support": [
        ("低压电工作业证", "上海市应急管理局", "T310115199203154215", 2170, 21),
        ("音响调音员(四级)", "上海市人力资源和社会保障局", "2031000400112", 800, None),
    ],
    "security": [("保安员证", "上海市公安局", "沪保20190871", 1900, -12)],
    "medical": [("红十字救护员证", "上海市红十字会", "SHRC-2024-05531", 420, 675)],
    "finance": [("中级会计师", "财政部", "KJ2017310006627", 3000, None)],
    "hr": [("企业人力资源管理师(二级)", "上海市人力资源和社会保障局", "1731000200958", 2000, None)],
    "quality_officer": [("质量管理体系内审员", "中国质量认证中心", "CQC-IA-2022-7781", 1100, 360)],
    "reception": [("会议服务礼仪培训合格证", "上海市会展行业协会", "SCEIA-LY-2023-0315", 600, 130)],
}

TRAINERS = {
    "planning_budget": ("赵敏", "公司 3 楼培训室", "lecture", "年度会议策划与预算编制实务"),
    "venue_equipment": ("吴磊", "上海国际会议中心 B1 设备间", "drill", "场地布置与音视频设备实操"),
    "communication": ("陈静", "公司 3 楼培训室", "role_play", "客户沟通与跨部门协调工作坊"),
    "risk_management": ("周杰", "公司 3 楼培训室", "drill", "突发事件处置与应急预案演练"),
    "regulations": ("韩梅", "线上(企业微信直播)", "online", "会议服务法规与行业动态"),
}

# who skipped which module's most recent sessions (becomes overdue)
SKIPS = {("wang.gang", "risk_management"): 2, ("zheng.yu", "communication"): 2}


def _session_days(cycle_months: int, today: dt.date) -> list[dt.date]:
    """A year of sessions at the module's cycle, the latest a little before today."""
    days = []
    latest = today - dt.timedelta(days=9)
    months = 0
    while months < 12:
        days.append(queries.add_months(latest, -months))
        months += cycle_months
    return sorted(days)


def build(projects, people: dict) -> None:
    if ModuleSession.objects.exists():
        return
    today = timezone.localdate()
    hr = people.get("hr") or User.objects.filter(is_superuser=True).first()
    rng = random.Random(2026)  # noqa: S311 — demo data, not security
    staff = list(queries.staff().order_by("username"))
    roles = {}
    for user_id, key in OrgMembership.objects.values_list("user_id", "role__key"):
        roles.setdefault(user_id, set()).add(key)

    for user in staff:
        keys = roles.get(user.pk, set())
        key = next((k for k in JOB_TITLES if k in keys), None)
        if key is None:
            continue
        title, number, hired, mandarin, languages = JOB_TITLES[key]
        if user.username == "yang.fan":
            number, hired = "HY-0048", "2019-05-06"
        services.update_profile(
            user,
            by=hr,
            job_title=title,
            employee_number=number,
            hired_on=dt.date.fromisoformat(hired),
            mandarin_level=mandarin,
            languages=languages,
            phone=user.phone or f"1380021{user.pk:04d}",
        )
        if user.username == "yang.fan":
            continue
        for name, issuer, cert_no, issued_ago, expires_in in CERTIFICATES.get(key, []):
            services.add_certification(
                user,
                by=hr,
                name=name,
                issuer=issuer,
                number=cert_no,
                issued_on=today - dt.timedelta(days=issued_ago),
                expires_on=None if expires_in is None else today + dt.timedelta(days=expires_in),
            )

    for module in queries.modules():
        trainer, place, method, title = TRAINERS.get(
            module.key, ("韩梅", "公司 3 楼培训室", "lecture", module.name)
        )
        targets = list(queries.target_staff(module).order_by("username"))
        days = _session_days(module.cycle_months, today)
        for index, day in enumerate(days):
            session = services.record_session(
                module=module.key,
                held_on=day,
                trainer=trainer,
                method=method,
                place=place,
                title=title,
                by=hr,
            )
            rows = []
            for user in targets:
                skipped = SKIPS.get((user.username, module.key), 0)
                if index >= len(days) - skipped:
                    continue
                absent = rng.random() < 0.08 and index < len(days) - 1
                score = None
                if not absent:
                    low, high = (64, 79) if rng.random() < 0.04 else (81, 98)
                    score = Decimal(rng.randint(low, high))
                    if (user.username, module.key, index) == ("shen.bo", "venue_equipment", len(days) - 1):
                        score = Decimal(68)
                rows.append({"user": user.pk, "attended": not absent, "score": score})
            services.record_attendance(session, rows, by=hr)

    _feedback_and_review(people, today)


def _feedback_and_review(people: dict, today: dt.date) -> None:
    pm = User.objects.filter(username="qian.hao").first()
    director = people.get("project_director")
    if pm is None or director is None:
        return
    comments = [
        (people.get("planner"), 5, "方案修改沟通及时,分工清楚。"),
        (people.get("on_site_director"), 4, "现场配合顺畅,交接班可再提前一点。"),
        (people.get("account_manager"), 4, "客户需求传达准确。"),
    ]
    for giver, score, comment in comments:
        if giver is not None:
            services.give_feedback(
                pm, by=giver, score=score, comment=comment, given_on=today - dt.timedelta(days=40)
            )
    start, end = queries.period_bounds("quarter", queries.add_months(today, -3))
    review = services.save_review(
        pm,
        by=director,
        period_start=start,
        period_end=end - dt.timedelta(days=1),
        ratings={"skill": 4, "communication": 5, "time": 3, "teamwork": 4, "adaptability": 4},
        overall=4,
        strengths="客户沟通主动,方案确认效率高;带领团队完成多场大型会议。",
        improvements="部分准备任务逾期完成,需提前排期并在任务到期前跟进。",
    )
    services.submit_review(review, by=director)
    services.acknowledge_review(review, by=pm, comment="认可评估结果,下季度重点改进任务排期。")
