"""Shared fixtures for the calendar service tests."""

from __future__ import annotations

import pytest
from calendar_testkit import SHANGHAI

from huiyi.calendar.clocks import HoursSpec, WorkCalendar
from huiyi.calendar.schedule import Schedule


@pytest.fixture
def schedule() -> Schedule:
    return Schedule()


@pytest.fixture
def cal(schedule: Schedule) -> WorkCalendar:
    return WorkCalendar(schedule, SHANGHAI, HoursSpec.default())
