"""Demo records of the live agenda on the meeting-day project HY-2026-105, through the services.

The agenda starts at the project's start (the core demo starts the meeting three hours before it is built).
Actual times are only recorded where they lie in the past when the demo is built: the demo never shows a tap
that has not happened yet. Three hours in, it shows the morning run: a late opening and a chairman's report
that over-ran beyond ±3 min, an 18-minute tea break, a progress report two hours in, partly ticked photo
coverage, two satisfaction scores and the minutes owner.
"""

from datetime import timedelta

from django.utils import timezone

from huiyi.projects.models import MeetingProject

from . import services
from .models import CoverageItem

CODE = "HY-2026-105"

#: (kind, title, speaker, planned minutes from the start, planned length in minutes)
AGENDA = [
    ("opening", "开幕致辞", "董事会秘书 周敏", 0, 10),
    ("speech", "董事长报告", "董事长 陈立群", 10, 30),
    ("speech", "财务报告", "财务总监 刘洋", 40, 30),
    ("tea_break", "茶歇", "", 70, 20),
    ("speech", "议案审议", "董事会秘书 周敏", 90, 60),
    ("qa", "问答", "全体董事", 150, 20),
    ("other", "表决", "监票人 孙涛", 170, 20),
    ("closing", "闭幕", "董事长 陈立群", 190, 10),
]
#: How the first items actually ran: (minutes late at the start, minutes late at the end). The chairman's
#: report over-runs by 6 minutes (beyond ±3); the tea break, 18 minutes, wins two of them back; the
#: deliberation is under way when the demo is built during it.
RUN = [(2, 3), (3, 9), (9, 8), (8, 6), (6, None)]


def build(projects: list[MeetingProject], people: dict) -> None:
    project = next((p for p in projects if p.code == CODE), None)
    if project is None:
        return
    director = people.get("on_site_director")
    team = [m.user for m in project.members.select_related("user").order_by("pk")]
    if director is None or director not in team:
        director = team[0] if team else None
    if director is None:
        return
    now = timezone.now()
    start = project.start
    items = [
        services.create_item(
            project,
            kind=kind,
            title=title,
            speaker=speaker,
            room_text=project.venue_name,
            planned_start=start + timedelta(minutes=offset),
            planned_end=start + timedelta(minutes=offset + length),
            created_by=director,
        )
        for kind, title, speaker, offset, length in AGENDA
    ]
    for item, (late_start, late_end) in zip(items, RUN, strict=False):
        began = item.planned_start + timedelta(minutes=late_start)
        if began > now or (late_end is None and item.planned_end <= now):
            break
        services.start_item(item, by=director, at=began)
        if late_end is None:
            break
        ended = item.planned_end + timedelta(minutes=late_end)
        if ended > now:
            break
        item.refresh_from_db()
        services.end_item(item, by=director, at=ended)

    planner = people.get("planner")
    services.set_minutes_owner(project, by=director, minutes_owner=planner if planner in team else director)

    report_time = start + timedelta(hours=2)
    if report_time <= now:
        services.create_progress_report(
            project,
            reporter=director,
            status="at_risk",
            issues="董事长报告超时 6 分钟，议程整体后移约 8 分钟；投影仪一次短暂黑屏。",
            solutions="茶歇压缩至 18 分钟，议案审议环节由主持人控制发言时间；投影线缆已更换。",
            owner="现场总控、技术支持",
            resolved_at=report_time - timedelta(minutes=20),
            client_feedback="董秘表示整体满意，希望下午准时结束。",
            satisfaction=88,
            reported_at=report_time,
        )

    services.generate_coverage(project, by=director)
    services.add_coverage_item(
        project, kind=CoverageItem.Kind.GROUP_PHOTO, title="全体董事合影", created_by=director
    )
    photographer = people.get("technical_support") or director
    for moment in project.coverage_items.select_related("agenda_item").order_by("pk"):
        agenda_item = moment.agenda_item
        if agenda_item is not None and agenda_item.actual_end is not None and agenda_item.actual_end <= now:
            services.tick_coverage(
                moment,
                by=photographer,
                note="主机位全程录像，另拍照片 40 张",
                at=agenda_item.actual_end,
            )

    if project.live_agenda_items.filter(actual_end__isnull=False).exists():
        reception = people.get("reception") or director
        services.add_satisfaction(
            project, score=92, respondent="host", respondent_name="董事会秘书 周敏", created_by=reception
        )
        services.add_satisfaction(
            project, score=84, respondent="attendee", note="茶歇时间略短", created_by=reception
        )
