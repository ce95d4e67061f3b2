"""Time-control arithmetic of the live agenda (REQ-ONS-05, §2.6(3) 3.2), free of the database.

Durations are counted in whole seconds (a tap has no meaningful sub-second precision) and shown in minutes.
A deviation is signed: positive = later / longer than planned, negative = earlier / shorter. Verdicts come
from the rulebook's rules (``Rule.passes``), so the boundary (exactly ±3 min passes) is the rule's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

SECONDS_PER_MINUTE = Decimal(60)
SECONDS_PER_HOUR = Decimal(3600)
#: Minutes are shown with one decimal (a tenth of a minute is six seconds).
DISPLAY = Decimal("0.1")


def seconds(delta: timedelta) -> int:
    return int(round(delta.total_seconds()))


def minutes(delta: timedelta) -> Decimal:
    """A duration in minutes, exact to the second (180 s → 3, 181 s → 3.0166…)."""
    return Decimal(seconds(delta)) / SECONDS_PER_MINUTE


def hours(delta: timedelta) -> Decimal:
    return Decimal(seconds(delta)) / SECONDS_PER_HOUR


def shown(value: Decimal | None, places: Decimal = DISPLAY) -> Decimal | None:
    return None if value is None else value.quantize(places, rounding=ROUND_HALF_UP)


def rule_duration(rule, value=None) -> timedelta:
    """A rule's amount (or one bound of its range) as a duration, from the rule's unit."""
    amount = rule.value if value is None else value
    if rule.unit == "minutes":
        return timedelta(minutes=float(amount))
    if rule.unit == "hours":
        return timedelta(hours=float(amount))
    raise ValueError(f"rule {rule.id}: unit {rule.unit!r} is not a duration")


def in_rule_unit(rule, delta: timedelta) -> Decimal:
    if rule.unit == "minutes":
        return minutes(delta)
    if rule.unit == "hours":
        return hours(delta)
    raise ValueError(f"rule {rule.id}: unit {rule.unit!r} is not a duration")


@dataclass(frozen=True)
class Judged:
    """A measured value in the rule's unit and the rule's verdict on it."""

    value: Decimal
    passes: bool

    @property
    def shown(self) -> Decimal:
        return shown(self.value)

    @property
    def sign(self) -> str:
        return "+" if self.value > 0 else ""


def judge(rule, delta: timedelta) -> Judged:
    value = in_rule_unit(rule, delta)
    return Judged(value=value, passes=rule.passes(value))


def start_deviation(planned_start: datetime, actual_start: datetime | None) -> timedelta | None:
    """How much later (positive) or earlier (negative) the item started than planned."""
    return None if actual_start is None else actual_start - planned_start


def duration_deviation(
    planned_start: datetime, planned_end: datetime, actual_start: datetime | None, actual_end: datetime | None
) -> timedelta | None:
    """Actual − planned duration (the rulebook's definition of a segment's deviation)."""
    if actual_start is None or actual_end is None:
        return None
    return (actual_end - actual_start) - (planned_end - planned_start)


def distance_outside(value: Decimal, low, high) -> Decimal:
    """How far ``value`` lies outside ``[low, high]`` (0 inside)."""
    low, high = Decimal(str(low)), Decimal(str(high))
    if value < low:
        return low - value
    if value > high:
        return value - high
    return Decimal(0)


def gaps(points: list[datetime]) -> list[tuple[datetime, datetime]]:
    """Consecutive pairs of sorted time points."""
    ordered = sorted(points)
    return list(zip(ordered, ordered[1:], strict=False))
