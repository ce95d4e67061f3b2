"""Organisation-setting defaults used by the calendar service.

The support hours (REQ-TEC-01, default Monday–Friday 9:00–18:00) are read from the default rulebook's rule
``tec.support_hours``, so the number lives in one place: the rulebook. Every deadline amount ("3 个工作日",
"24 小时") comes from the caller (the rulebook) too.
"""

from __future__ import annotations

import datetime as dt

from huiyi.rulebook.loader import Rule, default_rulebook

#: The organisation's time zone when none is configured ("Store UTC; show the organisation's zone").
DEFAULT_TIMEZONE = "Asia/Shanghai"

SUPPORT_HOURS_RULE = "tec.support_hours"


def _hour(value: float) -> dt.time:
    minutes = round(float(value) * 60)
    return dt.time(minutes // 60, minutes % 60)


def support_hours(rule: Rule) -> tuple[dt.time, dt.time, tuple[int, ...]]:
    """(opens, closes, weekdays with Monday = 0) from a rule of kind `schedule` (ISO weekdays, Monday = 1)."""
    opens, closes = rule.value
    return _hour(opens), _hour(closes), tuple(day - 1 for day in rule.weekdays)


DEFAULT_BUSINESS_OPEN, DEFAULT_BUSINESS_CLOSE, DEFAULT_BUSINESS_WEEKDAYS = support_hours(
    default_rulebook().rule(SUPPORT_HOURS_RULE)
)
