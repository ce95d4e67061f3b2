"""Capability measures per person over a period (REQ-PPL-02, §5), each from existing records, and the
performance review that keeps them (REQ-PPL-05)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from huiyi.feedback.surveys.models import Response, Survey, SurveyTemplate
from huiyi.incidents.models import ChainStep, Incident
from huiyi.people import measures, services
from huiyi.people.models import PerformanceReview
from huiyi.projects.preparation.models import Task, TrainingAttendance, TrainingSession

from .conftest import D, session

SH = dt.timezone(dt.timedelta(hours=8))


def at(text):
    return dt.datetime.fromisoformat(text).replace(tzinfo=SH)


@pytest.fixture
def worked(plan, make_project):
    """The planner's records in Q3 2026, with hand-counted measures."""
    s = plan
    planner = s["planner"]
    project = make_project(
        members=[(planner, "planner")], start=at("2026-08-20 09:00"), end=at("2026-08-20 18:00")
    )
    # skill: plan assessments 90 (pass), 70 (fail); a pre-meeting assessment 88 against its own mark 85 (pass)
    session("communication", D(2026, 7, 10), [{"user": planner.pk, "score": 90}], by=s["hr"])
    session("communication", D(2026, 8, 10), [{"user": planner.pk, "score": 70}], by=s["hr"])
    prep = TrainingSession.objects.create(
        project=project, topic="etiquette", held_at=at("2026-08-18 10:00"), trainer="郑雨", pass_mark=85
    )
    TrainingAttendance.objects.create(session=prep, user=planner, score=88)
    # communication: two responses 4 and 5 on a 5-point scale → 4.5 / 5 = 90 / 100
    template = SurveyTemplate.objects.create(name="满意度", audience="attendees")
    survey = Survey.objects.create(
        project=project,
        template=template,
        audience="attendees",
        opens_at=at("2026-08-20 18:00"),
        closes_at=at("2026-08-25 18:00"),
    )
    Response.objects.create(survey=survey, source="public", score=Decimal(4))
    Response.objects.create(survey=survey, source="public", score=Decimal(5))
    # time: three tasks due in the period — one on time, one late, one still open past its due time
    for number, (due, done) in enumerate(
        [
            ("2026-08-01 18:00", "2026-08-01 12:00"),
            ("2026-08-05 18:00", "2026-08-06 09:00"),
            ("2026-09-01 18:00", None),
        ],
        start=1,
    ):
        Task.objects.create(
            project=project,
            number=number,
            title=f"任务 {number}",
            owner=planner,
            due=at(due),
            done_criterion="完成",
            done_at=at(done) if done else None,
        )
    # teamwork: 4 and 5 from two colleagues → 4.50
    services.give_feedback(planner, by=s["reception"], score=4, given_on=D(2026, 8, 21))
    services.give_feedback(planner, by=s["director"], score=5, given_on=D(2026, 8, 22))
    services.give_feedback(planner, by=s["director"], score=1, given_on=D(2026, 10, 2))  # outside
    # adaptability: acknowledged two incidents resolved in 1 h and 2 h → 1.50 h; a drill is not counted
    for number, (reported, resolved, drill) in enumerate(
        [
            ("2026-08-20 10:00", "2026-08-20 11:00", False),
            ("2026-08-20 13:00", "2026-08-20 15:00", False),
            ("2026-08-20 16:00", "2026-08-20 22:00", True),
        ],
        start=1,
    ):
        incident = Incident.objects.create(
            project=project,
            number=number,
            type="equipment",
            place="主会场",
            occurred_at=at(reported),
            reported_at=at(reported),
            reporter=planner,
            impact="投影中断",
            suggested_level="III",
            level="III",
            is_drill=drill,
            resolved_at=at(resolved),
        )
        ChainStep.objects.create(
            incident=incident,
            position=1,
            role="planner",
            user=planner,
            acknowledged_by=planner,
            acknowledged_at=at(reported),
            state="acknowledged",
        )
    return s


def test_req_ppl_02_measures_per_person_from_the_records(worked):
    planner = worked["planner"]
    got = {
        m.key: m
        for m in measures.measures(planner, D(2026, 7, 1), D(2026, 10, 1), now=at("2026-09-30 12:00"))
    }
    assert got["skill"].value == Decimal("0.6667")  # 2 of 3
    assert got["skill"].evidence == {
        "passed": 2,
        "taken": 3,
        "plan_passed": 1,
        "plan_taken": 2,
        "meeting_passed": 1,
        "meeting_taken": 1,
    }
    assert got["communication"].value == Decimal("90.00")
    assert got["communication"].evidence["responses"] == 2
    assert got["time"].value == 2 and got["time"].evidence == {"tasks": 3, "done_late": 1, "open_past_due": 1}
    assert got["teamwork"].value == Decimal("4.50") and got["teamwork"].evidence["colleagues"] == 2
    assert got["adaptability"].value == Decimal("1.50")
    assert got["adaptability"].evidence == {"incidents": 2, "resolved": 2, "unresolved": 0}


def test_req_ppl_02_no_record_is_no_data_not_zero(plan):
    got = {m.key: m for m in measures.measures(plan["south"], D(2026, 7, 1), D(2026, 10, 1))}
    assert all(m.value is None for m in got.values())


def test_req_ppl_05_review_keeps_the_measures_and_needs_the_employees_acknowledgement(worked):
    s = worked
    planner, director = s["planner"], s["director"]
    review = services.save_review(
        planner,
        by=director,
        period_start=D(2026, 7, 1),
        period_end=D(2026, 9, 30),
        ratings={"skill": 3, "teamwork": "5"},
        overall=None,
        strengths="沟通主动",
        now=at("2026-09-30 12:00"),
    )
    assert review.measures["teamwork"]["value"] == "4.50"
    assert review.measures["time"]["formula"] == measures.FORMULAS["time"]
    assert review.ratings == {"skill": 3, "teamwork": 5}
    with pytest.raises(ValidationError):  # no overall rating yet
        services.submit_review(review, by=director)
    review = services.save_review(
        planner,
        by=director,
        review=review,
        period_start=D(2026, 7, 1),
        period_end=D(2026, 9, 30),
        ratings={},
        overall=4,
    )
    services.submit_review(review, by=director)
    assert planner.notifications.filter(kind="people.review").count() == 1
    with pytest.raises(ValidationError):
        services.save_review(
            planner, by=director, review=review, period_start=D(2026, 7, 1), period_end=D(2026, 9, 30)
        )
    with pytest.raises(ValidationError):  # only the person reviewed acknowledges
        services.acknowledge_review(review, by=director)
    services.acknowledge_review(review, by=planner, comment="认可")
    review.refresh_from_db()
    assert review.status == PerformanceReview.Status.ACKNOWLEDGED and review.acknowledged_at
    # the review can still be linked to an accountability case (REQ-QLT-08)
    services.link_accountability(review, by=director, link="/quality/accountability/7/")
    review.refresh_from_db()
    assert review.accountability_link == "/quality/accountability/7/"


def test_req_ppl_05_nobody_reviews_themselves_and_ratings_are_checked(plan):
    s = plan
    with pytest.raises(ValidationError):
        services.save_review(
            s["director"], by=s["director"], period_start=D(2026, 7, 1), period_end=D(2026, 9, 30)
        )
    with pytest.raises(ValidationError) as error:
        services.save_review(
            s["planner"],
            by=s["director"],
            period_start=D(2026, 7, 1),
            period_end=D(2026, 9, 30),
            ratings={"skill": 9},
        )
    assert "rating_skill" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.give_feedback(s["planner"], by=s["planner"], score=5)
