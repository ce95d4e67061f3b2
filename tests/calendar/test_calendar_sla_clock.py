"""Pausable SLA clocks (ARCHITECTURE: a clock can be paused and resumed, reports remaining time and breach).

Pauses count in the clock's own kind of time (a weekend pause does not extend a business-hours clock); a
paused clock never breaches; a breach is not undone by pausing.
"""

from __future__ import annotations

import datetime as dt

import pytest
from calendar_testkit import at

from huiyi.calendar.clocks import ClockKind, ClockStatus, Pause, SlaClock

H = dt.timedelta(hours=1)
# Targets play the role of rulebook amounts handed in by callers; they are test data.
TARGET_HOURS = 24 * H  # e.g. REQ-FBK-05 "24 h"
TARGET_BUSINESS = 9 * H
TARGET_DAYS = 3  # e.g. REQ-FBK-03 "3 working days"


def business_clock() -> SlaClock:
    return SlaClock.start("business_hours", TARGET_BUSINESS, at("2026-03-06 10:00"))  # a Friday


def test_business_hours_clock_without_pauses(cal):
    clock = business_clock()
    assert clock.kind is ClockKind.BUSINESS_HOURS
    assert clock.due(cal).due == at("2026-03-09 10:00")  # Fri 10-18 (8 h) + Mon 9-10
    assert clock.status(at("2026-03-07 12:00"), cal) is ClockStatus.RUNNING
    assert clock.remaining(at("2026-03-07 12:00"), cal) == H  # weekend: no business time passes
    assert clock.remaining(at("2026-03-06 17:00"), cal) == 2 * H
    assert clock.status(at("2026-03-09 10:00:01"), cal) is ClockStatus.BREACHED
    assert clock.remaining(at("2026-03-09 11:00"), cal) == -H


def test_weekend_pause_does_not_extend_a_business_hours_clock(cal):
    clock = business_clock().pause(at("2026-03-07 10:00")).resume(at("2026-03-08 10:00"))
    assert clock.due(cal).due == at("2026-03-09 10:00")


def test_pause_extends_by_business_time_paused(cal):
    """REQ-TEC-01: waiting for the client from Fri 17:00 to Mon 09:30 costs 1.5 business hours."""
    paused = business_clock().pause(at("2026-03-06 17:00"))
    assert paused.is_paused
    assert paused.due(cal) is None  # unknown until resumed
    assert paused.status(at("2026-03-07 12:00"), cal) is ClockStatus.PAUSED
    assert paused.remaining(at("2026-03-07 12:00"), cal) == 2 * H  # frozen at the pause
    assert paused.status(at("2026-04-30 12:00"), cal) is ClockStatus.PAUSED  # no breach while paused
    assert not paused.breached(at("2026-04-30 12:00"), cal)
    resumed = paused.resume(at("2026-03-09 09:30"))
    assert resumed.due(cal).due == at("2026-03-09 11:30")
    assert resumed.status(at("2026-03-09 11:00"), cal) is ClockStatus.RUNNING
    assert resumed.remaining(at("2026-03-09 11:00"), cal) == H / 2


def test_calendar_clock_pause_extends_by_elapsed_time(cal):
    """REQ-FBK-05: a 24 h clock paused for two hours falls due two hours later."""
    clock = SlaClock.start(ClockKind.CALENDAR, TARGET_HOURS, at("2026-03-10 10:00"))
    clock = clock.pause(at("2026-03-10 12:00")).resume(at("2026-03-10 14:00"))
    assert clock.due(cal).due == at("2026-03-11 12:00")
    assert clock.due(cal).confirmed
    assert clock.remaining(at("2026-03-11 11:00"), cal) == H
    assert clock.status(at("2026-03-11 12:00"), cal) is ClockStatus.RUNNING
    assert clock.status(at("2026-03-11 12:00:01"), cal) is ClockStatus.BREACHED


def test_pausing_after_a_breach_does_not_unbreach(cal):
    clock = SlaClock.start(ClockKind.CALENDAR, TARGET_HOURS, at("2026-03-10 10:00"))
    late_pause = clock.pause(at("2026-03-11 11:00"))
    assert late_pause.status(at("2026-03-11 11:30"), cal) is ClockStatus.BREACHED
    assert late_pause.due(cal).due == at("2026-03-11 10:00")
    resumed = late_pause.resume(at("2026-03-11 15:00"))
    assert resumed.status(at("2026-03-11 16:00"), cal) is ClockStatus.BREACHED
    assert resumed.due(cal).due == at("2026-03-11 10:00")
    assert resumed.breached(at("2026-03-11 16:00"), cal)


def test_stopped_clock(cal):
    clock = SlaClock.start(ClockKind.CALENDAR, TARGET_HOURS, at("2026-03-10 10:00"))
    on_time = clock.stop(at("2026-03-11 09:00"))
    assert on_time.is_stopped
    assert on_time.status(at("2026-03-20 00:00"), cal) is ClockStatus.STOPPED
    assert on_time.remaining(at("2026-03-20 00:00"), cal) == H  # frozen when stopped
    assert on_time.status(at("2026-03-10 12:00"), cal) is ClockStatus.RUNNING  # before the stop
    late = clock.stop(at("2026-03-11 11:00"))
    assert late.status(at("2026-03-20 00:00"), cal) is ClockStatus.BREACHED  # breached wins
    paused_then_stopped = clock.pause(at("2026-03-10 12:00")).stop(at("2026-03-10 13:00"))
    assert paused_then_stopped.pauses == (Pause(at("2026-03-10 12:00"), at("2026-03-10 13:00")),)
    assert paused_then_stopped.status(at("2026-03-20 00:00"), cal) is ClockStatus.STOPPED


def test_working_days_clock(cal):
    """REQ-FBK-03: three working days from Monday 2026-03-02 end Thursday at 23:59:59."""
    clock = SlaClock.start(ClockKind.WORKING_DAYS, TARGET_DAYS, at("2026-03-02 10:00"))
    assert clock.due(cal).due == at("2026-03-05 23:59:59")
    assert clock.remaining(at("2026-03-02 12:00"), cal) == dt.timedelta(days=3)
    assert clock.remaining(at("2026-03-04 12:00"), cal) == dt.timedelta(days=1, hours=12)
    assert clock.status(at("2026-03-05 23:59:59"), cal) is ClockStatus.RUNNING
    assert clock.status(at("2026-03-06 00:00:30"), cal) is ClockStatus.BREACHED
    assert clock.remaining(at("2026-03-06 00:00:30"), cal) == -dt.timedelta(seconds=31)


def test_working_days_clock_pauses_count_whole_working_days(cal):
    start = SlaClock.start(ClockKind.WORKING_DAYS, TARGET_DAYS, at("2026-03-02 10:00"))
    # a pause on a working day costs that day (rounded up to whole days)
    assert start.pause(at("2026-03-03 10:00")).resume(at("2026-03-03 15:00")).due(cal).due == at(
        "2026-03-06 23:59:59"
    )
    # a pause on the start date itself costs nothing: the start date never counts
    assert start.pause(at("2026-03-02 11:00")).resume(at("2026-03-02 17:00")).due(cal).due == at(
        "2026-03-05 23:59:59"
    )
    paused = start.pause(at("2026-03-04 12:00"))
    assert paused.remaining(at("2026-03-20 00:00"), cal) == dt.timedelta(days=1, hours=12)
    assert paused.status(at("2026-03-20 00:00"), cal) is ClockStatus.PAUSED


def test_working_days_clock_weekend_pause_does_not_extend(cal):
    clock = SlaClock.start(ClockKind.WORKING_DAYS, TARGET_DAYS, at("2026-03-05 10:00"))  # Thursday
    assert clock.due(cal).due == at("2026-03-10 23:59:59")  # Fri, Mon, Tue
    weekend = clock.pause(at("2026-03-07 00:00")).resume(at("2026-03-09 00:00"))
    assert weekend.due(cal).due == at("2026-03-10 23:59:59")
    into_monday = clock.pause(at("2026-03-07 10:00")).resume(at("2026-03-09 10:00"))
    assert into_monday.due(cal).due == at("2026-03-11 23:59:59")


def test_working_days_clock_across_spring_festival_and_into_2027(cal):
    clock = SlaClock.start(ClockKind.WORKING_DAYS, TARGET_DAYS, at("2026-02-13 16:00"))
    assert clock.due(cal).due == at("2026-02-25 23:59:59")
    late = SlaClock.start(ClockKind.WORKING_DAYS, TARGET_DAYS, at("2026-12-30 16:00"))
    assert late.due(cal).confirmed is False


def test_status_is_evaluated_as_of_now(cal):
    clock = business_clock().pause(at("2026-03-06 12:00")).resume(at("2026-03-06 13:00"))
    assert clock.status(at("2026-03-06 11:00"), cal) is ClockStatus.RUNNING  # before the recorded pause
    assert clock.status(at("2026-03-06 12:30"), cal) is ClockStatus.PAUSED
    assert clock.due(cal, now=at("2026-03-06 11:00")).due == at("2026-03-09 10:00")
    assert clock.due(cal).due == at("2026-03-09 11:00")


def test_clock_is_an_immutable_value_object_that_round_trips():
    clock = business_clock()
    paused = clock.pause(at("2026-03-06 12:00"))
    assert clock.pauses == () and paused.pauses == (Pause(at("2026-03-06 12:00")),)
    for value in (
        paused,
        paused.resume(at("2026-03-06 13:00")).stop(at("2026-03-06 15:00")),
        SlaClock.start("working_days", TARGET_DAYS, at("2026-03-02 10:00")),
    ):
        assert SlaClock.from_dict(value.to_dict()) == value
    assert paused.to_dict()["pauses"] == [["2026-03-06T12:00:00+08:00", None]]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda c: c.resume(at("2026-03-06 12:00")), "resume without pause"),
        (lambda c: c.pause(at("2026-03-06 11:00")).pause(at("2026-03-06 12:00")), "pause while paused"),
        (lambda c: c.pause(at("2026-03-06 12:00")).resume(at("2026-03-06 11:00")), "resume before pause"),
        (lambda c: c.pause(dt.datetime(2026, 3, 6, 12)), "naive"),
        (lambda c: c.pause(at("2026-03-06 09:00")), "before the clock's last start"),
        (lambda c: c.stop(at("2026-03-06 11:00")).pause(at("2026-03-06 12:00")), "stopped"),
        (lambda c: c.stop(at("2026-03-06 11:00")).stop(at("2026-03-06 12:00")), "already stopped"),
        (lambda c: c.status(dt.datetime(2026, 3, 6, 12), None), "naive"),
    ],
)
def test_clock_rejects_bad_transitions(make, message):
    with pytest.raises(ValueError, match=message):
        make(business_clock())


@pytest.mark.parametrize(
    ("kind", "target", "started", "message"),
    [
        ("business_hours", -H, at("2026-03-06 10:00"), "must not be negative"),
        ("working_days", -1, at("2026-03-06 10:00"), "must not be negative"),
        ("working_days", H, at("2026-03-06 10:00"), "whole number"),
        ("calendar", 24, at("2026-03-06 10:00"), "timedelta"),
        ("fortnights", H, at("2026-03-06 10:00"), "kind must be one of"),
        ("calendar", H, dt.datetime(2026, 3, 6, 10), "naive"),
    ],
)
def test_clock_rejects_bad_fields(kind, target, started, message):
    with pytest.raises(ValueError, match=message):
        SlaClock.start(kind, target, started)


def test_clock_rejects_inconsistent_pause_lists():
    start = at("2026-03-06 10:00")
    with pytest.raises(ValueError, match="only the last pause"):
        SlaClock(ClockKind.CALENDAR, H, start, (Pause(at("2026-03-06 11:00")), Pause(at("2026-03-06 12:00"))))
    with pytest.raises(ValueError, match="before the clock started"):
        SlaClock(ClockKind.CALENDAR, H, start, (Pause(at("2026-03-06 09:00"), at("2026-03-06 09:30")),))
    with pytest.raises(ValueError, match="still be paused"):
        SlaClock(ClockKind.CALENDAR, H, start, (Pause(at("2026-03-06 11:00")),), at("2026-03-06 12:00"))
    with pytest.raises(ValueError, match="resume before pause"):
        Pause(at("2026-03-06 11:00"), at("2026-03-06 10:00"))
