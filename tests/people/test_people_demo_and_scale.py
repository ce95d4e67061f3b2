"""The demo and the data generator (REQ-PPL-01…05): demo records through the services; bulk generation."""

import datetime as dt
import random

from django.utils import timezone

from huiyi.people import demo, queries, scale
from huiyi.people.models import Certification, ModuleAttendance, ModuleSession, PerformanceReview


def test_req_ppl_03_demo_builds_profiles_training_year_and_a_review(make_user, org):
    people = {}
    for username, role, unit in [
        ("zhao.min", "project_director", "north"),
        ("qian.hao", "project_manager", "north_events"),
        ("sun.li", "planner", "north_events"),
        ("zheng.yu", "reception", "north_events"),
        ("wang.gang", "security", "north_events"),
        ("wu.lei", "technical_support", "north_events"),
        ("chen.jing", "account_manager", "north_events"),
        ("zhou.jie", "on_site_director", "north_events"),
        ("jiang.tao", "hr", "company"),
    ]:
        people[role] = make_user(role, org[unit], username=username)
    demo.build([], people)
    today = timezone.localdate()
    states = {
        queries.certificate_state(c, today, queries.expiry_lead_days()) for c in Certification.objects.all()
    }
    assert {"expired", "expiring"} <= states
    assert ModuleSession.objects.filter(module="communication").count() == 12
    late = {(r.user.username, r.module.key) for r in queries.overdue(today)}
    assert {("wang.gang", "risk_management"), ("zheng.yu", "communication")} <= late
    review = PerformanceReview.objects.get()
    assert review.subject.username == "qian.hao" and review.status == "acknowledged"
    demo.build([], people)  # a second run adds nothing
    assert ModuleSession.objects.filter(module="communication").count() == 12


def test_req_ppl_03_scale_generates_sessions_at_each_cycle(make_user, org):
    users = [make_user("planner", org["north_events"]) for _ in range(5)]
    counts = scale.generate(dt.date(2024, 1, 1), 2, users, random.Random(1))
    # cycles 12, 3, 1, 3, 12 months over 24 months: 2 + 8 + 24 + 8 + 2
    assert counts["sessions"] == ModuleSession.objects.count() == 44
    assert counts["attendances"] == ModuleAttendance.objects.count() > 0
