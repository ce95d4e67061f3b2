"""Deadlines and intervals of the improvement loop, measured in the units their rule gives.

The effect of an improvement action is evaluated "within one month" (``fbk.effect_evaluation_deadline``) and
the improvement report comes back every quarter (``fbk.improvement_report_interval``): calendar time in the
rule's unit. Whole months are calendar months in the organisation's zone (31 January + 1 month = 28/29
February); a fraction of a month is that fraction of the following month's days. Every other unit goes
through the calendar service. Amounts always come from the rule.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from huiyi.calendar import services as calendar
from huiyi.calendar.clocks import Deadline

#: Elapsed time of one unit, for the calendar units that have a fixed length.
_FIXED = {
    "seconds": dt.timedelta(seconds=1),
    "minutes": dt.timedelta(minutes=1),
    "hours": dt.timedelta(hours=1),
    "calendar_days": dt.timedelta(days=1),
}
_MONTHS_PER = {"months": 1, "years": 12}
_PLACES = Decimal("0.01")


def _add_months(start: dt.datetime, months: Decimal) -> dt.datetime:
    local = start.astimezone(calendar.organisation_zone())
    whole = int(months)
    result = local + relativedelta(months=whole)
    fraction = months - whole
    if fraction:
        following = local + relativedelta(months=whole + 1)
        result = result + (following - result) * float(fraction)
    return result


def amount(rule) -> Decimal:
    """The rule's allowance as a number (the upper bound of ``<=`` rules)."""
    value = rule.high if isinstance(rule.value, tuple | list) else rule.value
    return Decimal(str(value))


def deadline(start: dt.datetime, rule) -> Deadline:
    """``start`` + the rule's allowance, on the rule's clock."""
    value = amount(rule)
    if rule.unit in _MONTHS_PER:
        return Deadline(_add_months(start, value * _MONTHS_PER[rule.unit]), True)
    if rule.unit == "working_days":
        return calendar.due(start, working_days=int(value))
    if rule.unit in _FIXED:
        return calendar.due(start, hours=(_FIXED[rule.unit] * float(value)) / dt.timedelta(hours=1))
    raise ValueError(f"rule {rule.id} has unit {rule.unit!r}, which is not a duration")


def elapsed(start: dt.datetime, end: dt.datetime, unit: str) -> Decimal:
    """Calendar time from ``start`` to ``end`` in ``unit`` (months counted as calendar months)."""
    if end <= start:
        return Decimal(0)
    if unit in _MONTHS_PER:
        zone = calendar.organisation_zone()
        a, b = start.astimezone(zone), end.astimezone(zone)
        months = (b.year - a.year) * 12 + b.month - a.month
        if a + relativedelta(months=months) > b:
            months -= 1
        anchor, following = a + relativedelta(months=months), a + relativedelta(months=months + 1)
        fraction = Decimal(str((b - anchor) / (following - anchor)))
        return ((Decimal(months) + fraction) / _MONTHS_PER[unit]).quantize(_PLACES)
    if unit in _FIXED:
        return (Decimal(str((end - start) / _FIXED[unit]))).quantize(_PLACES)
    raise ValueError(f"unit {unit!r} is not a calendar duration")
