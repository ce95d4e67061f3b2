"""Services of the preparation app (REQ-PLN-05, REQ-PRE-01…05, REQ-FBK-05)."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from icalendar import Calendar

from huiyi.core import links
from huiyi.core.models import Notification
from huiyi.projects.preparation import ics, queries, services, tasks
from huiyi.projects.preparation.models import ClientMessage, MaterialItem, ReviewStep, Task
from huiyi.quality.metrics import Measurement, measure
from huiyi.rulebook.services import rulebook_for

pytestmark = pytest.mark.django_db


def test_tasks_are_numbered_per_project_and_owner_must_be_member_REQ_PLN_05(team, make_user):
    project, pm = team["project"], team["pm"]
    due = timezone.now() + timedelta(days=3)
    first = services.create_task(project, title="订场地", owner=pm, due=due, done_criterion="合同签字")
    second = services.create_task(project, title="印胸牌", owner=team["hr"], due=due, done_criterion="到货")
    assert (first.number, second.number) == (1, 2)
    assert [t.number for t in queries.project_tasks(project)] == [1, 2]
    with pytest.raises(ValidationError) as error:
        services.create_task(project, title="x", owner=make_user(), due=due, done_criterion="y")
    assert "owner" in error.value.message_dict
    assert Task.objects.count() == 2
    services.complete_task(first, by=pm)
    first.refresh_from_db()
    assert first.status == "done" and first.done_by == pm and first.done_at


def test_reminders_before_due_and_overdue_are_sent_once_REQ_PRE_01(team):
    project, pm = team["project"], team["pm"]
    now = timezone.now()
    services.create_task(project, title="soon", owner=pm, due=now + timedelta(hours=2), done_criterion="c")
    services.create_task(project, title="late", owner=pm, due=now - timedelta(hours=2), done_criterion="c")
    services.create_task(project, title="later", owner=pm, due=now + timedelta(days=10), done_criterion="c")
    assert tasks.send_reminders(now) == 2
    assert tasks.send_reminders(now) == 0
    titles = sorted(Notification.objects.filter(recipient=pm).values_list("title", flat=True))
    assert len(titles) == 2 and any("soon" in t for t in titles) and any("late" in t for t in titles)


def test_review_chain_deadlines_come_from_the_rulebook_in_working_days_REQ_PRE_04(team):
    project, pm = team["project"], team["pm"]
    steps = services.start_review(project, by=pm)
    assert [s.department for s in steps] == ["administration", "finance", "technology", "hr"]
    first = steps[0]
    rule = rulebook_for(project).rule("pre.review.administration_draft")
    from huiyi.calendar.services import due

    assert first.due == due(first.started_at, working_days=int(rule.value)).due
    assert steps[1].started_at is None
    services.complete_review_step(first, by=pm, outcome="approved")
    finance = ReviewStep.objects.get(project=project, department="finance")
    assert finance.started_at is not None and finance.due > finance.started_at
    with pytest.raises(ValidationError):
        services.complete_review_step(finance, by=team["fin"], outcome="returned", comment="")
    services.complete_review_step(finance, by=team["fin"], outcome="returned", comment="预算超标")
    assert ReviewStep.objects.get(project=project, department="technology").started_at is None


def test_overdue_review_step_is_notified_to_the_manager_REQ_PRE_04(team):
    project, pm = team["project"], team["pm"]
    steps = services.start_review(project, by=pm)
    ReviewStep.objects.filter(pk=steps[0].pk).update(due=timezone.now() - timedelta(hours=1))
    assert queries.overview(project).overdue_steps
    tasks.send_reminders()
    assert Notification.objects.filter(recipient=pm, kind="review").count() == 1


def test_training_metrics_REQ_PRE_02_CCP_07(team):
    project = team["project"]
    session = services.create_training(
        project, topic="etiquette", held_at=timezone.now(), trainer="王老师", pass_mark=Decimal("60")
    )
    rb = rulebook_for(project)
    services.record_attendance(session, user=team["pm"], score=Decimal("90"))
    services.record_attendance(session, user=team["hr"], score=Decimal("50"))
    coverage = measure("training_coverage", project, rb)
    assert isinstance(coverage, Measurement) and coverage.value == Decimal(2) / Decimal(5)
    assert measure("training_assessment_pass_rate", project, rb).value == Decimal("0.5")
    services.record_host_evaluation(project, host_name="李主持", score=Decimal("88"))
    assert measure("host_evaluation_score", project, rb).value == Decimal("88.00")
    with pytest.raises(ValidationError):
        services.record_attendance(session, user=team["fin"], score=Decimal("101"))


def test_materials_metrics_and_link_approval_REQ_PRE_05_CCP_05(team):
    project, pm = team["project"], team["pm"]
    planned = timezone.now() - timedelta(days=1)
    badge = services.create_material(
        project, name="胸牌", kind="badge", quantity=200, planned_delivery=planned
    )
    banner = services.create_material(
        project, name="横幅", kind="banner", quantity=2, planned_delivery=planned
    )
    _, token = services.issue_design_approval_link(badge, by=pm)
    services.decide_design_by_link(token, approved=True, client_name="张经理")
    with pytest.raises(links.LinkUsed):
        services.decide_design_by_link(token, approved=False, client_name="张经理", comment="no")
    badge.refresh_from_db()
    assert badge.approval == MaterialItem.Approval.APPROVED and badge.approval_via_link
    services.record_design_decision(banner, by=pm, approved=False, client_name="张经理", comment="换颜色")
    services.record_delivery(badge, by=pm, delivered_at=planned - timedelta(hours=1))
    services.record_delivery(banner, by=pm, delivered_at=planned + timedelta(hours=1))
    services.rate_material(badge, by=pm, satisfaction="satisfied")
    rb = rulebook_for(project)
    assert measure("design_client_approval_rate", project, rb).value == Decimal("0.5")
    assert measure("materials_on_time_rate", project, rb).value == Decimal("0.5")
    assert measure("materials_satisfaction_rate", project, rb).value == Decimal("1")


def test_client_response_clock_per_stage_REQ_FBK_05(team):
    project, pm = team["project"], team["pm"]
    received = timezone.now() - timedelta(hours=30)
    message = services.log_client_message(
        project, channel="phone", direction="in", stage="preparation", summary="问停车", received_at=received
    )
    hours = rulebook_for(project).rule("fbk.response.preparation").value
    assert message.respond_by == received + timedelta(hours=hours)
    assert message.is_overdue(timezone.now())
    tasks.send_reminders()
    assert Notification.objects.filter(recipient=pm, kind="reply").count() == 1
    services.record_response(message, by=pm)
    assert not ClientMessage.objects.get(pk=message.pk).is_overdue(timezone.now())


def test_ics_export_parses_back_REQ_PRE_01(team):
    project, pm = team["project"], team["pm"]
    services.create_task(project, title="订场地", owner=pm, due=timezone.now(), done_criterion="签字")
    services.start_review(project, by=pm)
    calendar = Calendar.from_ical(ics.project_calendar(project))
    events = calendar.walk("VEVENT")
    summaries = [str(e["summary"]) for e in events]
    assert project.display_name in summaries
    assert any("订场地" in s for s in summaries)
    assert len(events) == 3
    assert io  # noqa: B018


def test_team_chart_output_requires_on_site_roles(team):
    from huiyi.projects.outputs import evidence_for

    assert evidence_for(team["project"], "team_responsibility_chart") is None


def test_demo_builds_preparation_records(team):
    from huiyi.projects.preparation import demo
    from huiyi.projects.preparation.models import MaterialItem, TrainingAttendance

    demo.build([team["project"]], {})
    project = team["project"]
    overview = queries.overview(project)
    assert overview.overdue_tasks and overview.overdue_steps and overview.overdue_messages
    assert any(a.passed is False for a in TrainingAttendance.objects.filter(session__project=project))
    assert any(m.delivered_on_time is False for m in MaterialItem.objects.filter(project=project))
