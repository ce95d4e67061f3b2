"""Demo inspections, through the services (issue 5, "Done when": a filled equipment check with one failure
that opened a nonconformance).

The meeting-day project ``HY-2026-105`` (the board meeting running today) gets: set-up complete 2 h 20 min
before the start (06:40 for a 09:00 start), a morning round in the board room with every item of the sheet —
the relative humidity at 68 % fails and opens its nonconformance, and is measured again at 55 % after the
fresh-air unit was switched to dehumidifying (a correction with its reason) — and the team's roll-call, the
reception member in place only 3 minutes before the start (REQ-PPL-04 fails). The reception member is added
to the meeting's team for the day. A past meeting gets its tear-down times.

Times are relative to each project's start; a record whose time has not come yet when the demo is built is
left out (the demo never shows the future as done).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from huiyi.accounts.models import Role
from huiyi.projects import services as projects
from huiyi.rulebook.services import rulebook_for

from . import items as sheet
from . import queries, services
from .models import SiteMilestone

MEETING_DAY = "HY-2026-105"
PAST_MEETING = "HY-2026-096"
BOARD_ROOM = "20 楼董事会会议室"

#: What the technician measured in the board room (metric → reading); the humidity is the failure.
MORNING_READINGS = {
    "sound_no_noise_or_dropout": "yes",
    "volume_db": Decimal("88"),
    "signal_to_noise_db": Decimal("52"),
    "projector_resolution_vertical": Decimal("1200"),
    "projector_brightness_lm": Decimal("5200"),
    "projector_in_focus": "yes",
    "wired_bandwidth_mbps": Decimal("940"),
    "wifi_signal_dbm": Decimal("-58"),
    "illuminance_lux": Decimal("620"),
    "colour_temperature_k": Decimal("4500"),
    "room_temperature_c": Decimal("22.5"),
    "room_relative_humidity": Decimal("68"),
    "air_changes_per_hour": Decimal("6"),
    "co2_ppm": Decimal("620"),
}
CORRECTED_HUMIDITY = Decimal("55")

#: Roll-call: role key → minutes before the start the person was in place.
ARRIVALS = {
    "technical_support": 160,
    "on_site_director": 150,
    "project_manager": 100,
    "planner": 80,
    "account_manager": 50,
    "reception": 3,
}


def _find(projects, code):
    return next((p for p in projects if p.code == code), None)


def _device(project, item: sheet.Item):
    devices = queries.devices_for(project, item.section.categories)
    return devices[0].pk if devices else None


def _meeting_day(project, people: dict) -> None:
    director, tech = people.get("on_site_director"), people.get("technical_support")
    if director is None or tech is None:
        return
    now = timezone.now()
    start = project.start
    reception = people.get("reception")
    if reception is not None:
        projects.add_member(project, reception, Role.objects.get(key="reception"))

    setup_at = start - timedelta(hours=2, minutes=20)
    if setup_at <= now:
        services.record_milestone(
            project,
            milestone=SiteMilestone.Milestone.SETUP_DONE,
            by=director,
            at=setup_at,
            note="桌椅按董事会布局摆放完毕，席卡、指引牌到位，投影与话筒已测试。",
        )

    held_at = start - timedelta(hours=1, minutes=30)
    if held_at <= now:
        rulebook = rulebook_for(project)
        readings = []
        for item in sheet.items_for(rulebook, main_hall=True):
            value = MORNING_READINGS.get(item.rule.metric)
            if value is not None:
                readings.append({"rule": item.id, "value": value, "equipment": _device(project, item)})
        round_ = services.record_round(
            project,
            by=tech,
            room_name=BOARD_ROOM,
            is_main_hall=True,
            held_at=held_at,
            readings=readings,
            note="会前设备与环境检查（早班）",
        )
        humidity = round_.readings.filter(metric="room_relative_humidity").first()
        remeasured_at = start - timedelta(minutes=55)
        if humidity is not None and remeasured_at <= now:
            services.correct_reading(
                humidity,
                by=tech,
                value=CORRECTED_HUMIDITY,
                reason="新风机组切换至除湿模式 40 分钟后复测",
                measured_at=remeasured_at,
            )
            services.complete_round(round_, by=tech)

    members = {m.role.key: m.user for m in project.members.select_related("user", "role")}
    for role_key, minutes in ARRIVALS.items():
        person = members.get(role_key)
        at = start - timedelta(minutes=minutes)
        if person is None or at > now:
            continue
        # the director checks the team in; the project manager checks the director in
        lead = members.get("project_manager") if person == director else director
        if lead is not None and lead != person:
            services.check_in(project, user=person, by=lead, at=at)


def _past_meeting(project, people: dict) -> None:
    director = people.get("on_site_director")
    if director is None or not project.members.filter(user=director).exists():
        return
    for milestone, at in (
        (SiteMilestone.Milestone.SETUP_DONE, project.start - timedelta(hours=3)),
        (SiteMilestone.Milestone.EQUIPMENT_RECOVERED, project.end + timedelta(minutes=40)),
        (SiteMilestone.Milestone.VENUE_RESTORED, project.end + timedelta(hours=1, minutes=30)),
    ):
        services.record_milestone(project, milestone=milestone, by=director, at=at)


def build(projects: list, people: dict) -> None:
    """Inspections, set-up/tear-down and roll-call of the meeting-day project; tear-down of a past one."""
    meeting_day = _find(projects, MEETING_DAY)
    if meeting_day is not None:
        _meeting_day(meeting_day, people)
    past = _find(projects, PAST_MEETING)
    if past is not None and past.end <= timezone.now():
        _past_meeting(past, people)
