"""REQ-FBK-03: collection within 3 working days of the end, analysis within 5 of collection, the client
questionnaire within 7 — on the working-day calendar (weekends, public holidays and adjusted working days
调休 of the 2025 National Day: 1–8 October off, Sunday 28 September and Saturday 11 October worked)."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from survey_helpers import full_answer

from huiyi.feedback.surveys import metrics, queries, services
from huiyi.feedback.surveys.models import Audience
from huiyi.quality.metrics import Measurement, NotMeasurable
from huiyi.rulebook.services import rulebook_for

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args):
    return datetime(*args, tzinfo=SHANGHAI)


def _ended(project, end):
    project.start, project.end = end - timedelta(hours=8), end
    project.save(update_fields=["start", "end"])
    return project


def _steps(project, now):
    return {s.key: s for s in queries.deadlines(project, now=now)}


def test_req_fbk_03_deadlines_across_a_weekend_with_an_adjusted_working_day(meeting):
    _ended(meeting, at(2025, 9, 26, 17))  # a Friday; Sunday 28 September is worked (调休)
    steps = _steps(meeting, at(2025, 9, 27, 9))
    assert steps["collection"].deadline.due == at(2025, 9, 30, 23, 59, 59)
    # 7 working days: 28, 29, 30 September, then 9, 10, 11 (Saturday, worked), 13 October.
    assert steps["client"].deadline.due == at(2025, 10, 13, 23, 59, 59)
    assert steps["analysis"].deadline is None and steps["analysis"].state == "waiting"
    assert steps["collection"].state == "open"


def test_req_fbk_03_collection_across_the_national_day_holiday(meeting, manager):
    _ended(meeting, at(2025, 9, 30, 17))
    template = services.default_template(Audience.ATTENDEES)
    survey = services.create_survey(
        meeting, by=manager, template=template, opens_at=at(2025, 9, 30, 16), closes_at=at(2025, 10, 20, 12)
    )
    services.submit(survey, full_answer(survey), now=at(2025, 10, 2, 10))
    steps = _steps(meeting, at(2025, 10, 8, 12))
    # Holiday 1–8 October: the third working day is Saturday 11 October (worked).
    assert steps["collection"].deadline.due == at(2025, 10, 11, 23, 59, 59)
    assert steps["collection"].state == "open"
    # Closed on Thursday 9 October: one working day taken, in time.
    services.close_survey(survey, by=manager, now=at(2025, 10, 9, 10))
    steps = _steps(meeting, at(2025, 10, 9, 11))
    assert steps["collection"].state == "done" and steps["collection"].value == 1
    # Analysis: 5 working days from 9 October → 10, 11, 13, 14, 15 October.
    assert steps["analysis"].deadline.due == at(2025, 10, 15, 23, 59, 59)
    steps = _steps(meeting, at(2025, 10, 16, 9))
    assert steps["analysis"].state == "overdue" and steps["analysis"].value == 6
    services.record_analysis(survey, by=manager, analysis="技术支持得分偏低。", now=at(2025, 10, 16, 10))
    assert _steps(meeting, at(2025, 10, 16, 11))["analysis"].state == "late"


def test_req_fbk_03_closing_on_a_rest_day_after_the_deadline_is_late(meeting, manager):
    _ended(meeting, at(2025, 9, 30, 17))
    template = services.default_template(Audience.ATTENDEES)
    survey = services.create_survey(
        meeting, by=manager, template=template, opens_at=at(2025, 9, 30, 16), closes_at=at(2025, 10, 12, 10)
    )
    step = _steps(meeting, at(2025, 10, 13, 9))["collection"]
    assert survey.ends_at == at(2025, 10, 12, 10)  # Sunday, after Saturday's deadline
    assert step.state == "late" and step.value == 4


def test_req_fbk_03_metrics_give_the_working_days_taken(meeting, manager):
    _ended(meeting, at(2025, 9, 30, 17))
    rulebook = rulebook_for(meeting)
    template = services.default_template(Audience.ATTENDEES)
    survey = services.create_survey(
        meeting, by=manager, template=template, opens_at=at(2025, 9, 30, 16), closes_at=at(2025, 10, 10, 18)
    )
    value = metrics.feedback_collection_time(meeting, rulebook)
    assert isinstance(value, Measurement) and value.value == Decimal(2)
    rule = rulebook.rules_where(metric="feedback_collection_time")[0]
    assert rule.passes(value.value)
    # The analysis was never recorded: long overdue, so measured (and failing).
    analysis = metrics.feedback_analysis_time(meeting, rulebook)
    assert isinstance(analysis, Measurement)
    assert not rulebook.rules_where(metric="feedback_analysis_time")[0].passes(analysis.value)
    # No client questionnaire answered and long past its deadline: failing too.
    client = metrics.client_questionnaire_time(meeting, rulebook)
    assert isinstance(client, Measurement) and client.value > 7
    assert survey.pk


def test_req_fbk_03_open_steps_are_not_measurable_yet(survey):
    rulebook = rulebook_for(survey.project)
    assert isinstance(metrics.feedback_collection_time(survey.project, rulebook), NotMeasurable)
    assert isinstance(metrics.feedback_analysis_time(survey.project, rulebook), NotMeasurable)
