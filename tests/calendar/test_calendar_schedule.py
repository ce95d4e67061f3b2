"""China's official working-day schedule: package data, overrides, confirmation (ARCHITECTURE "Time")."""

from __future__ import annotations

import datetime as dt

import holidays
import pytest
from calendar_testkit import d

from huiyi.calendar.schedule import DayKind, Override, Schedule, Source, package_years


def _dates(*specs: str) -> set[dt.date]:
    """'2026-02-15..2026-02-23' ranges and single dates."""
    out: set[dt.date] = set()
    for spec in specs:
        first, _, last = spec.partition("..")
        a, b = d(first), d(last or first)
        out |= {a + dt.timedelta(days=i) for i in range((b - a).days + 1)}
    return out


def _year(year: int) -> list[dt.date]:
    first = dt.date(year, 1, 1)
    return [first + dt.timedelta(days=i) for i in range((dt.date(year + 1, 1, 1) - first).days)]


# Official schedules as published by the State Council (verified against chinese_calendar 1.11.0 and
# holidays 0.109, which agree).
HOLIDAYS_2025 = _dates(
    "2025-01-01", "2025-01-28..2025-02-04", "2025-04-04..2025-04-06", "2025-05-01..2025-05-05",
    "2025-05-31..2025-06-02", "2025-10-01..2025-10-08",
)  # fmt: skip
ADJUSTED_2025 = _dates("2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11")
HOLIDAYS_2026 = _dates(
    "2026-01-01..2026-01-03", "2026-02-15..2026-02-23", "2026-04-04..2026-04-06", "2026-05-01..2026-05-05",
    "2026-06-19..2026-06-21", "2026-09-25..2026-09-27", "2026-10-01..2026-10-07",
)  # fmt: skip
ADJUSTED_2026 = _dates("2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10")


@pytest.mark.parametrize(
    ("year", "official_holidays", "adjusted"),
    [(2025, HOLIDAYS_2025, ADJUSTED_2025), (2026, HOLIDAYS_2026, ADJUSTED_2026)],
)
def test_official_schedule_holidays_and_adjusted_working_days(schedule, year, official_holidays, adjusted):
    """REQ-FBK-03 / REQ-DOC-03 working days follow the official 2025 and 2026 schedules."""
    for day in _year(year):
        info = schedule.day(day)
        assert info.confirmed, day
        assert info.source is Source.PACKAGE
        if day in official_holidays:
            assert info.kind is DayKind.HOLIDAY, day
            assert not info.is_working
        elif day in adjusted:
            assert info.kind is DayKind.ADJUSTED_WORKDAY, day
            assert info.is_working and day.weekday() >= 5
        elif day.weekday() >= 5:
            assert info.kind is DayKind.WEEKEND, day
        else:
            assert info.kind is DayKind.WORKDAY, day


def test_2026_adjusted_working_days_are_the_announced_ones(schedule):
    found = {day for day in _year(2026) if schedule.kind(day) is DayKind.ADJUSTED_WORKDAY}
    assert found == ADJUSTED_2026


@pytest.mark.parametrize("year", [2020, 2021, 2022, 2023, 2024, 2025, 2026])
def test_package_agrees_with_holidays_china(schedule, year):
    """Cross-check the primary source (chinese_calendar) against holidays.China day by day."""
    other = holidays.China(years=year)
    disagree = [day for day in _year(year) if schedule.is_working_day(day) != other.is_working_day(day)]
    assert disagree == []


def test_day_names_and_kinds_around_spring_festival_2026(schedule):
    assert schedule.kind(d("2026-02-13")) is DayKind.WORKDAY
    assert schedule.kind(d("2026-02-14")) is DayKind.ADJUSTED_WORKDAY  # Saturday 调休
    assert schedule.kind(d("2026-02-15")) is DayKind.HOLIDAY  # a Sunday inside the holiday
    assert schedule.day(d("2026-02-17")).name == "Spring Festival"
    assert schedule.kind(d("2026-03-07")) is DayKind.WEEKEND
    assert schedule.is_working_day(d("2026-02-24"))


def test_package_years_come_from_the_package():
    years = package_years()
    assert years.start == 2004
    assert 2026 in years and 2027 not in years


def test_unconfirmed_year_2027_falls_back_to_monday_to_friday(schedule):
    """ARCHITECTURE: a year whose schedule is not loaded is flagged unconfirmed, not guessed."""
    new_year = d("2027-01-01")  # a Friday; certainly a holiday once announced, but not known yet
    assert schedule.is_working_day(new_year)
    assert not schedule.is_confirmed(new_year)
    assert schedule.day(new_year).source is Source.FALLBACK
    assert schedule.kind(d("2027-01-02")) is DayKind.WEEKEND
    assert not schedule.is_confirmed(d("2003-06-02"))


def test_overrides_make_a_2027_day_a_holiday_or_workday_but_do_not_confirm_the_year():
    overrides = {
        d("2027-01-01"): Override(is_working=False, name="元旦 New Year's Day"),
        d("2027-02-06"): Override(is_working=True, name="春节调休", note="Saturday made a working day"),
    }
    schedule = Schedule(overrides)
    assert not schedule.is_working_day(d("2027-01-01"))
    assert schedule.kind(d("2027-01-01")) is DayKind.HOLIDAY
    assert schedule.day(d("2027-01-01")).name == "元旦 New Year's Day"
    assert schedule.kind(d("2027-02-06")) is DayKind.ADJUSTED_WORKDAY
    assert schedule.day(d("2027-02-06")).source is Source.OVERRIDE
    assert not schedule.is_confirmed(d("2027-01-01"))
    assert not schedule.is_confirmed(d("2027-03-01"))


def test_confirmed_years_mark_a_loaded_2027_schedule_as_confirmed():
    schedule = Schedule({d("2027-01-01"): Override(False, "元旦")}, confirmed_years={2027})
    assert schedule.is_confirmed(d("2027-01-01"))
    assert schedule.is_confirmed(d("2027-07-01"))
    assert not schedule.is_working_day(d("2027-01-01"))
    assert not schedule.is_confirmed(d("2028-01-03"))


def test_override_corrects_package_data():
    schedule = Schedule({d("2026-02-24"): Override(False, "company closure")})
    assert not schedule.is_working_day(d("2026-02-24"))
    assert schedule.kind(d("2026-02-24")) is DayKind.HOLIDAY
    assert schedule.is_confirmed(d("2026-02-24"))


def test_without_package_every_year_is_fallback():
    schedule = Schedule(use_package=False)
    assert schedule.is_working_day(d("2026-02-16"))  # a Monday inside Spring Festival
    assert not schedule.is_confirmed(d("2026-02-16"))


def test_rejects_datetimes_and_bad_overrides(schedule):
    with pytest.raises(ValueError, match="expected a date"):
        schedule.day(dt.datetime(2026, 1, 1, 12))
    with pytest.raises(ValueError, match="override keys must be dates"):
        Schedule({"2026-01-01": Override(False)})  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="must be an Override"):
        Schedule({d("2026-01-01"): False})  # type: ignore[dict-item]


def test_all_confirmed_spans_years(schedule):
    assert schedule.all_confirmed(d("2025-12-30"), d("2026-01-05"))
    assert not schedule.all_confirmed(d("2026-12-30"), d("2027-01-05"))
    assert len(schedule.days(d("2026-02-13"), d("2026-02-25"))) == 13
    with pytest.raises(ValueError, match="before first"):
        schedule.days(d("2026-02-25"), d("2026-02-13"))
