"""REQ-FBK-05/06: complaint clocks from the rulebook — across a weekend, a holiday and a pause — breach
detection and escalation up the chain, once per level."""

import datetime as dt

import pytest

from huiyi.calendar.models import CalendarDay
from huiyi.core.models import Notification
from huiyi.feedback.complaints import services, sla
from huiyi.feedback.complaints.models import Complaint, ComplaintEvent
from huiyi.rulebook.services import rulebook_for

from .conftest import at

pytestmark = pytest.mark.django_db


def _new(team, severity="normal", when="2026-03-06 10:00", **extra):
    values = {"channel": "phone", "content": "茶歇供应不足", "severity": severity}
    values.update(extra)
    return services.create_complaint(team["project"], by=team["am"], now=at(when), **values)


def test_req_fbk_06_targets_per_severity_come_from_the_rulebook(team):
    book = rulebook_for(team["project"])
    serious = _new(team, "serious")
    normal = _new(team, "normal")
    s, n = sla.targets_for(book, "serious"), sla.targets_for(book, sla.normal_default(book))
    assert serious.severity == "serious" and normal.severity == n.severity == "minor"
    assert serious.response_due == at("2026-03-06 10:00") + dt.timedelta(hours=s.response.value)
    assert serious.resolution_due == at("2026-03-06 10:00") + dt.timedelta(hours=s.resolution.value)
    assert normal.resolution_due == at("2026-03-06 10:00") + dt.timedelta(hours=n.resolution.value)
    assert normal.resolution_rule == "fbk.complaint.minor.resolution"
    assert ComplaintEvent.objects.filter(complaint=serious, kind="received").count() == 1


def test_req_fbk_05_after_sales_72_hours_are_calendar_hours_across_a_weekend(team):
    complaint = _new(team, "normal", "2026-03-06 10:00")  # a Friday
    assert complaint.resolution_due == at("2026-03-09 10:00")  # Monday: the weekend counts


def test_req_fbk_06_working_day_clock_skips_the_weekend_and_a_holiday(team, working_day_rulebook):
    type(team["project"]).objects.filter(pk=team["project"].pk).update(rulebook_version=working_day_rulebook)
    team["project"].refresh_from_db()
    CalendarDay.objects.create(date=dt.date(2026, 3, 10), is_working_day=False, name={"zh-hans": "测试假日"})
    complaint = _new(team, "normal", "2026-03-06 10:00")  # Friday
    # Mon 9th, (Sat, Sun, holiday Tue 10th skipped) Wed 11th, Thu 12th → end of Thursday.
    assert complaint.resolution_due == at("2026-03-12 23:59:59")


def test_req_fbk_06_a_pause_for_the_client_does_not_count(team):
    complaint = _new(team, "serious", "2026-03-09 10:00")
    assert complaint.resolution_due == at("2026-03-10 10:00")
    services.acknowledge(complaint, by=team["am"], note="已致电", now=at("2026-03-09 10:30"))
    complaint = services.pause(complaint, by=team["am"], reason="等客户提供照片", now=at("2026-03-09 12:00"))
    assert complaint.status == Complaint.Status.WAITING and complaint.resolution_due is None
    # Past the original due time while paused: no breach.
    assert services.check_breaches(now=at("2026-03-10 11:00")) == 0
    complaint.refresh_from_db()
    assert complaint.resolution_breached_at is None
    complaint = services.resume(complaint, by=team["am"], now=at("2026-03-10 12:00"))  # paused 24 h
    assert complaint.resolution_due == at("2026-03-11 10:00")
    assert complaint.status == Complaint.Status.IN_PROGRESS


def test_req_fbk_06_pause_on_a_working_day_clock_adds_the_working_days_it_covered(team, working_day_rulebook):
    type(team["project"]).objects.filter(pk=team["project"].pk).update(rulebook_version=working_day_rulebook)
    team["project"].refresh_from_db()
    CalendarDay.objects.create(date=dt.date(2026, 3, 10), is_working_day=False, name={"zh-hans": "测试假日"})
    complaint = _new(team, "normal", "2026-03-06 10:00")
    services.acknowledge(complaint, by=team["am"], now=at("2026-03-06 11:00"))
    services.pause(complaint, by=team["am"], reason="等客户回复", now=at("2026-03-09 09:00"))
    complaint = services.resume(complaint, by=team["am"], now=at("2026-03-11 09:00"))
    # The pause covered one working day of time (Mon 09:00–24:00 + Wed 00:00–09:00; Tuesday a holiday).
    assert complaint.resolution_due == at("2026-03-13 23:59:59")


def test_req_fbk_06_breach_escalates_once_per_level_up_the_chain(team):
    complaint = _new(team, "serious", "2026-03-09 10:00")
    assert complaint.owner == team["am"]  # the rulebook's owner role (account_manager)
    assert services.check_breaches(now=at("2026-03-09 11:59")) == 0
    assert services.check_breaches(now=at("2026-03-09 12:30")) == 1  # response target (2 h) missed
    assert services.check_breaches(now=at("2026-03-09 12:40")) == 0  # idempotent
    complaint.refresh_from_db()
    assert complaint.escalation_level == 1 and complaint.response_breached_at == at("2026-03-09 12:00")
    escalations = ComplaintEvent.objects.filter(complaint=complaint, kind="escalated")
    assert list(escalations.values_list("level", "data__role")) == [(1, "project_manager")]
    assert Notification.objects.filter(recipient=team["pm"], kind="complaint_escalation").count() == 1
    # One more target span without a response: the project director (of the unit above), then quality.
    assert services.check_breaches(now=at("2026-03-09 14:01")) == 1
    assert Notification.objects.filter(recipient=team["director"], kind="complaint_escalation").count() == 1
    assert services.check_breaches(now=at("2026-03-09 16:01")) == 1
    assert Notification.objects.filter(recipient=team["qo"], kind="complaint_escalation").count() == 1
    assert services.check_breaches(now=at("2026-03-10 16:01")) == 0  # nobody further up
    assert escalations.count() == 3
    assert ComplaintEvent.objects.filter(complaint=complaint, kind="breached").count() == 2  # both clocks


def test_req_fbk_06_the_periodic_task_runs_the_check(team, monkeypatch):
    from django.utils import timezone

    from huiyi.feedback.complaints import tasks

    complaint = _new(team, "serious", "2026-03-09 10:00")
    monkeypatch.setattr(timezone, "now", lambda: at("2026-03-09 13:00"))
    tasks.complaint_breach_check.call_local()
    complaint.refresh_from_db()
    assert complaint.escalation_level == 1


def test_req_fbk_06_a_response_after_the_target_stays_breached(team):
    complaint = _new(team, "serious", "2026-03-09 10:00")
    complaint = services.acknowledge(complaint, by=team["am"], now=at("2026-03-09 13:00"))
    assert complaint.response_breached_at is not None
    assert services.check_breaches(now=at("2026-03-09 13:05")) == 0  # responded: no escalation later
    assert ComplaintEvent.objects.filter(complaint=complaint, kind="breached", clock="response").count() == 1


def test_req_fbk_06_manual_escalation_needs_a_reason(team):
    complaint = _new(team, "normal")
    with pytest.raises(Exception) as error:
        services.escalate(complaint, by=team["am"], reason="  ")
    assert "reason" in error.value.message_dict
    services.escalate(complaint, by=team["am"], reason="客户要求主管处理", now=at("2026-03-06 11:00"))
    complaint.refresh_from_db()
    assert complaint.escalation_level == 1


def test_req_fbk_06_staff_refine_normal_into_major_and_the_clocks_follow(team):
    complaint = _new(team, "normal", "2026-03-09 10:00")
    complaint = services.change_severity(complaint, "major", by=team["am"], now=at("2026-03-09 10:10"))
    major = sla.targets_for(rulebook_for(team["project"]), "major")
    assert complaint.resolution_due == at("2026-03-09 10:00") + dt.timedelta(hours=major.resolution.value)
    assert complaint.reported_severity == "normal"
