"""Working-day deadlines ("N 个工作日内") and calendar durations ("N 小时内")."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from calendar_testkit import SHANGHAI, at, d

from huiyi.calendar.clocks import Deadline, add_calendar, add_working_days, end_of_day
from huiyi.calendar.schedule import Override, Schedule

# Amounts below play the role of rulebook values passed in by callers; they are test data, not rules.
THREE = 3


def test_three_working_days_after_2026_02_13_is_2026_02_25(schedule):
    """REQ-FBK-03: 02-14 (Sat) is an adjusted working day; Spring Festival is 02-15..02-23."""
    result = add_working_days(at("2026-02-13 16:30"), THREE, schedule, SHANGHAI)
    assert result == Deadline(at("2026-02-25 23:59:59"), confirmed=True)
    assert result.due.utcoffset() == dt.timedelta(hours=8)
    assert add_working_days(at("2026-02-13 16:30"), 1, schedule).due == at("2026-02-14 23:59:59")
    assert add_working_days(at("2026-02-13 16:30"), 2, schedule).due == at("2026-02-24 23:59:59")


def test_collect_feedback_after_national_day_2026(schedule):
    """REQ-FBK-03: a meeting ending 2026-09-30 — 10-01..10-07 off, 10-10 (Sat) is an adjusted workday."""
    assert add_working_days(at("2026-09-30 18:00"), THREE, schedule).due == at("2026-10-10 23:59:59")


def test_time_of_day_does_not_matter_but_the_local_date_does(schedule):
    """REQ-DOC-03: the start date never counts; the date is taken in the organisation's zone."""
    early = add_working_days(at("2026-02-13 00:00"), THREE, schedule)
    late = add_working_days(at("2026-02-13 23:59"), THREE, schedule)
    utc_start = dt.datetime(2026, 2, 12, 17, 0, tzinfo=dt.UTC)  # already 02-13 01:00 in Shanghai
    assert early == late == add_working_days(utc_start, THREE, schedule, "Asia/Shanghai")
    assert add_working_days(d("2026-02-13"), THREE, schedule).due == early.due


def test_zero_working_days_is_end_of_the_start_date(schedule):
    assert add_working_days(at("2026-02-15 10:00"), 0, schedule).due == at("2026-02-15 23:59:59")
    assert end_of_day(d("2026-02-15")) == at("2026-02-15 23:59:59")


def test_result_in_the_requested_zone(schedule):
    berlin = ZoneInfo("Europe/Berlin")
    result = add_working_days(at("2026-03-02 10:00", berlin), 1, schedule, berlin)
    assert result.due == at("2026-03-03 23:59:59", berlin)


def test_walking_into_unconfirmed_2027_is_flagged(schedule):
    """ARCHITECTURE: a deadline in a year whose schedule is not loaded is unconfirmed."""
    result = add_working_days(at("2026-12-30 10:00"), THREE, schedule)
    assert result.due == at("2027-01-04 23:59:59")  # Mon–Fri fallback: 12-31, 01-01, 01-04
    assert result.confirmed is False
    assert add_working_days(at("2026-12-28 10:00"), 1, schedule).confirmed is True


def test_2027_overrides_and_loaded_year_change_the_deadline():
    overrides = {d("2027-01-01"): Override(False, "元旦")}
    unconfirmed = add_working_days(at("2026-12-30 10:00"), THREE, Schedule(overrides))
    assert unconfirmed == Deadline(at("2027-01-05 23:59:59"), confirmed=False)
    loaded = add_working_days(at("2026-12-30 10:00"), THREE, Schedule(overrides, confirmed_years={2027}))
    assert loaded == Deadline(at("2027-01-05 23:59:59"), confirmed=True)
    # an override making a 2027 Sunday a working day counts it
    workday = Schedule({d("2027-01-03"): Override(True, "调休")})
    assert add_working_days(at("2027-01-01 10:00"), 1, workday).due == at("2027-01-03 23:59:59")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"start": dt.datetime(2026, 2, 13, 10), "n": 3}, "naive"),
        ({"start": at("2026-02-13 10:00"), "n": -1}, "must not be negative"),
        ({"start": at("2026-02-13 10:00"), "n": 1.5}, "whole number"),
        ({"start": at("2026-02-13 10:00"), "n": True}, "whole number"),
        ({"start": "2026-02-13", "n": 3}, "start must be"),
    ],
)
def test_add_working_days_rejects_bad_input(schedule, kwargs, message):
    with pytest.raises(ValueError, match=message):
        add_working_days(schedule=schedule, **kwargs)


def test_unknown_zone_is_rejected(schedule):
    with pytest.raises(ValueError, match="unknown time zone"):
        add_working_days(at("2026-02-13 10:00"), 1, schedule, "Mars/Olympus")


def test_a_schedule_with_no_working_days_gives_up_clearly():
    class NeverWorking(Schedule):
        def is_working_day(self, day):
            return False

    with pytest.raises(ValueError, match="no working day found"):
        add_working_days(at("2026-02-13 10:00"), 1, NeverWorking())


def test_calendar_duration_is_elapsed_time_and_always_confirmed():
    """REQ-FBK-05 style "N h" deadlines: plain elapsed time, independent of holidays."""
    hours = dt.timedelta(hours=24)  # stands for a rulebook amount
    result = add_calendar(at("2026-02-15 10:00"), hours)
    assert result == Deadline(at("2026-02-16 10:00"), confirmed=True)
    assert add_calendar(at("2026-12-31 10:00"), hours).confirmed is True


def test_calendar_duration_crosses_dst_in_elapsed_time():
    berlin = ZoneInfo("Europe/Berlin")
    # 2026-03-29 02:00 CET -> 03:00 CEST: 24 elapsed hours end at 11:00 local
    result = add_calendar(at("2026-03-28 10:00", berlin), dt.timedelta(hours=24))
    assert result.due == at("2026-03-29 11:00", berlin)
    assert (
        result.due.astimezone(SHANGHAI)
        == add_calendar(at("2026-03-28 10:00", berlin), dt.timedelta(hours=24), SHANGHAI).due
    )


def test_add_calendar_rejects_bad_input():
    with pytest.raises(ValueError, match="naive"):
        add_calendar(dt.datetime(2026, 1, 1), dt.timedelta(hours=1))
    with pytest.raises(ValueError, match="must not be negative"):
        add_calendar(at("2026-01-01 10:00"), dt.timedelta(hours=-1))
    with pytest.raises(ValueError, match="must be a timedelta"):
        add_calendar(at("2026-01-01 10:00"), 24)  # type: ignore[arg-type]


def test_deadline_remaining_and_breach():
    deadline = Deadline(at("2026-02-25 23:59:59"), confirmed=True)
    assert deadline.remaining(at("2026-02-25 23:59:00")) == dt.timedelta(seconds=59)
    assert not deadline.breached(at("2026-02-25 23:59:59"))
    assert deadline.breached(at("2026-02-26 00:00"))
    assert deadline.remaining(at("2026-02-26 00:00:59")) == dt.timedelta(seconds=-60)
    assert deadline.as_dict() == {"due": "2026-02-25T23:59:59+08:00", "confirmed": True}
    with pytest.raises(ValueError, match="naive"):
        deadline.breached(dt.datetime(2026, 2, 26))
    with pytest.raises(ValueError, match="naive"):
        Deadline(dt.datetime(2026, 2, 26), True)
