"""Tea-break reminder (REQ-ONS-05), progress reports (REQ-ONS-06), coverage and satisfaction (REQ-ONS-08),
minutes owner (REQ-PPL-04) and the CCP 8 process deviation, measured from the records."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from huiyi.core.models import Notification
from huiyi.onsite.agenda import services, tasks
from huiyi.onsite.agenda.models import ProgressReport, SatisfactionEntry, TeaBreakReminder
from huiyi.quality.metrics import Measurement, NotMeasurable, measure
from huiyi.rulebook.services import rulebook_for

pytestmark = pytest.mark.django_db


def _measure(key, project):
    return measure(key, project, rulebook_for(project))


def _freeze(monkeypatch, moment):
    monkeypatch.setattr(timezone, "now", lambda: moment)


# -- tea-break reminder -----------------------------------------------------------------------------------


def test_req_ons_05_tea_break_reminder_is_sent_once_to_director_and_reception(
    team, add_item, monkeypatch, django_capture_on_commit_callbacks
):
    tea = add_item("茶歇", kind="tea_break", start=0, minutes=20)
    services.start_item(tea, by=team["director"], at=tea.planned_start)
    end = tea.planned_start + timedelta(minutes=20)
    # 11 minutes before the end: too early.
    assert services.send_tea_break_reminders(now=end - timedelta(minutes=11)) == 0
    # 10 minutes before: sent; the periodic task runs again (and again): nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_tea_break_reminders(now=end - timedelta(minutes=10)) == 1
        _freeze(monkeypatch, end - timedelta(minutes=9))
        tasks.tea_break_reminders.call_local()
        tasks.tea_break_reminders.call_local()
    reminder = TeaBreakReminder.objects.get(item=tea)
    assert reminder.expected_end == end and reminder.sent_at == end - timedelta(minutes=10)
    notices = Notification.objects.filter(kind="tea_break")
    assert sorted(n.recipient.username for n in notices) == ["director", "reception"]
    assert {m.to[0] for m in mail.outbox} == {"director@example.com", "reception@example.com"}
    assert len(mail.outbox) == 2
    lead = _measure("tea_break_reminder_lead_time", team["project"])
    assert isinstance(lead, Measurement) and lead.value == Decimal("10.00")


def test_req_ons_05_a_late_start_moves_the_reminder_with_the_break(team, add_item):
    tea = add_item("茶歇", kind="tea_break", start=0, minutes=20)
    services.start_item(tea, by=team["director"], at=tea.planned_start + timedelta(minutes=5))
    planned_reminder = tea.planned_end - timedelta(minutes=10)
    assert services.send_tea_break_reminders(now=planned_reminder) == 0
    assert services.send_tea_break_reminders(now=planned_reminder + timedelta(minutes=5)) == 1


def test_req_ons_05_a_break_not_yet_begun_is_not_reminded_while_another_item_runs(team, add_item):
    talk = add_item("报告", start=0, minutes=30)
    tea = add_item("茶歇", kind="tea_break", start=30, minutes=20)
    services.start_item(talk, by=team["director"], at=talk.planned_start)
    assert services.send_tea_break_reminders(now=tea.planned_end - timedelta(minutes=10)) == 0
    services.end_item(talk, by=team["director"], at=tea.planned_start)
    # Nobody tapped the break's start, but it is under way by the plan: remind by the planned end.
    assert services.send_tea_break_reminders(now=tea.planned_end - timedelta(minutes=10)) == 1


def test_req_ons_05_a_break_that_ended_without_reminder_measures_zero_lead(team, add_item):
    tea = add_item("茶歇", kind="tea_break", start=0, minutes=15)
    services.start_item(tea, by=team["director"], at=tea.planned_start)
    services.end_item(tea, by=team["director"], at=tea.planned_end)
    lead = _measure("tea_break_reminder_lead_time", team["project"])
    assert lead.value == 0
    assert not rulebook_for(team["project"]).rule("ons.time.tea_break_reminder").passes(lead.value)


# -- progress reports -------------------------------------------------------------------------------------


def _report(team, at, **fields):
    return services.create_progress_report(
        team["project"], reporter=team["director"], status="on_track", reported_at=at, **fields
    )


def test_req_ons_06_interval_metric_is_the_longest_gap_including_start_and_end(team, monkeypatch):
    project = team["project"]
    start = project.start
    _freeze(monkeypatch, start + timedelta(hours=5))
    _report(team, start + timedelta(hours=2))
    _report(team, start + timedelta(hours=3, minutes=30))
    value = _measure("progress_report_interval", project)
    # start→2h: 2 h; 2h→3.5h: 1.5 h; 3.5h→now (5h): 1.5 h → longest 2 h, which the rule (≤ 2 h) accepts.
    assert value.value == Decimal("2.00")
    assert rulebook_for(project).rule("ons.progress_report.interval").passes(value.value)
    _freeze(monkeypatch, start + timedelta(hours=5, minutes=31))
    value = _measure("progress_report_interval", project)
    assert value.value == Decimal("2.02") and value.evidence["missed"]


def test_req_ons_06_last_report_to_the_end_counts_after_the_meeting(team, monkeypatch):
    project = team["project"]
    _report(team, project.start + timedelta(hours=1))
    _freeze(monkeypatch, project.end + timedelta(days=1))
    # 8 h meeting, one report after 1 h: the gap to the end is 7 h.
    assert _measure("progress_report_interval", project).value == Decimal("7.00")


def test_req_ons_06_not_measurable_before_the_meeting(team, monkeypatch):
    _freeze(monkeypatch, team["project"].start - timedelta(minutes=1))
    assert isinstance(_measure("progress_report_interval", team["project"]), NotMeasurable)


def test_req_ons_06_reminder_to_the_director_when_a_report_is_due_once(team, monkeypatch):
    project = team["project"]
    due = project.start + timedelta(hours=2)
    assert services.send_progress_report_reminders(now=due - timedelta(minutes=1)) == 0
    assert services.send_progress_report_reminders(now=due) == 1
    assert services.send_progress_report_reminders(now=due + timedelta(minutes=1)) == 0
    notice = Notification.objects.get(kind="progress_report")
    assert notice.recipient == team["director"]
    # A report resets the clock: the next reminder is due two hours after it.
    _freeze(monkeypatch, due + timedelta(minutes=5))
    _report(team, due + timedelta(minutes=5))
    assert services.send_progress_report_reminders(now=due + timedelta(minutes=6)) == 0
    assert services.send_progress_report_reminders(now=due + timedelta(hours=2, minutes=5)) == 1


def test_req_ons_06_bad_report_input_names_the_field_and_saves_nothing(team):
    with pytest.raises(ValidationError) as error:
        _report(team, None, satisfaction=120)
    assert "satisfaction" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.create_progress_report(team["project"], reporter=team["director"], status="fine")
    assert "status" in error.value.message_dict
    assert not ProgressReport.objects.exists()


# -- process deviation and the other metrics --------------------------------------------------------------


def _run(team, item, start_late, end_late):
    services.start_item(item, by=team["director"], at=item.planned_start + timedelta(minutes=start_late))
    item.refresh_from_db()
    services.end_item(item, by=team["director"], at=item.planned_end + timedelta(minutes=end_late))
    item.refresh_from_db()
    return item


def test_ccp_08_process_deviation_over_the_span_of_the_finished_items(team, add_item):
    project = team["project"]
    assert isinstance(_measure("process_deviation", project), NotMeasurable)
    first = add_item("开幕", kind="opening", start=0, minutes=10)
    second = add_item("报告", start=10, minutes=50)
    add_item("未开始", start=60, minutes=30)
    _run(team, first, 0, 2)
    _run(team, second, 2, 6)
    value = _measure("process_deviation", project)
    # planned 60 min (0→60), actual 66 min (0→66): |66 − 60| / 60 = 0.1, just on the rule's limit.
    assert value.value == Decimal("0.1000")
    rule = rulebook_for(project).rule("ccp08.process_deviation")
    assert rule.passes(value.value)
    assert value.evidence["planned_minutes"] == "60.00" and value.evidence["actual_minutes"] == "66.00"


def test_req_ons_05_segment_deviation_metric_is_the_worst_signed_deviation(team, add_item):
    project = team["project"]
    assert isinstance(_measure("agenda_segment_deviation", project), NotMeasurable)
    _run(team, add_item("A", start=0, minutes=10), 4, 4)  # 4 min late, but its length is as planned
    _run(team, add_item("B", start=20, minutes=20), 0, -5)  # 5 min short
    value = _measure("agenda_segment_deviation", project)
    assert value.value == Decimal("-5.00") and value.evidence["items_outside_tolerance"][0]["title"] == "B"
    assert not rulebook_for(project).rule("ons.time.segment_deviation").passes(value.value)


def test_req_ons_05_qa_and_tea_break_metrics(team, add_item):
    project = team["project"]
    qa = add_item("问答", kind="qa", start=0, minutes=20)
    services.start_item(qa, by=team["director"], at=qa.planned_start)
    answer = services.start_answer(qa, by=team["director"], at=qa.planned_start)
    services.end_answer(answer, by=team["director"], at=qa.planned_start + timedelta(minutes=2, seconds=30))
    assert _measure("qa_answer_duration", project).value == Decimal("2.50")
    assert isinstance(_measure("tea_break_duration", project), NotMeasurable)
    for start, minutes in ((30, 18), (60, 22), (90, 16)):
        tea = add_item(f"茶歇{start}", kind="tea_break", start=start, minutes=20)
        services.start_item(tea, by=team["director"], at=tea.planned_start)
        services.end_item(tea, by=team["director"], at=tea.planned_start + timedelta(minutes=minutes))
    value = _measure("tea_break_duration", project)
    assert value.value == Decimal("22.00")  # the break furthest outside 15–20


def test_req_ons_08_coverage_ratio_counts_required_moments(team, add_item):
    project = team["project"]
    assert isinstance(_measure("photo_video_coverage", project), NotMeasurable)
    add_item("开幕致辞", kind="opening", start=0, minutes=10)
    add_item("董事长报告", kind="speech", start=10, minutes=30)
    add_item("茶歇", kind="tea_break", start=40, minutes=20)
    add_item("闭幕", kind="closing", start=60, minutes=10)
    moments = services.generate_coverage(project, by=team["director"])
    assert [m.kind for m in moments] == ["opening", "speech", "closing"]
    assert services.generate_coverage(project, by=team["director"]) == []
    photo = services.add_coverage_item(
        project, kind="group_photo", title="全体合影", created_by=team["director"]
    )
    services.add_coverage_item(project, kind="other", title="花絮", required=False)
    services.tick_coverage(moments[0], by=team["tech"], link="https://example.com/album/1")
    services.tick_coverage(photo, by=team["tech"], note="20楼大厅")
    value = _measure("photo_video_coverage", project)
    assert value.value == Decimal("0.5000") and value.evidence == {
        "covered": 2,
        "required": 4,
        "not_covered": ["董事长报告", "闭幕"],
    }
    with pytest.raises(ValidationError):
        services.tick_coverage(photo, by=team["tech"])


def test_req_ons_08_satisfaction_is_the_average_of_entries(team):
    project = team["project"]
    assert isinstance(_measure("onsite_satisfaction_score", project), NotMeasurable)
    services.add_satisfaction(project, score=90, respondent="attendee", created_by=team["reception"])
    services.add_satisfaction(project, score="83.5", respondent="host", respondent_name="董秘")
    value = _measure("onsite_satisfaction_score", project)
    assert value.value == Decimal("86.75") and value.evidence["entries"] == 2
    for bad in (120, -1, "abc", None):
        with pytest.raises(ValidationError) as error:
            services.add_satisfaction(project, score=bad, respondent="attendee")
        assert "score" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.add_satisfaction(project, score=80, respondent="robot")
    assert "respondent" in error.value.message_dict
    assert SatisfactionEntry.objects.count() == 2


def test_req_ppl_04_minutes_owner_named(team, make_user, org, monkeypatch):
    project = team["project"]
    assert _measure("minutes_owner_named", project).value == 0  # the meeting runs and nobody is named
    _freeze(monkeypatch, project.start - timedelta(days=1))
    assert isinstance(_measure("minutes_owner_named", project), NotMeasurable)
    monkeypatch.undo()
    outsider = make_user("planner", org["south_events"])
    with pytest.raises(ValidationError) as error:
        services.set_minutes_owner(project, by=team["director"], minutes_owner=outsider)
    assert "minutes_owner" in error.value.message_dict
    services.set_minutes_owner(project, by=team["director"], minutes_owner=team["planner"])
    value = _measure("minutes_owner_named", project)
    assert value.value == 1 and value.evidence["minutes_owner"] == str(team["planner"])
    services.set_minutes_owner(project, by=team["director"], minutes_owner_name="客户董秘 李娜")
    assert _measure("minutes_owner_named", project).evidence["minutes_owner"] == "客户董秘 李娜"
