"""Demo preparation records on the demo projects in phase 2 or later, through the services."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from huiyi.projects.models import MeetingProject

from . import services
from .models import ReviewStep


def build(projects: list[MeetingProject], people: dict) -> None:
    """Tasks (some overdue), a review chain in progress, a scored training (one person below the pass mark),
    materials (one delivered late) and client messages (one reply overdue) on each phase ≥ 2 project."""
    now = timezone.now()
    for project in projects:
        if project.phase < 2 or project.closed_at is not None:
            continue
        team = list(project.members.select_related("user", "role").order_by("pk"))
        if not team:
            continue
        pm = team[0].user
        owners = [member.user for member in team]
        plan = [
            ("确认场地合同并支付定金", -3, "合同双方签字盖章", True),
            ("提交设备清单给技术部", -1, "技术部确认清单", False),
            ("完成嘉宾邀请函发送", 2, "全部嘉宾回执", False),
            ("印制胸牌与桌签", 5, "物料到场验收", False),
            ("现场彩排", 9, "彩排记录签字", False),
        ]
        for index, (title, days, criterion, done) in enumerate(plan):
            task = services.create_task(
                project,
                title=title,
                owner=owners[index % len(owners)],
                due=now + timedelta(days=days),
                done_criterion=criterion,
                created_by=pm,
            )
            if done:
                services.complete_task(task, by=pm)

        steps = services.start_review(project, by=pm)
        services.complete_review_step(steps[0], by=pm, outcome="approved", comment="需求初稿已完成")
        # The finance step started long enough ago to be overdue: the manager sees it flagged.
        ReviewStep.objects.filter(pk=steps[1].pk).update(
            started_at=now - timedelta(days=6), due=now - timedelta(days=2)
        )

        session = services.create_training(
            project,
            topic="etiquette",
            title="会议礼仪与接待规范",
            audience_roles=[member.role.key for member in team],
            held_at=now - timedelta(days=2),
            trainer="人力资源部 王老师",
            pass_mark=Decimal("80"),
            created_by=pm,
        )
        for index, member in enumerate(team):
            score = Decimal("72") if index == len(team) - 1 else Decimal("86") + index
            services.record_attendance(session, user=member.user, score=score)
        services.record_host_evaluation(
            project, host_name="李晓主持", score=Decimal("88"), comment="控场稳定，普通话标准", created_by=pm
        )

        badge = services.create_material(
            project,
            name="参会胸牌",
            kind="badge",
            quantity=project.expected_attendees,
            planned_delivery=now - timedelta(days=3),
            created_by=pm,
        )
        backdrop = services.create_material(
            project,
            name="主背景板",
            kind="backdrop",
            quantity=1,
            planned_delivery=now - timedelta(days=2),
            created_by=pm,
        )
        services.create_material(
            project,
            name="会议手册",
            kind="brochure",
            quantity=project.expected_attendees,
            planned_delivery=now + timedelta(days=4),
            created_by=pm,
        )
        for item in (badge, backdrop):
            services.record_design_decision(item, by=pm, approved=True, client_name="客户联系人")
        services.record_delivery(badge, by=pm, delivered_at=now - timedelta(days=3, hours=2))
        services.record_delivery(backdrop, by=pm, delivered_at=now - timedelta(days=1))  # one day late
        services.rate_material(badge, by=pm, satisfaction="satisfied")
        services.rate_material(backdrop, by=pm, satisfaction="satisfied")

        services.log_client_message(
            project,
            channel="phone",
            direction="in",
            stage="preparation",
            summary="客户询问嘉宾接送安排",
            received_at=now - timedelta(hours=40),
            created_by=pm,
        )
        answered = services.log_client_message(
            project,
            channel="email",
            direction="in",
            stage="preparation",
            summary="客户发来最终嘉宾名单",
            received_at=now - timedelta(hours=20),
            created_by=pm,
        )
        services.record_response(answered, by=pm, responded_at=now - timedelta(hours=18))
        services.plan_attendee_communication(
            project, kind="agenda", channel="email", planned_for=now - timedelta(days=1), created_by=pm
        )
        services.plan_attendee_communication(
            project, kind="travel_guide", channel="sms", planned_for=now + timedelta(days=3), created_by=pm
        )
