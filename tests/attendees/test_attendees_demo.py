"""The demo's meeting-day attendee list (REQ-ONS-02) goes through the import service: about 60 people, VIPs,
speakers, two press, staff, one cancelled — and importing it twice changes nothing."""

import pytest

from huiyi.onsite.attendees import demo, services
from huiyi.onsite.attendees.models import Attendee, Ticket

pytestmark = pytest.mark.django_db


def test_req_ons_02_demo_imports_the_meeting_day_list(make_project, make_user, org):
    manager = make_user("project_manager", org["north_events"], username="pm")
    project = make_project(code="HY-2026-105", members=[(manager, "project_manager")], start_in_days=0)
    other = make_project()
    demo.build([other, project], {"project_manager": manager})
    attendees = Attendee.objects.filter(project=project)
    assert 55 <= attendees.count() <= 65
    assert Ticket.objects.filter(project=project).count() == attendees.count()
    counts = {c: attendees.filter(category=c).count() for c in ("vip", "speaker", "guest", "staff", "press")}
    assert counts["press"] == 2 and counts["vip"] >= 5 and counts["speaker"] >= 3 and counts["staff"] >= 10
    assert attendees.filter(status="cancelled").count() == 1
    assert attendees.filter(language="en").count() == 2
    assert not Attendee.objects.filter(project=other).exists()
    again = services.import_attendees(project, demo.attendee_list_xlsx(), by=manager, dry_run=True)
    assert again.created == 0 and again.updated == 0 and not again.errors
