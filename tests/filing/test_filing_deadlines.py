"""Archive completeness and the two document deadlines, against hand-computed cases around National Day
2025 (holiday 1–8 October; Sunday 28 September and Saturday 11 October are working days).

Meeting ends Tuesday 30 September 2025 17:00. Working days after it: 9 Oct (1), 10 Oct (2), 11 Oct (3),
13 Oct (4), 14 Oct (5), 15 Oct (6), 16 Oct (7). Archive due (5 working days): 14 October 23:59:59.
"""

from decimal import Decimal

import pytest

from huiyi.closing import metrics, queries
from huiyi.closing import services as closing
from huiyi.closing.checklist import ARCHIVE_KEYS
from huiyi.documents import filing
from huiyi.quality.metrics import Measurement
from huiyi.rulebook.services import rulebook_for

from .conftest import at, file_at

pytestmark = pytest.mark.django_db

#: Required phase outputs no checklist record stands for (P1–P3 outputs, the archive rule's phases).
DOCUMENT_ONLY = [
    "client_requirements_confirmation",
    "meeting_plan",
    "team_responsibility_chart",
    "in_meeting_service_record",
    "incident_report",
]


def test_req_doc_03_working_days_count_skips_the_holiday(holiday_project):
    """REQ-DOC-03: the working-day scale of the calendar service."""
    end = holiday_project.end
    assert filing.working_days_after(end, at(9, 30, 23)) == 0
    assert filing.working_days_after(end, at(10, 4)) == 1  # a holiday counts with the next working day
    assert filing.working_days_after(end, at(10, 9)) == 1
    assert filing.working_days_after(end, at(10, 11)) == 3  # adjusted working Saturday
    assert filing.working_days_after(end, at(10, 12)) == 4  # Sunday: part of Monday 13th
    assert filing.working_days_after(end, at(10, 16)) == 7
    assert filing.working_days_after(end, at(10, 17)) == 8


def test_req_doc_03_archive_deadline_and_required_outputs(holiday_project):
    """REQ-DOC-03 / CCP 11: due 5 working days after the end; P1–P3 outputs are required, P4/P5 not."""
    rulebook = rulebook_for(holiday_project)
    deadline, confirmed = filing.archive_deadline(holiday_project, rulebook)
    assert deadline == at(10, 14, 23, 59).replace(second=59) and confirmed
    rows = {r.doc_type: r for r in filing.output_rows(holiday_project, rulebook)}
    assert rows["incident_report"].required and rows["venue_layout_drawing"].required
    assert not rows["service_summary_report"].required and not rows["improvement_plan"].required
    assert rows["meeting_plan"].due == deadline and rows["improvement_plan"].due is None


def test_req_doc_03_archive_completeness_reads_documents_and_the_checklist(holiday_project, team):
    """CCP 11: 11 checklist records + 5 document-only outputs = 16 required; documents count at their first
    version, paper records at their tick; one output filed on 15 October is late → 15 / 16."""
    project, pm = holiday_project, team["pm"]
    rulebook = rulebook_for(project)
    for key in ARCHIVE_KEYS:
        if key not in ("agenda", "layout_drawing"):
            closing.archive_record(project, key, archived_at=at(10, 9), by=pm)
    file_at(project, "agenda", at(10, 10), pm)  # the agenda record is archived as a document
    file_at(project, "venue_layout_drawing", at(10, 13), pm)  # a phase output stands for the drawing
    for doc_type in DOCUMENT_ONLY[:-1]:
        file_at(project, doc_type, at(10, 14, 20), pm)

    status = queries.archive_status(project, rulebook, now=at(10, 14, 21))
    assert status.required == 16 and status.archived == 15 and status.window_open
    assert [r.doc_type for r in status.missing_outputs] == ["incident_report"]
    agenda = next(i for i in status.items if i.key == "agenda")
    assert agenda.archived_at is None and status.archived_at(agenda) == at(10, 10)

    file_at(project, "incident_report", at(10, 15, 9), pm)
    status = queries.archive_status(project, rulebook, now=at(10, 20))
    assert (status.on_time, status.archived, status.required) == (15, 16, 16)
    result = metrics.archive_completeness(project, rulebook)
    assert isinstance(result, Measurement) and result.value == Decimal(15) / Decimal(16)
    assert not rulebook.rules_where(metric="archive_completeness")[0].passes(result.value)
    time = metrics.archive_time(project, rulebook)
    assert time.value == Decimal(6)  # last record 15 October = 6th working day > 5
    assert not rulebook.rules_where(metric="archive_time")[0].passes(time.value)


def test_req_doc_03_archive_time_passes_on_the_last_day(holiday_project, team):
    """Everything archived by 14 October 23:00 (the 5th working day): 5 working days, on time."""
    project, pm = holiday_project, team["pm"]
    rulebook = rulebook_for(project)
    for key in ARCHIVE_KEYS:
        closing.archive_record(project, key, archived_at=at(10, 9), by=pm)
    for doc_type in DOCUMENT_ONLY:
        file_at(project, doc_type, at(10, 14, 23), pm)
    assert metrics.archive_completeness(project, rulebook).value == Decimal(1)
    time = metrics.archive_time(project, rulebook)
    assert time.value == Decimal(5) and rulebook.rules_where(metric="archive_time")[0].passes(time.value)


def test_req_doc_03_minutes_draft_time_in_hours(holiday_project, team):
    """§4.3(3): minutes draft within 24 hours of the end (calendar hours, holiday or not)."""
    project, pm = holiday_project, team["pm"]
    rulebook = rulebook_for(project)
    rule = rulebook.rules_where(metric="minutes_draft_time")[0]
    missing = metrics.minutes_draft_time(project, rulebook)
    assert isinstance(missing, Measurement) and not rule.passes(missing.value)  # long past due, none filed
    file_at(project, "minutes", at(10, 1, 13, 30), pm)  # 20.5 hours after the end, on a holiday
    result = metrics.minutes_draft_time(project, rulebook)
    assert result.value == Decimal("20.50") and rule.passes(result.value)


def test_req_doc_03_minutes_late_after_24_hours(holiday_project, team):
    project, pm = holiday_project, team["pm"]
    rulebook = rulebook_for(project)
    file_at(project, "minutes", at(10, 1, 23), pm)
    result = metrics.minutes_draft_time(project, rulebook)
    assert result.value == Decimal("30.00")
    assert not rulebook.rules_where(metric="minutes_draft_time")[0].passes(result.value)


@pytest.mark.parametrize(("day", "days", "passes"), [(16, 7, True), (17, 8, False), (5, 1, True)])
def test_req_doc_03_summary_report_time_in_working_days(holiday_project, team, day, days, passes):
    """§4.3(3): service summary report within 7 working days: 16 October is the 7th, 17 October the 8th."""
    project, pm = holiday_project, team["pm"]
    rulebook = rulebook_for(project)
    file_at(project, "service_summary_report", at(10, day), pm)
    result = metrics.summary_report_time(project, rulebook)
    assert result.value == Decimal(days)
    assert rulebook.rules_where(metric="summary_report_time")[0].passes(result.value) is passes
