"""Reads behind the calendar pages: a year laid out as months of weeks, and the year's corrections."""

import calendar as stdlib_calendar
import datetime as dt

from .models import CalendarDay, LoadedYear
from .schedule import Schedule


def year_grid(schedule: Schedule, year: int) -> list[dict]:
    """Twelve months; each a list of weeks (Monday first) of DayInfo or None for padding."""
    months = []
    for month in range(1, 13):
        weeks = []
        for week in stdlib_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            weeks.append([schedule.day(day) if day.month == month else None for day in week])
        months.append({"month": month, "first": dt.date(year, month, 1), "weeks": weeks})
    return months


def year_summary(schedule: Schedule, year: int) -> dict:
    days = schedule.days(dt.date(year, 1, 1), dt.date(year, 12, 31))
    return {
        "working_days": sum(1 for day in days if day.is_working),
        "holidays": [day for day in days if day.kind == "holiday"],
        "adjusted_workdays": [day for day in days if day.kind == "adjusted_workday"],
        "confirmed": schedule.is_year_confirmed(year),
        "from_package": schedule.covers_year_from_package(year),
    }


def corrections(year: int):
    return CalendarDay.objects.filter(date__year=year).select_related("created_by").order_by("date")


def loaded_year(year: int) -> LoadedYear | None:
    return LoadedYear.objects.filter(year=year).select_related("loaded_by").first()
