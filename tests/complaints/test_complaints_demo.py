"""The demo's complaints (issue 7 "Done when"): on HY-2026-092 one serious complaint that breached its
response target and escalated; on HY-2026-096 one resolved in time, confirmed by the client, with an NC."""

import datetime as dt

import pytest
from django.utils import timezone

from huiyi.feedback.complaints import demo
from huiyi.feedback.complaints.models import Complaint, ComplaintEvent

pytestmark = pytest.mark.django_db


def test_req_fbk_06_demo_complaints(team, make_project, org, make_user):
    members = [(team["pm"], "project_manager"), (team["am"], "account_manager")]
    dealer = make_project(org["north_events"], code="HY-2026-092", start_in_days=-16, members=members)
    training = make_project(org["north_events"], code="HY-2026-096", start_in_days=-9, members=members)
    demo.build([dealer, training], {"project_manager": team["pm"], "account_manager": team["am"]})

    breached = Complaint.objects.get(project=dealer)
    assert breached.severity == "serious" and breached.response_breached_at is not None
    assert breached.resolution_breached_at is None and breached.status == "closed"
    levels = ComplaintEvent.objects.filter(complaint=breached, kind="escalated").values_list(
        "level", flat=True
    )
    assert list(levels) == [1, 2]
    assert breached.received_at < timezone.now() - dt.timedelta(days=10)

    in_time = Complaint.objects.get(project=training)
    assert in_time.status == "closed" and in_time.confirmed_by_name and in_time.nonconformance_id
    assert not in_time.is_breached and in_time.escalation_level == 0
    assert ComplaintEvent.objects.filter(complaint=in_time, kind="paused").count() == 1
