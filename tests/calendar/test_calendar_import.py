"""Importing an official schedule (CSV or .ics) — all or nothing, row-numbered errors."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django_guard import require_calendar_app

require_calendar_app()

from django.core.management import CommandError, call_command  # noqa: E402

from huiyi.calendar import services  # noqa: E402
from huiyi.calendar.importers import ScheduleFileError, classify_summary, parse_schedule_file  # noqa: E402
from huiyi.calendar.models import CalendarDay, LoadedYear  # noqa: E402

pytestmark = pytest.mark.django_db

CSV_2027 = """\ufeffdate,kind,name,name_en,note
2027-01-01,holiday,元旦,New Year's Day,
2027-02-06,workday,春节调休,Spring Festival make-up day,Saturday

2027-02-07,holiday,春节,Spring Festival,
"""

ICS_2027 = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:1
SUMMARY:春节（休）
DTSTART;VALUE=DATE:20270206
DTEND;VALUE=DATE:20270209
END:VEVENT
BEGIN:VEVENT
UID:2
SUMMARY:春节调休上班（班）
DTSTART;VALUE=DATE:20270213
END:VEVENT
BEGIN:VEVENT
UID:3
SUMMARY:除夕
DTSTART;VALUE=DATE:20270205
END:VEVENT
BEGIN:VEVENT
UID:4
SUMMARY:Labour Day holiday
DTSTART;VALUE=DATE:20270501
DURATION:P2D
END:VEVENT
END:VCALENDAR
"""


@pytest.fixture(autouse=True)
def _english():
    """These tests read the messages; they ask for them in English (the default language is Chinese)."""
    from django.utils import translation

    with translation.override("en"):
        yield


def test_csv_import_creates_days(django_user_model):
    user = django_user_model.objects.create_user(username="admin2", password="a-long-password-1")
    result = services.import_schedule(CSV_2027.encode(), filename="2027.csv", user=user)
    assert (result.created, result.updated, result.years, result.file_format) == (3, 0, [2027], "csv")
    new_year = CalendarDay.objects.get(date=dt.date(2027, 1, 1))
    assert not new_year.is_working_day
    assert new_year.name == {"zh-hans": "元旦", "en": "New Year's Day"}
    assert new_year.created_by == user
    assert new_year.source == "import: 2027.csv"
    assert CalendarDay.objects.get(date=dt.date(2027, 2, 6)).is_working_day
    assert not LoadedYear.objects.exists()  # importing days does not confirm a year
    schedule = services.build_schedule()
    assert not schedule.is_working_day(dt.date(2027, 1, 1))
    assert not schedule.is_confirmed(dt.date(2027, 1, 1))


def test_reimport_updates_and_confirms_years():
    services.import_schedule(CSV_2027, filename="2027.csv")
    changed = CSV_2027.replace("2027-02-06,workday", "2027-02-06,holiday")
    result = services.import_schedule(changed, filename="2027.csv", confirm_years=[2027])
    assert (result.created, result.updated, result.confirmed_years) == (0, 3, [2027])
    assert not CalendarDay.objects.get(date=dt.date(2027, 2, 6)).is_working_day
    assert services.build_schedule().is_confirmed(dt.date(2027, 6, 1))


def test_csv_errors_are_row_numbered_and_nothing_is_stored():
    bad = (
        "date,kind,name\n"
        "2027-01-01,holiday,元旦\n"
        "2027-13-01,holiday,bad month\n"
        "2027-02-06,rest,春节\n"
        "2027-02-07,holiday,\n"
        "2027-01-01,workday,again\n"
    )
    with pytest.raises(ScheduleFileError) as caught:
        services.import_schedule(bad, filename="bad.csv")
    errors = caught.value.errors
    assert any(e.startswith("line 3:") and "2027-13-01" in e for e in errors)
    assert any(e.startswith("line 4:") and "rest" in e for e in errors)
    assert any(e.startswith("line 5:") and "name" in e for e in errors)
    assert any(e.startswith("line 6:") and "line 2" in e for e in errors)
    assert CalendarDay.objects.count() == 0


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty"),
        ("date,kind\n2027-01-01,holiday\n", "missing column"),
        ("date,kind,name,colour\n", "unknown column"),
        ("date,kind,name\n", "no rows"),
        ("date,kind,name\n2027-01-01,holiday,元旦,extra\n", "line 2: more values"),
    ],
)
def test_csv_structure_errors(text, fragment):
    with pytest.raises(ScheduleFileError, match=fragment):
        parse_schedule_file(text, "x.csv")


def test_ics_import():
    result = services.import_schedule(io.BytesIO(ICS_2027.encode()), filename="cn-2027.ics")
    assert result.file_format == "ics"
    assert result.skipped == 1  # 除夕 carries no 休/班 marker
    days = {d.date.isoformat(): d.is_working_day for d in CalendarDay.objects.all()}
    assert days == {
        "2027-02-06": False,
        "2027-02-07": False,
        "2027-02-08": False,
        "2027-02-13": True,
        "2027-05-01": False,
        "2027-05-02": False,
    }


def test_ics_is_detected_by_content():
    assert parse_schedule_file(ICS_2027).file_format == "ics"


def test_ics_errors():
    timed = ICS_2027.replace("DTSTART;VALUE=DATE:20270213", "DTSTART:20270213T090000Z")
    with pytest.raises(ScheduleFileError, match=r"event 2 .*not an all-day event"):
        parse_schedule_file(timed, "x.ics")
    with pytest.raises(ScheduleFileError, match="not a valid iCalendar"):
        parse_schedule_file("BEGIN:VCALENDAR\nthis is not ical", "x.ics")
    conflict = ICS_2027.replace("DTSTART;VALUE=DATE:20270213", "DTSTART;VALUE=DATE:20270207")
    with pytest.raises(ScheduleFileError, match="both a holiday and a working day"):
        parse_schedule_file(conflict, "x.ics")


@pytest.mark.parametrize(
    ("summary", "expected"),
    [("元旦（休）", False), ("春节调休上班（班）", True), ("Workday", True), ("National Day holiday", False),
     ("除夕", None)],
)  # fmt: skip
def test_summary_markers(summary, expected):
    assert classify_summary(summary) is expected


def test_command_due_prints_the_api_json(capsys):
    """`huiyi calendar due … --json` prints what GET /api/v1/calendar/due/ returns."""
    out = io.StringIO()
    call_command(
        "calendar", "due", "--start", "2026-02-13T10:00+08:00", "--working-days", "3", "--json", stdout=out
    )
    assert json.loads(out.getvalue()) == {"due": "2026-02-25T23:59:59+08:00", "confirmed": True}
    out = io.StringIO()
    call_command("calendar", "due", "--start", "2026-12-30", "--working-days", "3", stdout=out)
    assert out.getvalue().startswith("2027-01-04T23:59:59+08:00") and "unconfirmed" in out.getvalue()
    out = io.StringIO()
    call_command(
        "calendar", "due", "--start", "2026-03-06T17:00+08:00", "--business-hours", "2", "--json", stdout=out
    )
    assert json.loads(out.getvalue())["due"] == "2026-03-09T10:00:00+08:00"


def test_huiyi_console_command(capsys):
    from huiyi.cli import main

    assert main(["calendar", "due", "--start", "2026-02-13", "--hours", "24", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"due": "2026-02-14T00:00:00+08:00", "confirmed": True}


def test_command_due_errors():
    with pytest.raises(CommandError, match="--start"):
        call_command("calendar", "due", "--start", "2026-02-13T10:00", "--working-days", "3")
    with pytest.raises(CommandError, match="must not be negative"):
        call_command("calendar", "due", "--start", "2026-02-13", "--working-days", "-1")


def test_command_import(tmp_path):
    path = tmp_path / "2027.csv"
    path.write_text(CSV_2027, encoding="utf-8")
    out = io.StringIO()
    call_command("calendar", "import", str(path), "--confirm-year", "2027", stdout=out)
    assert "3 day(s) added" in out.getvalue() and "2027" in out.getvalue()
    assert LoadedYear.objects.get(year=2027).source == "import: 2027.csv"
    bad = tmp_path / "bad.csv"
    bad.write_text("date,kind,name\n2027-01-01,maybe,x\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line 2"):
        call_command("calendar", "import", str(bad))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("calendar", "import", str(tmp_path / "missing.csv"))
