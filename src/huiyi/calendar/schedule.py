"""China's official working-day schedule.

Sources, in order of precedence:

1. **Overrides** supplied by the caller (later: the ``CalendarDay`` table an administrator edits). An
   override decides whether a date is a working day, whatever the packages say.
2. **The ``chinese_calendar`` package** for the years it covers (2004–2026 in 1.11.0; the range is read
   from the package so an upgrade extends it). It knows public holidays and adjusted working days 调休.
3. **Fallback**: Monday–Friday are working days, Saturday and Sunday are not.

A date is *confirmed* only if its year's official schedule is known: either the package covers the year,
or the caller lists the year in ``confirmed_years`` (an administrator marked that year's schedule as
loaded). Overrides alone never confirm a year — a few corrected days do not make a whole schedule. Dates in
other years are computed with the fallback and reported as unconfirmed, never silently guessed.

This module imports nothing from Django.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

import chinese_calendar

__all__ = ["DayInfo", "DayKind", "Override", "Schedule", "Source", "package_years"]


class DayKind(StrEnum):
    """What kind of day a date is in the official schedule."""

    WORKDAY = "workday"  # ordinary Monday–Friday working day
    WEEKEND = "weekend"  # ordinary Saturday/Sunday rest day
    HOLIDAY = "holiday"  # public holiday (including weekend days inside a holiday period)
    ADJUSTED_WORKDAY = "adjusted_workday"  # 调休: a Saturday/Sunday made a working day

    @property
    def is_working(self) -> bool:
        return self in (DayKind.WORKDAY, DayKind.ADJUSTED_WORKDAY)


class Source(StrEnum):
    """Where the answer for a date came from."""

    OVERRIDE = "override"
    PACKAGE = "package"
    FALLBACK = "fallback"


@dataclass(frozen=True, slots=True)
class Override:
    """A caller-supplied correction for one date (stored by an administrator)."""

    is_working: bool
    name: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class DayInfo:
    """Everything the schedule knows about one date."""

    date: dt.date
    kind: DayKind
    confirmed: bool
    source: Source
    name: str = ""

    @property
    def is_working(self) -> bool:
        return self.kind.is_working


@lru_cache(maxsize=1)
def package_years() -> range:
    """Years for which ``chinese_calendar`` holds the official schedule (read from the package's data)."""
    known = chinese_calendar.holidays
    return range(min(known).year, max(known).year + 1)


def _is_weekend(day: dt.date) -> bool:
    return day.weekday() >= 5


def _kind_for(day: dt.date, is_working: bool, in_holiday_period: bool) -> DayKind:
    if is_working:
        return DayKind.ADJUSTED_WORKDAY if _is_weekend(day) else DayKind.WORKDAY
    if _is_weekend(day) and not in_holiday_period:
        return DayKind.WEEKEND
    return DayKind.HOLIDAY


class Schedule:
    """Answers "is this date a working day, and is that official?".

    ``overrides`` maps dates to :class:`Override`; ``confirmed_years`` lists years whose official schedule
    the caller has loaded (in addition to the package's years). ``use_package=False`` ignores the
    maintained package entirely (useful for organisations outside mainland China's schedule and in tests).
    """

    def __init__(
        self,
        overrides: Mapping[dt.date, Override] | None = None,
        confirmed_years: Iterable[int] = (),
        *,
        use_package: bool = True,
    ) -> None:
        self._overrides: dict[dt.date, Override] = dict(overrides or {})
        for key, value in self._overrides.items():
            if isinstance(key, dt.datetime) or not isinstance(key, dt.date):
                raise ValueError(f"override keys must be dates, got {key!r}")
            if not isinstance(value, Override):
                raise ValueError(f"override for {key.isoformat()} must be an Override, got {value!r}")
        self._confirmed_years = frozenset(int(y) for y in confirmed_years)
        self._use_package = use_package
        self._cache: dict[dt.date, DayInfo] = {}

    def __repr__(self) -> str:
        return (
            f"Schedule(overrides={len(self._overrides)}, confirmed_years={sorted(self._confirmed_years)}, "
            f"use_package={self._use_package})"
        )

    @property
    def overrides(self) -> Mapping[dt.date, Override]:
        return dict(self._overrides)

    @property
    def confirmed_years(self) -> frozenset[int]:
        """Years confirmed by the caller (not including the package's years)."""
        return self._confirmed_years

    def covers_year_from_package(self, year: int) -> bool:
        return self._use_package and year in package_years()

    def is_year_confirmed(self, year: int) -> bool:
        return year in self._confirmed_years or self.covers_year_from_package(year)

    # --- per-date questions ------------------------------------------------------------------------

    def day(self, day: dt.date) -> DayInfo:
        """Full information about ``day`` (a ``date``; datetimes are rejected to avoid zone mistakes)."""
        if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
            raise ValueError(f"expected a date, got {day!r}; convert datetimes to a local date first")
        cached = self._cache.get(day)
        if cached is None:
            cached = self._compute(day)
            self._cache[day] = cached
        return cached

    def is_working_day(self, day: dt.date) -> bool:
        return self.day(day).is_working

    def is_confirmed(self, day: dt.date) -> bool:
        return self.day(day).confirmed

    def kind(self, day: dt.date) -> DayKind:
        return self.day(day).kind

    def _compute(self, day: dt.date) -> DayInfo:
        confirmed = self.is_year_confirmed(day.year)
        override = self._overrides.get(day)
        if override is not None:
            # An administrator's non-working day is a declared holiday, even on a weekend.
            kind = _kind_for(day, override.is_working, in_holiday_period=True)
            return DayInfo(day, kind, confirmed, Source.OVERRIDE, override.name)
        if self.covers_year_from_package(day.year):
            on_holiday, name = chinese_calendar.get_holiday_detail(day)
            kind = _kind_for(day, not on_holiday, in_holiday_period=bool(name))
            return DayInfo(day, kind, confirmed, Source.PACKAGE, name or "")
        kind = _kind_for(day, not _is_weekend(day), in_holiday_period=False)
        return DayInfo(day, kind, confirmed, Source.FALLBACK, "")

    # --- ranges ------------------------------------------------------------------------------------

    def days(self, first: dt.date, last: dt.date) -> list[DayInfo]:
        """Information for every date from ``first`` to ``last`` inclusive."""
        if last < first:
            raise ValueError(f"last ({last.isoformat()}) is before first ({first.isoformat()})")
        return [self.day(first + dt.timedelta(days=i)) for i in range((last - first).days + 1)]

    def all_confirmed(self, first: dt.date, last: dt.date) -> bool:
        """True if every year touched by the range ``first``..``last`` is confirmed."""
        lo, hi = min(first, last), max(first, last)
        return all(self.is_year_confirmed(y) for y in range(lo.year, hi.year + 1))
