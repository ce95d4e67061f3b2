"""The calendar service for the rest of Huiyi: build the schedule from the database and the packages,
compute deadlines, import an official schedule.

Every deadline in the product goes through here (ARCHITECTURE.md, "Time is a first-class service"):

    from huiyi.calendar import services as cal
    deadline = cal.due(start, working_days=rule.amount, request=request)   # Deadline(due, confirmed)

Amounts always come from the caller (the rulebook); nothing here knows how many days anything takes.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .clocks import Deadline, HoursSpec, WorkCalendar, hours_to_timedelta, resolve_tz
from .defaults import SUPPORT_HOURS_RULE, support_hours
from .importers import ParsedSchedule, ScheduleFileError, check_size, max_bytes, parse_schedule_file
from .models import BusinessHours, CalendarDay, LoadedYear
from .schedule import Schedule

__all__ = [
    "ImportResult",
    "ScheduleFileError",
    "build_schedule",
    "business_hours",
    "due",
    "import_schedule",
    "organisation_zone",
    "work_calendar",
]

_REQUEST_CACHE_ATTRIBUTE = "_huiyi_work_calendar"


def organisation_zone() -> dt.tzinfo:
    """The organisation's zone (settings.TIME_ZONE, from HUIYI_TIME_ZONE; default Asia/Shanghai)."""
    return resolve_tz(settings.TIME_ZONE)


def build_schedule() -> Schedule:
    """Packages + administrator overrides + years marked loaded (two queries)."""
    overrides = {day.date: day.to_override() for day in CalendarDay.objects.all()}
    confirmed = LoadedYear.objects.values_list("year", flat=True)
    return Schedule(overrides, confirmed_years=confirmed)


def business_hours() -> HoursSpec:
    """The organisation's support hours; else the active rulebook's REQ-TEC-01 support hours."""
    row = BusinessHours.objects.filter(pk=1).first()
    if row is not None:
        return row.spec()
    from huiyi.rulebook.services import active_rulebook

    rulebook = active_rulebook()
    if SUPPORT_HOURS_RULE not in rulebook:
        return HoursSpec.default()
    return HoursSpec.uniform(*support_hours(rulebook.rule(SUPPORT_HOURS_RULE)))


def work_calendar(request=None) -> WorkCalendar:
    """Schedule, zone and hours together; built once per request when ``request`` is given."""
    if request is not None:
        cached = getattr(request, _REQUEST_CACHE_ATTRIBUTE, None)
        if cached is not None:
            return cached
    calendar = WorkCalendar(build_schedule(), organisation_zone(), business_hours())
    if request is not None:
        setattr(request, _REQUEST_CACHE_ATTRIBUTE, calendar)
    return calendar


def due(
    start: dt.datetime,
    *,
    working_days: int | None = None,
    hours: dt.timedelta | Decimal | float | int | None = None,
    business_hours: dt.timedelta | Decimal | float | int | None = None,
    request=None,
    calendar: WorkCalendar | None = None,
) -> Deadline:
    """The deadline ``start`` + exactly one of working days, elapsed hours or business hours.

    Raises ``ValueError`` for bad input (naive start, negative amounts, not exactly one amount).
    """
    given = [
        name
        for name, value in (
            ("working_days", working_days),
            ("hours", hours),
            ("business_hours", business_hours),
        )
        if value is not None
    ]
    if len(given) != 1:
        raise ValueError("give exactly one of working_days, hours or business_hours")
    calendar = calendar or work_calendar(request)
    if working_days is not None:
        return calendar.add_working_days(start, working_days)
    if business_hours is not None:
        return calendar.add_business_hours(start, business_hours)
    return calendar.add_calendar(start, hours_to_timedelta(hours, "hours"))


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    skipped: int
    years: list[int]
    confirmed_years: list[int]
    file_format: str

    def summary(self) -> str:
        return _(
            "%(created)s day(s) added, %(updated)s updated, %(skipped)s event(s) skipped; years %(years)s."
        ) % {
            "created": self.created,
            "updated": self.updated,
            "skipped": self.skipped,
            "years": ", ".join(map(str, self.years)) or "—",
        }


def import_schedule(
    file,
    *,
    filename: str = "",
    user=None,
    confirm_years: list[int] | tuple[int, ...] = (),
    source: str = "",
) -> ImportResult:
    """Load a CSV or .ics schedule (formats: :mod:`huiyi.calendar.importers`) into ``CalendarDay``.

    ``file`` is a ``pathlib.Path``, bytes, text or a file object (an upload). All or nothing: if any
    row is invalid, :class:`~huiyi.calendar.importers.ScheduleFileError` lists every problem with its
    row and nothing is stored. Existing entries for the same dates are replaced. ``confirm_years`` also
    marks those years' official schedules as loaded (deadlines in them become confirmed) — only do that
    for a complete schedule, never for a few corrections.
    """
    data, name = _read(file, filename)
    parsed: ParsedSchedule = parse_schedule_file(data, name)
    origin = source or (_("import: %(name)s") % {"name": name} if name else _("import"))
    created = updated = 0
    with transaction.atomic():
        existing = {
            row.date: row for row in CalendarDay.objects.filter(date__in=[r.date for r in parsed.rows])
        }
        for row in parsed.rows:
            names = {"zh-hans": row.name}
            if row.name_en:
                names["en"] = row.name_en
            day = existing.get(row.date)
            if day is None:
                CalendarDay.objects.create(
                    date=row.date,
                    is_working_day=row.is_working_day,
                    name=names,
                    note=row.note,
                    source=origin[:200],
                    created_by=user,
                )
                created += 1
            else:
                day.is_working_day = row.is_working_day
                day.name = names
                day.note = row.note
                day.source = origin[:200]
                day.save()
                updated += 1
        for year in sorted(set(confirm_years)):
            LoadedYear.objects.update_or_create(
                year=year,
                defaults={"source": origin[:200], "loaded_at": timezone.now(), "loaded_by": user},
            )
    return ImportResult(
        created, updated, parsed.skipped, parsed.years, sorted(set(confirm_years)), parsed.file_format
    )


def _read(file, filename: str) -> tuple[bytes | str, str]:
    """Content and name from a path (``os.PathLike``), bytes, text or an open file (e.g. an upload). A file
    larger than the import's limit is refused before it is read (issue 10)."""
    if isinstance(file, bytes | str):
        return file, filename
    if isinstance(file, os.PathLike):
        path = Path(file)
        try:
            check_size(path.stat().st_size, filename or path.name)
            return path.read_bytes(), filename or path.name
        except OSError as exc:
            message = _("Cannot read %(path)s: %(error)s") % {"path": path, "error": exc.strerror}
            raise ScheduleFileError([message]) from exc
    name = filename or Path(getattr(file, "name", "") or "").name
    check_size(getattr(file, "size", None), name)
    data = file.read(max_bytes() + 1)  # never more than the limit, whatever the upload says of its size
    check_size(len(data), name)
    return data, name
