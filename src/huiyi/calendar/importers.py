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

**Hostile files** (issue 10) are refused with a message, never an error page, and nothing is stored:

* a file larger than ``HUIYI_CALENDAR_IMPORT_MAX_BYTES`` (a setting, default 1 MiB — a year's schedule is
  a few kilobytes), checked before it is read (:func:`check_size`);
* a name other than ``.csv``/``.ics``, or content that is not what the name says: a binary file (a ZIP
  such as .xlsx — never opened, so no ZIP bomb inflates —, PDF, image, old Excel), an HTML/XML page, an
  iCalendar file named .csv or a CSV named .ics;
* lines that are not CSV, values longer than :data:`MAX_TEXT` characters or carrying control characters
  (a NUL cannot be stored in PostgreSQL), dates an iCalendar reader cannot read, an event longer than
  :data:`MAX_EVENT_DAYS` days (one event from year 1 to 9999 would be 3.6 million rows), more than
  :data:`MAX_DAYS` days in one file.

Names and notes are kept as plain text: HTML in them is shown escaped, and a spreadsheet formula (``=…``)
stays text in every export (``huiyi.core`` exports neutralise such cells).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

__all__ = ["ParsedSchedule", "ScheduleFileError", "ScheduleRow", "check_size", "parse_schedule_file"]

CSV_REQUIRED = ("date", "kind", "name")
CSV_OPTIONAL = ("name_en", "note")
KIND_HOLIDAY = "holiday"
KIND_WORKDAY = "workday"
KINDS = (KIND_HOLIDAY, KIND_WORKDAY)
CSV_SUFFIXES = (".csv",)
ICS_SUFFIXES = (".ics", ".ical", ".ifb", ".icalendar")

#: Technical bounds of a schedule file (not values of the standard): the largest file read, unless the
#: setting HUIYI_CALENDAR_IMPORT_MAX_BYTES says otherwise; the longest name or note; the longest single
#: event (a Chinese holiday period is at most nine days); the most days one file may carry.
DEFAULT_MAX_BYTES = 1024 * 1024
MAX_TEXT = {"name": 100, "name_en": 100, "note": 500}
MAX_EVENT_DAYS = 31
MAX_DAYS = 5000
#: What a binary file begins with, and what it is called in the message.
BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "ZIP (.xlsx, .docx, .zip)"),
    (b"PK\x05\x06", "ZIP (.xlsx, .docx, .zip)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Microsoft Office 97-2003 (.xls, .doc)"),
    (b"%PDF-", "PDF"),
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"\x1f\x8b", "gzip"),
    (b"7z\xbc\xaf", "7-Zip"),
    (b"Rar!", "RAR"),
)

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


def max_bytes() -> int:
    return int(getattr(settings, "HUIYI_CALENDAR_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def check_size(size: int | None, filename: str = "") -> None:
    """Refuse a file larger than :func:`max_bytes` (call it before reading the file)."""
    limit = max_bytes()
    if size is None or size <= limit:
        return
    message = _("“%(name)s” is too large (%(size)s KB): a schedule file may have at most %(max)s KB.")
    values = {"name": _shown(filename or "—"), "size": f"{-(-size // 1024):,}", "max": f"{limit // 1024:,}"}
    raise ScheduleFileError([message % values])


def parse_schedule_file(data: bytes | str, filename: str = "") -> ParsedSchedule:
    """Parse a CSV or .ics schedule: the file name's extension says which (it must be one of the two, and the
    content must agree); without a name, the content decides."""
    check_size(len(data.encode() if isinstance(data, str) else data), filename)
    name = filename.lower()
    shown = _shown(filename)
    if name and not name.endswith(CSV_SUFFIXES + ICS_SUFFIXES):
        raise ScheduleFileError(
            [_("“%(name)s”: only .csv and .ics files can be imported.") % {"name": shown}]
        )
    if isinstance(data, bytes):
        _refuse_binary(data, shown)
    text = _decode(data)
    is_ics = text.lstrip().upper().startswith("BEGIN:VCALENDAR")
    if text.lstrip().startswith("<"):
        raise ScheduleFileError(
            [_("“%(name)s” is a web page or XML document, not a schedule.") % {"name": shown or "—"}]
        )
    if name.endswith(CSV_SUFFIXES) and is_ics:
        raise ScheduleFileError(
            [_("“%(name)s” is an iCalendar file, not a CSV file: name it .ics.") % {"name": shown}]
        )
    if name.endswith(ICS_SUFFIXES) and not is_ics and text.strip():
        raise ScheduleFileError(
            [
                _("“%(name)s” is not an iCalendar file: it does not begin with BEGIN:VCALENDAR.")
                % {"name": shown}
            ]
        )
    parsed = _parse_ics(text) if is_ics else _parse_csv(text)
    if len(parsed.rows) > MAX_DAYS:
        raise ScheduleFileError(
            [
                _("The file lists %(count)s days; one file may list at most %(max)s.")
                % {"count": f"{len(parsed.rows):,}", "max": f"{MAX_DAYS:,}"}
            ]
        )
    parsed.years = sorted({row.date.year for row in parsed.rows})
    return parsed


def _shown(text: str, length: int = 40) -> str:
    """Text from the file (or its name) as a message may quote it: printable, and not too long."""
    text = "".join(ch if ch.isprintable() else "\ufffd" for ch in text)
    return text if len(text) <= length else text[: length - 1] + "…"


def _refuse_binary(data: bytes, shown: str) -> None:
    for signature, kind in BINARY_SIGNATURES:
        if data.startswith(signature):
            raise ScheduleFileError(
                [
                    _(
                        "“%(name)s” is a %(kind)s file, not a schedule: export the schedule as CSV (UTF-8) "
                        "or iCalendar (.ics)."
                    )
                    % {"name": shown or "—", "kind": kind}
                ]
            )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ScheduleFileError([_("The file is not UTF-8 text.")])
    if b"\x00" in data[:8192]:
        raise ScheduleFileError(
            [
                _("“%(name)s” is not a text file: export the schedule as CSV (UTF-8) or iCalendar (.ics).")
                % {"name": shown or "—"}
            ]
        )


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScheduleFileError([_("The file is not UTF-8 text.")]) from exc


def _text_problem(where: str, column: str, value: str) -> str | None:
    """Why a name or note cannot be kept: too long, or with control characters (NUL, escapes …)."""
    if len(value) > MAX_TEXT[column]:
        return _("%(where)s: %(column)s is longer than %(max)d characters.") % {
            "where": where,
            "column": column,
            "max": MAX_TEXT[column],
        }
    if any(unicodedata.category(ch) == "Cc" for ch in value):
        return _("%(where)s: %(column)s contains control characters.") % {"where": where, "column": column}
    return None


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
            shown = ", ".join(_shown(c) for c in unknown[:10])
            problems.append(_("line 1: unknown column(s): %(cols)s.") % {"cols": shown})
        raise ScheduleFileError(problems)
    reader.fieldnames = header
    rows: list[ScheduleRow] = []
    errors: list[str] = []
    records = iter(reader)
    while True:
        try:
            record = next(records)
        except StopIteration:
            break
        except csv.Error:
            errors.append(
                _("line %(n)s: not valid CSV (a value is too long, or a quote is not closed).")
                % {"n": reader.line_num + 1}  # the reader counts the line once it is read
            )
            break
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
                % {"where": where, "value": _shown(values["date"])}
            )
        kind = values["kind"].lower()
        if kind not in KINDS:
            row_errors.append(
                _("%(where)s: kind “%(value)s” must be “holiday” or “workday”.")
                % {"where": where, "value": _shown(values["kind"])}
            )
        if not values["name"]:
            row_errors.append(_("%(where)s: name is empty.") % {"where": where})
        for column in MAX_TEXT:
            problem = _text_problem(where, column, values.get(column, ""))
            if problem:
                row_errors.append(problem)
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
    except (ValueError, IndexError, TypeError, KeyError) as exc:
        raise ScheduleFileError(
            [_("The file is not a valid iCalendar file: %(e)s") % {"e": _shown(str(exc), 120)}]
        ) from exc
    rows: list[ScheduleRow] = []
    errors: list[str] = []
    skipped = 0
    for number, event in enumerate(calendar.walk("VEVENT"), start=1):
        summary = str(event.get("SUMMARY", "")).strip()
        where = _("event %(n)s (“%(summary)s”)") % {"n": number, "summary": _shown(summary)}
        is_working = classify_summary(summary)
        if is_working is None:
            skipped += 1
            continue
        problem = _text_problem(where, "name", summary)
        if problem:
            errors.append(problem)
            continue
        if event.get("RRULE") is not None:
            errors.append(_("%(where)s: recurring events are not supported.") % {"where": where})
            continue
        try:
            start, end = _event_dates(event)
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError):
            # a broken property (icalendar's BrokenCalendarProperty is a ValueError) or a duration beyond
            # the calendar (OverflowError)
            errors.append(_("%(where)s: its dates cannot be read.") % {"where": where})
            continue
        if not isinstance(start, dt.date) or isinstance(start, dt.datetime):
            errors.append(_("%(where)s: not an all-day event.") % {"where": where})
            continue
        if isinstance(end, dt.datetime) or not isinstance(end, dt.date) or end <= start:
            errors.append(_("%(where)s: the end must be an all-day date after the start.") % {"where": where})
            continue
        if (end - start).days > MAX_EVENT_DAYS:
            errors.append(
                _("%(where)s: the event lasts %(days)s days; one event may cover at most %(max)d days.")
                % {"where": where, "days": f"{(end - start).days:,}", "max": MAX_EVENT_DAYS}
            )
            continue
        if len(rows) + (end - start).days > MAX_DAYS:
            errors.append(
                _("The file lists more than %(max)s days; one file may list at most %(max)s.")
                % {"max": f"{MAX_DAYS:,}"}
            )
            break
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


def _event_dates(event) -> tuple:
    """(start, end) of an event as read: ``end`` is exclusive (DTEND, else DTSTART + DURATION, else a day)."""
    start_prop = event.get("DTSTART")
    start = start_prop.dt if start_prop is not None else None
    if not isinstance(start, dt.date) or isinstance(start, dt.datetime):
        return start, None
    end_prop = event.get("DTEND")
    if end_prop is not None:
        return start, end_prop.dt
    if event.get("DURATION") is not None:
        return start, start + event.get("DURATION").dt
    return start, start + dt.timedelta(days=1)


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
