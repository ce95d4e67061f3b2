"""The filing demo (issue 8): the finished meeting's outputs are filed and dated within its archive window;
the running meeting's ready outputs are filed (REQ-DOC-01, REQ-DOC-03)."""

import datetime as dt

import pytest

from huiyi.documents import filing, filing_demo
from huiyi.documents.models import Document
from huiyi.incidents import services as incidents

pytestmark = pytest.mark.django_db


def test_req_doc_03_demo_files_outputs_and_dates_the_finished_meeting(team, make_project):
    finished = make_project(
        code=filing_demo.FINISHED, start_in_days=-20, members=[(team["pm"], "project_manager")]
    )
    running = team["project"]
    running.code = filing_demo.RUNNING
    running.save(update_fields=["code"])
    for project in (finished, running):
        incidents.confirm_no_incident(project, by=team["onsite"])

    filing_demo.build([finished, running], {"project_manager": team["pm"]})

    for project in (finished, running):
        assert Document.objects.filter(project=project, doc_type="incident_report").count() == 1
    row = next(r for r in filing.output_rows(finished) if r.doc_type == "incident_report")
    assert row.present and row.on_time and row.filed_at - finished.end < dt.timedelta(days=1)
    filing_demo.build([finished, running], {"project_manager": team["pm"]})  # again: nothing new
    assert Document.objects.get(project=running, doc_type="incident_report").versions.count() == 1
