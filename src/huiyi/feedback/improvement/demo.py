"""Demo records of the improvement loop, added through the services.

* HY-2026-081 (foreign-trade forum, phase IMPROVEMENT, ended ~55 days ago): a completed feedback analysis
  with five issues (found on the spot and reported by the client, one from an on-site inspection's
  nonconformance), the strengths and weaknesses table, and four improvement actions — two done with their
  effect evaluated within the rulebook's allowance, one in progress, one overdue.
* HY-2026-096 (ZJU executive training, phase EVALUATION, ended ~8 days ago): an analysis in progress with
  three issues and two actions (one planned, one in progress).
* The quarterly improvement report of HY-2026-081's unit for the previous quarter, submitted.

Every time is computed from the projects' own start and end. Depends on the projects and their members only
(it opens its own nonconformance through ``quality.services``); run it after ``quality.demo``.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from huiyi.quality import services as quality

from . import queries, services
from .models import QuarterlyReport

FORUM = "HY-2026-081"
TRAINING = "HY-2026-096"


def _pick(project, people: dict, *roles):
    """A member of the project holding one of ``roles`` (first match), else the first such demo person."""
    for role in roles:
        member = project.members.filter(role__key=role).select_related("user").first()
        if member is not None:
            return member.user
    for role in roles:
        if people.get(role) is not None:
            return people[role]
    return project.members.select_related("user").first().user


def build(projects, people) -> None:
    by_code = {p.code: p for p in projects}
    if FORUM in by_code:
        _forum(by_code[FORUM], people)
    if TRAINING in by_code:
        _training(by_code[TRAINING], people)


def _forum(project, people) -> None:
    if queries.analysis_of(project) is not None:
        return
    pm = _pick(project, people, "project_manager")
    director = _pick(project, people, "on_site_director", "project_manager")
    tech = _pick(project, people, "technical_support", "project_manager")
    account = _pick(project, people, "account_manager", "project_manager")
    quality_officer = people.get("quality_officer") or pm
    end = project.end

    nc = quality.open_nonconformance(
        project,
        source="inspection",
        description={
            "zh-hans": "1号厅下午场室温 26.5 ℃，高于舒适范围，空调调节滞后约 20 分钟",
            "en": "Hall 1 at 26.5 °C in the afternoon, above the comfort range; "
            "air conditioning reacted ~20 min late",
        },
        by=director,
    )
    analysis = services.analysis_for(project, by=pm)
    issues = [
        services.add_issue(
            analysis,
            source="nonconformance",
            category="venue",
            description="下午场 1 号厅温度偏高，空调响应滞后（巡检发现）",
            nonconformance=nc,
            by=pm,
        ),
        services.add_issue(
            analysis,
            source="on_site",
            category="reception",
            description="8:30–8:50 签到高峰排队约 12 分钟，两个签到台不足",
            by=director,
        ),
        services.add_issue(
            analysis,
            source="on_site",
            category="technical",
            description="圆桌对话环节 2 号无线话筒断音两次，备用话筒更换用时 3 分钟",
            by=tech,
        ),
        services.add_issue(
            analysis,
            source="client",
            category="communication",
            description="客户反映会后资料（演讲 PPT 汇编）第 5 个工作日才发出，希望 2 个工作日内发送",
            by=account,
        ),
        services.add_issue(
            analysis,
            source="survey",
            category="catering",
            description="满意度问卷中 11 位参会者反映午餐清真/素食选项不足",
            by=account,
        ),
    ]
    for dimension, strength, weakness, cause in [
        ("content", "嘉宾层次高，政策解读环节评价最好", "圆桌对话超时 9 分钟", "主持人未按计时提示收尾"),
        ("reception", "胸牌、资料袋一次发放无差错", "签到高峰排队过长", "按 240 人只设两个签到台，未分流"),
        ("technical", "同传与直播全程稳定", "无线话筒断音", "话筒电池未在茶歇时统一更换"),
        ("venue", "场地布置与方案一致，客户满意", "下午场温度偏高", "空调温度未随人数变化提前调节"),
        ("catering", "茶歇补充及时", "特殊饮食选项不足", "报名表未收集饮食禁忌"),
    ]:
        services.add_line(
            analysis, dimension=dimension, strength=strength, weakness=weakness, cause=cause, by=pm
        )
    services.complete_analysis(
        analysis,
        summary="会议整体顺利，客户对内容与技术保障评价高；签到分流、设备巡检与资料发送时效需改进。",
        by=pm,
    )

    today = timezone.localdate()
    plan = [
        (
            issues[1],
            "签到高峰排队约 12 分钟",
            "按每 80 人 1 个签到台配置，并开放二维码自助签到通道",
            "高峰排队不超过 5 分钟",
            "reception",
            director,
            end + timedelta(days=14),
            "SOP-现场-03 签到台配置标准",
        ),
        (
            issues[0],
            "下午场会场温度偏高",
            "空调温度按到场人数提前 30 分钟调节，巡检每小时记录一次各厅温度",
            "会场温度全程在舒适范围内",
            "venue",
            tech,
            end + timedelta(days=10),
            "SOP-场地-05 会场环境巡检",
        ),
        (
            issues[3],
            "会后资料发送不及时",
            "会前与嘉宾约定 PPT 授权，会后 2 个工作日内汇编发送",
            "资料在会后 2 个工作日内送达客户",
            "communication",
            account,
            today + timedelta(days=20),
            "",
        ),
        (
            issues[4],
            "特殊饮食选项不足",
            "报名表增加饮食禁忌项，餐饮方案按统计预留清真、素食餐",
            "特殊饮食需求满足率 100%",
            "catering",
            pm,
            today - timedelta(days=6),
            "",
        ),
    ]
    created = []
    for issue, problem, action, effect, category, owner, deadline, procedure in plan:
        created.append(
            services.create_action(
                project,
                problem=problem,
                action=action,
                owner=owner,
                deadline=deadline if not isinstance(deadline, datetime) else timezone.localdate(deadline),
                expected_effect=effect,
                category=category,
                issues=[issue],
                nonconformances=[nc] if issue is issues[0] else [],
                procedure_changed=procedure,
                by=pm,
            )
        )
    checkin, temperature, documents, _catering = created
    for item, days_done, note, effect in [
        (checkin, 9, "某峰会按新标准配置 3 个签到台 + 自助通道，高峰排队 4 分钟", "achieved"),
        (temperature, 6, "随后两场会议各厅温度记录均在舒适范围内", "achieved"),
    ]:
        started = end + timedelta(days=2)
        done = end + timedelta(days=days_done)
        services.start_action(item, by=item.owner, at=started)
        services.complete_action(item, result=item.action, by=item.owner, at=done)
        services.evaluate_effect(
            item, effect=effect, note=note, by=quality_officer, at=done + timedelta(days=21)
        )
    services.start_action(documents, by=documents.owner, at=end + timedelta(days=5))
    # the catering action stays planned past its deadline: overdue

    _quarterly_report(project, quality_officer)


def _quarterly_report(project, owner) -> None:
    today = timezone.localdate()
    year, quarter = queries.quarter_of(today)
    year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    if QuarterlyReport.objects.filter(org_unit=project.org_unit, year=year, quarter=quarter).exists():
        return
    _, last_day = queries.quarter_bounds(year, quarter)
    report = services.save_report(
        org_unit=project.org_unit,
        year=year,
        quarter=quarter,
        owner=owner,
        content=(
            "本季度完成会议 6 场，改进措施 9 项，完成 7 项。"
            "重点：签到分流标准化、会场环境巡检增加温度记录；"
            "未完成 2 项（资料发送时效、特殊饮食）转入下季度跟踪。"
        ),
        by=owner,
    )
    submitted = timezone.make_aware(datetime.combine(last_day + timedelta(days=5), time(10)))
    services.submit_report(report, by=owner, at=min(submitted, timezone.now()))


def _training(project, people) -> None:
    if queries.analysis_of(project) is not None:
        return
    pm = _pick(project, people, "project_manager")
    director = _pick(project, people, "on_site_director", "project_manager")
    account = _pick(project, people, "account_manager", "project_manager")
    analysis = services.analysis_for(project, by=pm)
    late = services.add_issue(
        analysis,
        source="on_site",
        category="accommodation",
        description="第二天早上接驳大巴晚到 15 分钟，首节课推迟开始",
        by=director,
    )
    services.add_issue(
        analysis,
        source="client",
        category="content",
        description="学院反馈案例研讨分组过大（每组 16 人），讨论不充分",
        by=account,
    )
    services.add_issue(
        analysis,
        source="survey",
        category="materials",
        description="问卷中多人希望提前一天拿到电子版讲义",
        by=account,
    )
    services.add_line(
        analysis,
        dimension="accommodation",
        strength="酒店安排与报名信息一致",
        weakness="接驳大巴晚到",
        cause="车队未按早高峰预留路程时间",
        by=pm,
    )
    bus = services.create_action(
        project,
        problem="接驳大巴晚到 15 分钟",
        action="与车队签订准点条款，早高峰提前 30 分钟发车，并由专人跟车确认",
        owner=director,
        deadline=timezone.localdate() + timedelta(days=7),
        expected_effect="接驳准点率 100%",
        category="accommodation",
        issues=[late],
        by=pm,
    )
    services.start_action(bus, by=director, at=project.end + timedelta(days=3))
    services.create_action(
        project,
        problem="案例研讨分组过大",
        action="分组不超过 8 人，每组配一名助教",
        owner=pm,
        deadline=timezone.localdate() + timedelta(days=21),
        expected_effect="研讨环节满意度提升到 90 分以上",
        category="content",
        by=pm,
    )
