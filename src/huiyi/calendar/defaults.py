"""Organisation-setting defaults used by the calendar service — the one place they are written.

These are *defaults of organisation settings*, not deadlines from the specification: every deadline amount
("3 个工作日", "24 小时") comes from the caller (the rulebook).
"""

from __future__ import annotations

import datetime as dt

#: The organisation's time zone when none is configured ("Store UTC; show the organisation's zone").
DEFAULT_TIMEZONE = "Asia/Shanghai"

#: REQ-TEC-01 support hours: default Monday–Friday 9:00–18:00 (an organisation setting; this is its default).
DEFAULT_BUSINESS_OPEN = dt.time(9, 0)
DEFAULT_BUSINESS_CLOSE = dt.time(18, 0)
#: Weekdays (Monday = 0) open by default under REQ-TEC-01.
DEFAULT_BUSINESS_WEEKDAYS: tuple[int, ...] = (0, 1, 2, 3, 4)
