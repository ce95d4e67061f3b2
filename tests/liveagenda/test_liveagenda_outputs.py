"""Phase-3 output 会中服务记录 (REQ-QLT-01): present once an agenda item ran to its end and a progress
report exists."""

from datetime import timedelta

import pytest

from huiyi.onsite.agenda import services
from huiyi.projects.outputs import evidence_for

pytestmark = pytest.mark.django_db


def test_req_qlt_01_in_meeting_service_record_needs_a_run_item_and_a_report(make_project, make_user, org):
    director = make_user("on_site_director", org["north_events"])
    project = make_project(start_in_days=-1, members=[(director, "on_site_director")])
    assert evidence_for(project, "in_meeting_service_record") is None
    item = services.create_item(
        project,
        kind="speech",
        title="董事长报告",
        planned_start=project.start,
        planned_end=project.start + timedelta(minutes=30),
        created_by=director,
    )
    services.start_item(item, by=director, at=project.start)
    item.refresh_from_db()
    services.end_item(item, by=director, at=project.start + timedelta(minutes=31))
    assert evidence_for(project, "in_meeting_service_record") is None
    services.create_progress_report(project, reporter=director, status="on_track")
    evidence = evidence_for(project, "in_meeting_service_record")
    assert evidence is not None and f"/agenda/projects/{project.pk}/" in evidence.url
