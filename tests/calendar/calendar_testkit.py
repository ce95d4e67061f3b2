"""Small helpers shared by the calendar tests (a uniquely named module, importable from this folder)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(text: str, zone: ZoneInfo = SHANGHAI) -> dt.datetime:
    """An aware datetime from 'YYYY-MM-DD HH:MM[:SS]' in ``zone`` (default Asia/Shanghai)."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=zone)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
