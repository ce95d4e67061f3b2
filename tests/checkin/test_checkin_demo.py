"""The demo meeting day (HY-2026-105): check-ins through the services, with a conflict, an offline sync,
a check-out and re-entry, and a refused cancelled registration (REQ-ONS-02)."""

import pytest

from huiyi.onsite.attendees import demo as attendees_demo
from huiyi.onsite.checkin import demo, queries
from huiyi.onsite.checkin.metrics import checkin_response_time
from huiyi.onsite.checkin.models import CheckIn, Conflict, PresenceEvent, ScanRecord

pytestmark = pytest.mark.django_db


def test_demo_builds_a_realistic_morning(make_project, make_user, org):
    unit = org["north_events"]
    director = make_user("on_site_director", unit)
    manager = make_user("project_manager", unit)
    project = make_project(
        unit,
        code="HY-2026-105",
        start_in_days=0,
        phase=3,
        members=[(director, "on_site_director"), (manager, "project_manager")],
    )
    people = {"on_site_director": director, "project_manager": manager}
    demo.build([project], people)  # no attendees yet: nothing happens
    assert not ScanRecord.objects.exists()

    attendees_demo.build([project], people)
    demo.build([project], people)
    summary = queries.summary(project)
    assert summary["arrived"] >= summary["expected"] * 8 // 10
    assert summary["inside"] == summary["arrived"]  # the guest who stepped out is back
    assert Conflict.objects.filter(project=project, kind="duplicate").count() == 1
    assert ScanRecord.objects.filter(project=project, offline=True).count() == 2
    assert ScanRecord.objects.filter(project=project, result="blocked").count() == 1
    assert ScanRecord.objects.filter(project=project, result="already_checked_in").count() == 3
    assert sorted(PresenceEvent.objects.filter(project=project).values_list("direction", flat=True)) == [
        "in",
        "out",
    ]
    first = CheckIn.objects.filter(project=project).order_by("checked_in_at").first()
    assert first.checked_in_at < project.start
    assert checkin_response_time(project, None).value <= 3
