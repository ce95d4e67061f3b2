"""Property tests for deadline arithmetic.

Working days: REQ-FBK-03, REQ-DOC-03, REQ-PRE-04; business hours: REQ-TEC-01.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import holidays
from calendar_testkit import SHANGHAI
from hypothesis import given, settings
from hypothesis import strategies as st

from huiyi.calendar.clocks import (
    ClockKind,
    ClockStatus,
    HoursSpec,
    SlaClock,
    WorkCalendar,
    add_business_hours,
    add_working_days,
    business_time_between,
)
from huiyi.calendar.schedule import Schedule

SCHEDULE = Schedule()
CAL = WorkCalendar(SCHEDULE, SHANGHAI, HoursSpec.default())
LAST_PACKAGE_YEAR = 2026

dates = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2027, 6, 30))
official_dates = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2026, 12, 31))
instants = st.builds(
    lambda day, minute: dt.datetime.combine(day, dt.time(), tzinfo=SHANGHAI) + dt.timedelta(minutes=minute),
    dates,
    st.integers(min_value=0, max_value=24 * 60 - 1),
)
counts = st.integers(min_value=0, max_value=40)
business_durations = st.integers(min_value=0, max_value=60 * 9 * 30).map(lambda m: dt.timedelta(minutes=m))


@cache
def _holidays_china(year: int) -> holidays.HolidayBase:
    return holidays.China(years=year)


@given(official_dates)
@settings(deadline=None)
def test_schedule_agrees_with_holidays_china(day):
    assert SCHEDULE.is_working_day(day) == _holidays_china(day.year).is_working_day(day)


@given(instants, counts)
@settings(deadline=None)
def test_working_day_due_is_after_start_on_a_working_day(start, n):
    """REQ-PRE-04 / REQ-FBK-03: due >= start, and (n > 0) the due day is a working day."""
    result = add_working_days(start, n, SCHEDULE, SHANGHAI)
    assert result.due >= start
    assert result.due.timetz().replace(tzinfo=None) == dt.time(23, 59, 59)
    if n:
        assert SCHEDULE.is_working_day(result.due.date())
    assert result.confirmed == (result.due.year <= LAST_PACKAGE_YEAR)


@given(instants, counts)
@settings(deadline=None)
def test_working_days_strictly_monotonic_in_n(start, n):
    assert add_working_days(start, n, SCHEDULE).due < add_working_days(start, n + 1, SCHEDULE).due


@given(instants, counts, counts)
@settings(deadline=None)
def test_working_days_compose(start, n, m):
    """REQ-DOC-03: adding n then m working days (end-of-day semantics) equals adding n + m."""
    first = add_working_days(start, n, SCHEDULE)
    assert add_working_days(first.due, m, SCHEDULE).due == add_working_days(start, n + m, SCHEDULE).due


@given(instants, business_durations)
@settings(max_examples=200, deadline=None)
def test_business_time_between_inverts_add_business_hours(start, hours):
    """REQ-TEC-01: business_time_between(start, add_business_hours(start, h)) == h."""
    due = add_business_hours(start, hours, SCHEDULE, SHANGHAI).due
    assert due >= start
    assert business_time_between(start, due, SCHEDULE, SHANGHAI) == hours


@given(instants, business_durations, business_durations)
@settings(deadline=None)
def test_business_hours_monotonic(start, a, b):
    small, large = sorted((a, b))
    assert add_business_hours(start, small, SCHEDULE).due <= add_business_hours(start, large, SCHEDULE).due


@given(
    instants,
    st.sampled_from(list(ClockKind)),
    st.integers(min_value=0, max_value=60 * 24 * 5),
    st.lists(st.integers(min_value=0, max_value=60 * 24 * 3), min_size=0, max_size=6),
)
@settings(max_examples=150, deadline=None)
def test_pauses_never_bring_a_deadline_forward(start, kind, target_minutes, gaps):
    """Any sequence of closed pauses leaves the due instant at or after the unpaused one."""
    target = (
        target_minutes // (60 * 24)
        if kind is ClockKind.WORKING_DAYS
        else dt.timedelta(minutes=target_minutes)
    )
    clock = SlaClock.start(kind, target, start)
    base = clock.due(CAL).due
    moment = start
    for i, gap in enumerate(gaps):
        moment += dt.timedelta(minutes=gap)
        clock = clock.resume(moment) if i % 2 else clock.pause(moment)
    if clock.is_paused:
        assert clock.status(moment + dt.timedelta(days=400), CAL) in (
            ClockStatus.PAUSED,
            ClockStatus.BREACHED,
        )
        clock = clock.resume(moment)
    assert clock.due(CAL).due >= base
