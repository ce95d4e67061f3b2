"""Demo incidents through the services, every time computed from the project's start.

* HY-2026-105 (the meeting day): the board room's projector fails about 40 minutes in. The on-site director
  is paged and does not acknowledge in time, so the page escalates to the host; the director then
  acknowledges late, the chain relays on, the director diagnoses within the rulebook's 5 minutes, the backup
  projector takes over, information goes out over the PA, the incident is resolved and closed: the report
  PDF is available and the review of the equipment-failure plan is open.
* HY-2026-096 (finished): a fire-evacuation drill on its first afternoon, with its evaluation.

Depends on the resources demo (the projector booked for the meeting) and on the core demo's people.
"""

from datetime import timedelta

from huiyi.accounts.models import Role
from huiyi.projects import services as project_services
from huiyi.projects.models import MeetingProject

from . import services
from .models import ChainStep, Incident


def build(projects: list[MeetingProject], people: dict) -> None:
    services.ensure_default_plans()
    by_code = {project.code: project for project in projects}
    meeting_day = by_code.get("HY-2026-105")
    if meeting_day is not None:
        _projector_failure(meeting_day, people)
    finished = by_code.get("HY-2026-096")
    if finished is not None:
        _fire_drill(finished, people)


def _with_security(project, people):
    guard = people.get("security")
    if guard is not None:
        project_services.add_member(project, guard, Role.objects.get(key="security"))


def _ack(incident, position, by, at):
    step = incident.chain.get(position=position)
    if step.state in (ChainStep.State.PAGED, ChainStep.State.ESCALATED):
        services.acknowledge(step, by=by, now=at)


def _projector_failure(project, people) -> None:
    if Incident.objects.filter(project=project, is_drill=False).exists():
        return
    _with_security(project, people)
    director = people["on_site_director"]
    tech = people["technical_support"]
    reporter = people.get("reception") or tech
    project_services.add_member(project, reporter, Role.objects.get(key="reception"))
    projector = (
        project.bookings.filter(kind="equipment", equipment__category="projector")
        .select_related("equipment")
        .order_by("pk")
        .first()
    )
    start = project.start
    reported = start + timedelta(minutes=40)
    incident = services.report_incident(
        project,
        by=reporter,
        type="equipment_failure",
        place=project.venue_name or "20 楼会议室",
        impact="主投影仪突然黑屏，董事会财务报告环节暂停",
        occurred_at=reported - timedelta(minutes=1),
        meeting_interrupted=True,
        equipment=projector.equipment if projector else None,
        now=reported,
    )
    first = incident.chain.get(position=1)
    # The director is on the phone with the chairman's office and misses the page: it escalates.
    services.check_timers(now=first.ack_due + timedelta(seconds=5))
    late = first.ack_due + timedelta(seconds=35)
    _ack(incident, 1, director, late)
    # The host's principal confirmed by phone; the director records it, then the chain relays on.
    host = incident.chain.filter(role="host_principal").first()
    if host is not None and host.state == ChainStep.State.PAGED:
        services.acknowledge(host, by=director, now=late + timedelta(seconds=15))
    services.record_action(
        incident, by=tech, message="已切换至备用激光投影仪，画面恢复中", now=late + timedelta(seconds=20)
    )
    moment = late + timedelta(minutes=1)
    for step in incident.chain.order_by("position"):
        step.refresh_from_db()
        if step.state == ChainStep.State.PAGED and step.user is not None:
            moment += timedelta(seconds=30)
            services.acknowledge(step, by=step.user, now=moment)
    services.set_level(incident, level="II", by=director, now=reported + timedelta(minutes=3))
    services.stop_clock(
        incident,
        "diagnosis",
        by=director,
        note="主投影仪光源模组过热保护，需返厂检测",
        now=reported + timedelta(minutes=4),
    )
    for index, task in enumerate(incident.tasks.order_by("position")):
        services.tick_task(task, by=tech, now=reported + timedelta(minutes=2 + 2 * index))
    services.release_information(
        incident,
        by=director,
        channel="broadcast",
        facts="会场主投影设备出现故障，已启用备用设备",
        measures="技术人员已完成设备切换",
        progress="会议将于 5 分钟后继续财务报告环节",
        notes="请各位董事留在座位，无需离场",
        now=reported + timedelta(minutes=6),
    )
    services.resolve(
        incident,
        by=director,
        resolution="备用投影仪接管，画面与音频恢复正常；故障机已下线送检",
        now=reported + timedelta(minutes=12),
    )
    services.close_incident(
        incident,
        by=director,
        lessons="备用投影仪应在会前开机预热；现场总控手机应设为应急来电优先",
        now=reported + timedelta(minutes=30),
    )


def _fire_drill(project, people) -> None:
    if project.drills.exists():
        return
    director = people["on_site_director"]
    _with_security(project, people)
    team = [member.user for member in project.members.select_related("user")]
    at = project.start + timedelta(hours=5)
    drill = services.plan_drill(
        project,
        by=director,
        scenario_type="fire",
        scheduled_at=at,
        participants=team,
        scenario="午休时段模拟茶歇区电器起火，全员按疏散路线撤离至南广场集合点",
        place=project.venue_name,
        resources="灭火器 4 具、应急照明、疏散指示牌、对讲机 6 部",
    )
    incident = services.run_drill(drill, by=director, now=at)
    moment = at
    for step in incident.chain.order_by("position"):
        step.refresh_from_db()
        if step.state == ChainStep.State.PAGED and step.user is not None:
            moment += timedelta(seconds=40)
            services.acknowledge(step, by=step.user, now=moment)
        elif step.state == ChainStep.State.PAGED:
            moment += timedelta(seconds=50)
            services.acknowledge(step, by=director, now=moment)
    for index, task in enumerate(incident.tasks.order_by("position")):
        services.tick_task(task, by=director, now=at + timedelta(minutes=1 + index))
    services.record_action(
        incident, by=director, message="南广场清点 76 人，与签到人数一致", now=at + timedelta(minutes=7)
    )
    services.set_level(incident, level=incident.level, by=director, now=at + timedelta(minutes=2))
    services.resolve(
        incident, by=director, resolution="演练结束，全员返回会场", now=at + timedelta(minutes=12)
    )
    services.evaluate_drill(
        drill,
        by=director,
        findings="疏散用时 7 分钟，人数清点准确；联络链各环节在 1 分钟内确认，东侧楼梯指示牌需补充",
    )
