"""Reading an official holiday schedule from a file (CSV or iCalendar) into validated rows.

**CSV** (UTF-8, a byte-order mark is allowed), one date per row, with a header row::

    date,kind,name,name_en,note
    2027-01-01,holiday,元旦,New Year's Day,
    2027-02-06,workday,春节调休,Spring Festival make-up working day,Saturday

* ``date`` — ``YYYY-MM-DD``;
* ``kind`` — ``holiday`` (a day off, 休) or ``workday`` (a working day, 班 — e.g. an adjusted working day);
* ``name`` — the day's name, as announced (Chinese); required;
* ``name_en`` and ``note`` — optional columns.

Blank lines are ignored; columns may come in any order; unknown columns are an error.

**iCalendar** (``.ics``): every ``VEVENT`` must be an all-day event (``DTSTART;VALUE=DATE``); a multi-day
event covers each date from ``DTSTART`` up to, not including, ``DTEND``. The kind is read from the summary:

* a working day if it contains 班 or the words "workday" / "working day" (so "调休上班" is a working day);
* otherwise a holiday if it contains 休 or the words "holiday" / "day off";
* events with neither marker are skipped (and counted), so a feed may carry other notes.

The summary becomes the day's name. Recurring events (``RRULE``) and timed events are errors.

Parsing is all-or-nothing: every problem is collected with its row (CSV line or event number) and raised
together as :class:`ScheduleFileError`; nothing is returned unless the whole file is valid.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

__all__ = ["ParsedSchedule", "ScheduleFileError", "ScheduleRow", "parse_schedule_file"]

CSV_REQUIRED = ("date", "kind", "name")
CSV_OPTIONAL = ("name_en", "note")
KIND_HOLIDAY = "holiday"
KIND_WORKDAY = "workday"
KINDS = (KIND_HOLIDAY, KIND_WORKDAY)

_WORKDAY_MARKERS = re.compile(r"班|\bwork\s*day\b|\bworking\s+day\b", re.IGNORECASE)
_HOLIDAY_MARKERS = re.compile(r"休|\bholidays?\b|\bday\s+off\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ScheduleRow:
    date: dt.date
    is_working_day: bool
    name: str
    name_en: str = ""
    note: str = ""
    where: str = ""  # "line 3" / "event 2", for messages


@dataclass
class ParsedSchedule:
    rows: list[ScheduleRow]
    skipped: int = 0
    file_format: str = "csv"
    years: list[int] = field(default_factory=list)


class ScheduleFileError(ValueError):
    """The file cannot be imported; ``errors`` lists every problem with its row."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


def parse_schedule_file(data: bytes | str, filename: str = "") -> ParsedSchedule:
    """Parse a CSV or .ics schedule (chosen by the file name, else by content)."""
    text = _decode(data)
    name = filename.lower()
    if name.endswith((".ics", ".ical", ".ifb", ".icalendar")) or (
        not name.endswith(".csv") and text.lstrip().upper().startswith("BEGIN:VCALENDAR")
    ):
        parsed = _parse_ics(text)
    else:
        parsed = _parse_csv(text)
    parsed.years = sorted({row.date.year for row in parsed.rows})
    return parsed


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScheduleFileError([_("The file is not UTF-8 text.")]) from exc


def _check_duplicates(rows: list[ScheduleRow], errors: list[str]) -> None:
    seen: dict[dt.date, ScheduleRow] = {}
    for row in rows:
        earlier = seen.get(row.date)
        if earlier is None:
            seen[row.date] = row
        elif earlier.is_working_day != row.is_working_day:
            errors.append(
                _("%(where)s: %(date)s is given as both a holiday and a working day (see %(earlier)s).")
                % {"where": row.where, "date": row.date.isoformat(), "earlier": earlier.where}
            )
        else:
            errors.append(
                _("%(where)s: %(date)s appears again (first at %(earlier)s).")
                % {"where": row.where, "date": row.date.isoformat(), "earlier": earlier.where}
            )


def _parse_csv(text: str) -> ParsedSchedule:
    reader = csv.DictReader(io.StringIO(text))
    header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    if not header:
        raise ScheduleFileError([_("The file is empty.")])
    missing = [c for c in CSV_REQUIRED if c not in header]
    unknown = [c for c in header if c not in CSV_REQUIRED + CSV_OPTIONAL]
    if missing or unknown:
        problems = []
        if missing:
            problems.append(_("line 1: missing column(s): %(cols)s.") % {"cols": ", ".join(missing)})
        if unknown:
            problems.append(_("line 1: unknown column(s): %(cols)s.") % {"cols": ", ".join(unknown)})
        raise ScheduleFileError(problems)
    reader.fieldnames = header
    rows: list[ScheduleRow] = []
    errors: list[str] = []
    for record in reader:
        where = _("line %(n)s") % {"n": reader.line_num}
        if None in record:
            errors.append(_("%(where)s: more values than columns.") % {"where": where})
            continue
        values = {k: (v or "").strip() for k, v in record.items()}
        if not any(values.values()):
            continue
        row_errors = []
        try:
            day = dt.date.fromisoformat(values["date"])
        except ValueError:
            day = None
            row_errors.append(
                _("%(where)s: date “%(value)s” is not a date like 2027-01-01.")
                % {"where": where, "value": values["date"]}
            )
        kind = values["kind"].lower()
        if kind not in KINDS:
            row_errors.append(
                _("%(where)s: kind “%(value)s” must be “holiday” or “workday”.")
                % {"where": where, "value": values["kind"]}
            )
        if not values["name"]:
            row_errors.append(_("%(where)s: name is empty.") % {"where": where})
        if row_errors:
            errors.extend(row_errors)
            continue
        rows.append(
            ScheduleRow(
                date=day,  # type: ignore[arg-type]
                is_working_day=kind == KIND_WORKDAY,
                name=values["name"],
                name_en=values.get("name_en", ""),
                note=values.get("note", ""),
                where=where,
            )
        )
    _check_duplicates(rows, errors)
    if not rows and not errors:
        errors.append(_("The file has no rows."))
    if errors:
        raise ScheduleFileError(errors)
    return ParsedSchedule(rows, file_format="csv")


def classify_summary(summary: str) -> bool | None:
    """True for a working day, False for a holiday, None when the summary carries no marker."""
    if _WORKDAY_MARKERS.search(summary):
        return True
    if _HOLIDAY_MARKERS.search(summary):
        return False
    return None


def _parse_ics(text: str) -> ParsedSchedule:
    from icalendar import Calendar

    try:
        calendar = Calendar.from_ical(text)
    except (ValueError, IndexError) as exc:
        raise ScheduleFileError([_("The file is not a valid iCalendar file: %(e)s") % {"e": exc}]) from exc
    rows: list[ScheduleRow] = []
    errors: list[str] = []
    skipped = 0
    for number, event in enumerate(calendar.walk("VEVENT"), start=1):
        summary = str(event.get("SUMMARY", "")).strip()
        where = _("event %(n)s (“%(summary)s”)") % {"n": number, "summary": summary}
        is_working = classify_summary(summary)
        if is_working is None:
            skipped += 1
            continue
        if event.get("RRULE") is not None:
            errors.append(_("%(where)s: recurring events are not supported.") % {"where": where})
            continue
        start_prop = event.get("DTSTART")
        start = start_prop.dt if start_prop is not None else None
        if not isinstance(start, dt.date) or isinstance(start, dt.datetime):
            errors.append(_("%(where)s: not an all-day event.") % {"where": where})
            continue
        end_prop = event.get("DTEND")
        if end_prop is not None:
            end = end_prop.dt
        elif event.get("DURATION") is not None:
            end = start + event.get("DURATION").dt
        else:
            end = start + dt.timedelta(days=1)
        if isinstance(end, dt.datetime) or not isinstance(end, dt.date) or end <= start:
            errors.append(_("%(where)s: the end must be an all-day date after the start.") % {"where": where})
            continue
        day = start
        while day < end:
            rows.append(ScheduleRow(day, is_working, summary, where=where))
            day += dt.timedelta(days=1)
    rows = _merge_multi_day(rows)
    _check_duplicates(rows, errors)
    if not rows and not errors:
        errors.append(_("The file has no holiday (休) or working-day (班) events."))
    if errors:
        raise ScheduleFileError(errors)
    return ParsedSchedule(rows, skipped=skipped, file_format="ics")


def _merge_multi_day(rows: list[ScheduleRow]) -> list[ScheduleRow]:
    """Drop exact repeats of the same date and kind (feeds often list a day twice); keep conflicts."""
    out: list[ScheduleRow] = []
    seen: set[tuple[dt.date, bool]] = set()
    for row in rows:
        key = (row.date, row.is_working_day)
        if key in seen:
            continue
        seen.add(key)
        out.append(row)
    return out
