"""Business-hours deadlines (REQ-TEC-01 support hours, default Mon–Fri 9:00–18:00)."""

from __future__ import annotations

import datetime as dt

import pytest
from calendar_testkit import SHANGHAI, at

from huiyi.calendar import defaults
from huiyi.calendar.clocks import (
    Deadline,
    HoursSpec,
    add_business_hours,
    business_time_between,
)
from huiyi.calendar.schedule import DayKind, Override, Schedule

H = dt.timedelta(hours=1)


def due(start: str, hours, schedule: Schedule, spec: HoursSpec | None = None) -> dt.datetime:
    return add_business_hours(at(start), hours, schedule, SHANGHAI, spec).due


def test_default_hours_are_the_req_tec_01_organisation_default():
    """REQ-TEC-01: the default is Mon–Fri 9:00–18:00, written once in huiyi.calendar.defaults."""
    spec = HoursSpec.default()
    window = ((defaults.DEFAULT_BUSINESS_OPEN, defaults.DEFAULT_BUSINESS_CLOSE),)
    assert spec.weekly == (window,) * 5 + ((),) * 2
    assert spec.adjusted == window
    assert (dt.time(9), dt.time(18)) == (defaults.DEFAULT_BUSINESS_OPEN, defaults.DEFAULT_BUSINESS_CLOSE)


def test_counting_starts_at_the_next_open_moment(schedule):
    """REQ-TEC-01: nights and early mornings do not count."""
    assert due("2026-03-10 07:00", H, schedule) == at("2026-03-10 10:00")
    assert due("2026-03-10 20:00", H, schedule) == at("2026-03-11 10:00")
    assert due("2026-03-10 17:30", H, schedule) == at("2026-03-11 09:30")


def test_filling_a_window_exactly_is_due_at_closing(schedule):
    assert due("2026-03-10 09:00", 9 * H, schedule) == at("2026-03-10 18:00")
    assert due("2026-03-10 09:00", 9 * H + dt.timedelta(minutes=1), schedule) == at("2026-03-11 09:01")


def test_weekends_are_closed(schedule):
    assert due("2026-03-06 17:00", 2 * H, schedule) == at("2026-03-09 10:00")  # Fri -> Mon
    assert due("2026-03-07 12:00", H, schedule) == at("2026-03-09 10:00")  # from Saturday


def test_adjusted_working_day_uses_the_standard_window_and_holidays_are_closed(schedule):
    """2026-02-14 (Sat) is an adjusted working day; 02-15..02-23 is Spring Festival."""
    assert schedule.kind(at("2026-02-14 00:00").date()) is DayKind.ADJUSTED_WORKDAY
    assert due("2026-02-13 17:00", 2 * H, schedule) == at("2026-02-14 10:00")
    assert due("2026-02-13 17:00", 10 * H, schedule) == at("2026-02-14 18:00")
    assert due("2026-02-13 17:00", 11 * H, schedule) == at("2026-02-24 10:00")
    assert due("2026-10-01 10:00", H, schedule) == at("2026-10-08 10:00")  # National Day week


def test_hours_may_be_a_number_or_timedelta(schedule):
    assert due("2026-03-10 09:00", 1.5, schedule) == at("2026-03-10 10:30")
    assert due("2026-03-10 09:00", 2, schedule) == at("2026-03-10 11:00")


def test_zero_hours_is_due_at_start(schedule):
    assert due("2026-03-07 12:00", 0, schedule) == at("2026-03-07 12:00")


def test_lunch_break_windows():
    spec = HoursSpec.from_mapping(
        {i: [["09:00", "12:00"], ["13:00", "18:00"]] for i in range(5)},
    )
    schedule = Schedule()
    assert due("2026-03-10 11:00", 2 * H, schedule, spec) == at("2026-03-10 14:00")
    assert business_time_between(
        at("2026-03-10 11:00"), at("2026-03-10 14:00"), schedule, SHANGHAI, spec
    ) == (2 * H)
    assert HoursSpec.from_mapping(spec.to_mapping()) == spec


def test_weekend_opening_applies_to_ordinary_weekends_but_not_holidays():
    spec = HoursSpec.uniform(dt.time(10), dt.time(16), weekdays=range(7))
    schedule = Schedule()
    assert due("2026-03-07 10:00", H, schedule, spec) == at("2026-03-07 11:00")  # ordinary Saturday
    assert due("2026-02-21 10:00", H, schedule, spec) == at("2026-02-24 11:00")  # holiday Saturday


def test_confirmed_flag_for_business_hours(schedule):
    assert add_business_hours(at("2026-12-31 17:00"), 2 * H, schedule, SHANGHAI).confirmed is False
    assert add_business_hours(at("2026-12-31 09:00"), 2 * H, schedule, SHANGHAI).confirmed is True
    loaded = Schedule({at("2027-01-01 00:00").date(): Override(False, "元旦")}, confirmed_years={2027})
    result = add_business_hours(at("2026-12-31 17:00"), 2 * H, loaded, SHANGHAI)
    assert result == Deadline(at("2027-01-04 10:00"), confirmed=True)


def test_business_time_between(schedule):
    assert business_time_between(at("2026-03-06 17:00"), at("2026-03-09 10:00"), schedule) == 2 * H
    assert business_time_between(at("2026-03-09 10:00"), at("2026-03-06 17:00"), schedule) == -2 * H
    assert business_time_between(at("2026-03-07 00:00"), at("2026-03-08 23:59"), schedule) == dt.timedelta(0)
    # open days: 02-13, 02-14 (adjusted), 02-24
    assert business_time_between(at("2026-02-13 00:00"), at("2026-02-25 00:00"), schedule) == 3 * 9 * H
    utc = dt.datetime(2026, 3, 10, 1, 0, tzinfo=dt.UTC)  # 09:00 Shanghai
    assert business_time_between(utc, at("2026-03-10 10:00"), schedule) == H


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((dt.datetime(2026, 3, 10, 9), H), "naive"),
        ((at("2026-03-10 09:00"), -H), "must not be negative"),
        ((at("2026-03-10 09:00"), -1), "must not be negative"),
        ((at("2026-03-10 09:00"), "1h"), "number of hours"),
        ((at("2026-03-10 09:00"), float("nan")), "finite"),
    ],
)
def test_add_business_hours_rejects_bad_input(schedule, args, message):
    with pytest.raises(ValueError, match=message):
        add_business_hours(*args, schedule, SHANGHAI)


def test_hours_spec_validation():
    with pytest.raises(ValueError, match="open must be earlier"):
        HoursSpec.uniform(dt.time(18), dt.time(9))
    with pytest.raises(ValueError, match="overlap"):
        HoursSpec.from_mapping({0: [["09:00", "13:00"], ["12:00", "18:00"]]})
    with pytest.raises(ValueError, match="7 entries"):
        HoursSpec(((),) * 5)
    with pytest.raises(ValueError, match="between 0"):
        HoursSpec.uniform(dt.time(9), dt.time(18), weekdays=[7])
    closed = HoursSpec(((),) * 7)
    with pytest.raises(ValueError, match="no opening windows"):
        add_business_hours(at("2026-03-10 09:00"), H, Schedule(), SHANGHAI, closed)
