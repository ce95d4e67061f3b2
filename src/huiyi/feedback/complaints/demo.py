"""Demo complaints on the finished meetings, through the services, times computed from each meeting's end.

* HY-2026-092 (dealer meeting, ~16 days ago): a serious complaint whose first-response target was missed; the
  breach check, run at the times it would have run, escalates it to the project manager and then the project
  director; it is answered late, resolved within its resolution target, confirmed by the client, and raises a
  nonconformance.
* HY-2026-096 (executive training, ~8 days ago): a normal complaint answered and resolved in time, with a
  pause while waiting for the client's photos, closed with the client's confirmation and a nonconformance
  raised.

Needs: projects (core demo) and their team; nothing from other feedback apps.
"""

from datetime import timedelta

from huiyi.projects.models import MeetingProject

from . import services


def _by_code(projects, code):
    return next((p for p in projects if p.code == code), None)


def _client_contact(project) -> str:
    contact = project.client.contacts.filter(is_primary=True).first() or project.client.contacts.first()
    return contact.name if contact else ""


def _role(project, key, fallback):
    member = project.members.filter(role__key=key).select_related("user").order_by("pk").first()
    return member.user if member else fallback


def build(projects: list[MeetingProject], people: dict) -> None:
    _serious_breached(_by_code(projects, "HY-2026-092"), people)
    _resolved_in_time(_by_code(projects, "HY-2026-096"), people)


def _serious_breached(project, people) -> None:
    if project is None:
        return
    am = _role(project, "account_manager", people.get("account_manager"))
    pm = _role(project, "project_manager", people.get("project_manager"))
    received = project.end + timedelta(hours=15)
    complaint = services.create_complaint(
        project,
        channel="phone",
        severity="serious",
        content=(
            "会后第二天返程大巴未按约定时间到酒店，三十多位经销商在大堂等候一个多小时，"
            "部分人员错过高铁，客户对此非常不满，要求书面说明并赔偿改签费用。"
        ),
        complainant_name="王建国",
        complainant_contact="13900000092",
        received_at=received,
        by=am,
        now=received,
    )
    # The background check as it ran that morning: the first response was not given in time.
    services.check_breaches(now=received + timedelta(hours=2, minutes=30))
    services.check_breaches(now=received + timedelta(hours=4, minutes=10))
    services.acknowledge(
        complaint,
        by=am,
        note="已致电王总致歉，说明正在核实车队调度情况。",
        now=received + timedelta(hours=4, minutes=30),
    )
    services.start_work(complaint, by=pm, now=received + timedelta(hours=5))
    services.raise_nonconformance(complaint, by=pm, now=received + timedelta(hours=6))
    services.resolve(
        complaint,
        by=pm,
        resolution="车队调度单写错发车日期。已全额承担改签费用，向客户发送书面致歉函；调度单改为双人复核。",
        now=received + timedelta(hours=20),
    )
    services.close(
        complaint,
        by=pm,
        confirmed_by_name=_client_contact(project) or "王建国",
        confirmation_method="written",
        confirmed_at=received + timedelta(hours=26),
        now=received + timedelta(hours=27),
    )


def _resolved_in_time(project, people) -> None:
    if project is None:
        return
    am = _role(project, "account_manager", people.get("account_manager"))
    pm = _role(project, "project_manager", people.get("project_manager"))
    received = project.end + timedelta(hours=16)
    complaint = services.create_complaint(
        project,
        channel="email",
        severity="normal",
        content="第二天下午课程的同声传译耳机有杂音，后排学员反映听不清，希望查明原因。",
        complainant_name="李老师",
        complainant_contact="li.teacher@zju.example",
        received_at=received,
        by=am,
        now=received,
    )
    services.acknowledge(
        complaint, by=am, note="已回复邮件，确认收到并安排技术核查。", now=received + timedelta(minutes=40)
    )
    services.start_work(complaint, by=am, now=received + timedelta(hours=1))
    services.pause(
        complaint, by=am, reason="请客户提供出现杂音的座位区域照片", now=received + timedelta(hours=2)
    )
    services.resume(complaint, by=am, note="客户已发来照片：后排 12–15 排", now=received + timedelta(hours=5))
    services.resolve(
        complaint,
        by=am,
        resolution="后排两台接收机频道干扰；已更换接收机并调整发射频道，向学员说明原因。",
        now=received + timedelta(hours=26),
    )
    services.raise_nonconformance(complaint, by=pm, now=received + timedelta(hours=27))
    services.close(
        complaint,
        by=pm,
        confirmed_by_name=_client_contact(project) or "李老师",
        confirmation_method="email",
        confirmed_at=received + timedelta(hours=28),
        now=received + timedelta(hours=29),
    )
