"""Deadline arithmetic on timezone-aware datetimes.

Three kinds of time:

* **calendar** — elapsed time ("24 小时内"): ``add_calendar``.
* **working days** — ``add_working_days``: due at 23:59:59 local time of the Nth working day *after* the
  start date, following China's schedule (holidays and adjusted working days 调休).
* **business hours** — ``add_business_hours`` / ``business_time_between``: only time inside the
  organisation's opening windows (:class:`HoursSpec`, default REQ-TEC-01) on open days counts.

Every result is a :class:`Deadline` with ``confirmed`` telling whether all dates the computation walked over
lie in years whose official schedule is known. :class:`SlaClock` is a pausable clock value object.

Rules: inputs must be timezone-aware (naive datetimes are rejected); results are aware datetimes in the
organisation's zone; amounts are never literals here — they come from callers (the rulebook). This module
imports nothing from Django.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from numbers import Real
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .defaults import (
    DEFAULT_BUSINESS_CLOSE,
    DEFAULT_BUSINESS_OPEN,
    DEFAULT_BUSINESS_WEEKDAYS,
    DEFAULT_TIMEZONE,
)
from .schedule import DayKind, Schedule

__all__ = [
    "END_OF_DAY",
    "ClockKind",
    "ClockStatus",
    "Deadline",
    "HoursSpec",
    "Pause",
    "SlaClock",
    "WorkCalendar",
    "add_business_hours",
    "add_calendar",
    "add_working_days",
    "business_time_between",
    "end_of_day",
    "hours_to_timedelta",
    "resolve_tz",
    "working_time_between",
]

UTC = dt.UTC
#: Working-day deadlines fall due at this local time of their last day.
END_OF_DAY = dt.time(23, 59, 59)
_ONE_DAY = dt.timedelta(days=1)
_ZERO = dt.timedelta(0)
#: Safety net, not a business rule: give up if no open day is found within this many days (e.g. every day
#: overridden as a holiday, or opening hours with no windows).
_SEARCH_LIMIT_DAYS = 3660

Window = tuple[dt.time, dt.time]


# --- validation helpers ---------------------------------------------------------------------------------


def _require_aware(value: Any, name: str) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        raise ValueError(f"{name} must be a timezone-aware datetime, got {value!r}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive datetime {value.isoformat()}")
    return value


def _utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(UTC)


def resolve_tz(tz: dt.tzinfo | str | None) -> dt.tzinfo:
    """A tzinfo from a zone name or tzinfo; ``None`` means the default organisation zone."""
    if tz is None:
        tz = DEFAULT_TIMEZONE
    if isinstance(tz, str):
        try:
            return ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {tz!r}") from exc
    if isinstance(tz, dt.tzinfo):
        return tz
    raise ValueError(f"tz must be a zone name or tzinfo, got {tz!r}")


def _duration(value: Any, name: str) -> dt.timedelta:
    if not isinstance(value, dt.timedelta):
        raise ValueError(f"{name} must be a timedelta, got {value!r}")
    if value < _ZERO:
        raise ValueError(f"{name} must not be negative, got {value}")
    return value


def hours_to_timedelta(value: Any, name: str = "hours") -> dt.timedelta:
    """A non-negative duration from a timedelta or a number of hours (int, float or Decimal)."""
    if isinstance(value, dt.timedelta):
        return _duration(value, name)
    if isinstance(value, bool) or not isinstance(value, Real | Decimal):
        raise ValueError(f"{name} must be a number of hours or a timedelta, got {value!r}")
    if not math.isfinite(float(value)):
        raise ValueError(f"{name} must be finite, got {value!r}")
    if value < 0:
        raise ValueError(f"{name} must not be negative, got {value}")
    return dt.timedelta(hours=float(value))


def _count(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be a whole number of days, got {value!r}")
    if value < 0:
        raise ValueError(f"{name} must not be negative, got {value}")
    return value


def _local_date(start: dt.datetime | dt.date, zone: dt.tzinfo, name: str = "start") -> dt.date:
    if isinstance(start, dt.datetime):
        return _require_aware(start, name).astimezone(zone).date()
    if isinstance(start, dt.date):
        return start
    raise ValueError(f"{name} must be a timezone-aware datetime or a date, got {start!r}")


def _local(day: dt.date, at: dt.time, zone: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, at, tzinfo=zone)


def end_of_day(day: dt.date, tz: dt.tzinfo | str | None = None) -> dt.datetime:
    """23:59:59 local time of ``day`` — when a working-day deadline falls due."""
    return _local(day, END_OF_DAY, resolve_tz(tz))


# --- results ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Deadline:
    """A computed due instant and whether it rests entirely on confirmed official schedules."""

    due: dt.datetime
    confirmed: bool

    def __post_init__(self) -> None:
        _require_aware(self.due, "due")

    def remaining(self, now: dt.datetime) -> dt.timedelta:
        """Elapsed time left until ``due`` (negative once overdue)."""
        return _utc(self.due) - _utc(_require_aware(now, "now"))

    def breached(self, now: dt.datetime) -> bool:
        """True once ``now`` is strictly after ``due``."""
        return _utc(_require_aware(now, "now")) > _utc(self.due)

    def as_dict(self) -> dict[str, Any]:
        return {"due": self.due.isoformat(), "confirmed": self.confirmed}


# --- opening hours ---------------------------------------------------------------------------------------


def _check_windows(windows: Iterable[Sequence[dt.time]], label: str) -> tuple[Window, ...]:
    result: list[Window] = []
    for item in windows:
        if len(item) != 2:
            raise ValueError(f"{label}: a window is (open, close), got {item!r}")
        opens, closes = item
        if not isinstance(opens, dt.time) or not isinstance(closes, dt.time):
            raise ValueError(f"{label}: window times must be datetime.time, got {item!r}")
        if opens.tzinfo is not None or closes.tzinfo is not None:
            raise ValueError(f"{label}: window times are local wall-clock times and must be naive")
        if not opens < closes:
            raise ValueError(f"{label}: window opens at {opens} but closes at {closes}; open must be earlier")
        result.append((opens, closes))
    result.sort()
    for (_, prev_close), (next_open, _) in zip(result, result[1:], strict=False):
        if next_open < prev_close:
            raise ValueError(f"{label}: opening windows overlap")
    return tuple(result)


@dataclass(frozen=True)
class HoursSpec:
    """Opening windows per weekday (index 0 = Monday) plus the window used on adjusted working days 调休.

    Holidays are closed whatever the weekday. An adjusted working day (a Saturday or Sunday made a working
    day) uses ``adjusted``; when not given it is the standard window — the first weekday, from Monday, that
    has windows. Ordinary days use their weekday's windows.
    """

    weekly: tuple[tuple[Window, ...], ...]
    adjusted: tuple[Window, ...] | None = None

    def __post_init__(self) -> None:
        weekly = tuple(self.weekly)
        if len(weekly) != 7:
            raise ValueError(f"weekly must have 7 entries (Monday..Sunday), got {len(weekly)}")
        checked = tuple(_check_windows(w, f"weekday {i}") for i, w in enumerate(weekly))
        object.__setattr__(self, "weekly", checked)
        if self.adjusted is None:
            standard = next((w for w in checked if w), ())
            object.__setattr__(self, "adjusted", standard)
        else:
            object.__setattr__(self, "adjusted", _check_windows(self.adjusted, "adjusted"))

    @classmethod
    def uniform(
        cls, opens: dt.time, closes: dt.time, weekdays: Iterable[int] = DEFAULT_BUSINESS_WEEKDAYS
    ) -> HoursSpec:
        """The same single window on the given weekdays (Monday = 0)."""
        days = set(weekdays)
        if not days <= set(range(7)):
            raise ValueError(f"weekdays must be between 0 (Monday) and 6 (Sunday), got {sorted(days)}")
        return cls(tuple(((opens, closes),) if i in days else () for i in range(7)))

    @classmethod
    def default(cls) -> HoursSpec:
        """REQ-TEC-01 default support hours (organisation setting default, see ``defaults``)."""
        return cls.uniform(DEFAULT_BUSINESS_OPEN, DEFAULT_BUSINESS_CLOSE, DEFAULT_BUSINESS_WEEKDAYS)

    @classmethod
    def from_mapping(cls, data: Mapping[int | str, Iterable[Sequence[str | dt.time]]]) -> HoursSpec:
        """Build from ``{weekday: [["09:00", "18:00"], ...]}`` (keys 0–6 or "adjusted")."""

        def parse(windows: Iterable[Sequence[str | dt.time]]) -> list[tuple[dt.time, dt.time]]:
            out = []
            for w in windows:
                pair = tuple(dt.time.fromisoformat(x) if isinstance(x, str) else x for x in w)
                out.append(pair)
            return out

        weekly: list[Any] = [() for _ in range(7)]
        adjusted = None
        for key, windows in data.items():
            if key == "adjusted":
                adjusted = parse(windows)
                continue
            index = int(key)
            if not 0 <= index <= 6:
                raise ValueError(f"weekday keys must be 0..6, got {key!r}")
            weekly[index] = parse(windows)
        return cls(tuple(weekly), adjusted)

    def to_mapping(self) -> dict[str, list[list[str]]]:
        out = {str(i): [[o.isoformat(), c.isoformat()] for o, c in w] for i, w in enumerate(self.weekly)}
        out["adjusted"] = [[o.isoformat(), c.isoformat()] for o, c in self.adjusted or ()]
        return out

    @property
    def is_closed_always(self) -> bool:
        return not any(self.weekly) and not self.adjusted

    def windows_for(self, day: dt.date, kind: DayKind) -> tuple[Window, ...]:
        if kind is DayKind.HOLIDAY:
            return ()
        if kind is DayKind.ADJUSTED_WORKDAY:
            return self.adjusted or ()
        return self.weekly[day.weekday()]


# --- interval machinery ----------------------------------------------------------------------------------


def _business_intervals(
    day: dt.date, schedule: Schedule, zone: dt.tzinfo, spec: HoursSpec
) -> Iterator[tuple[dt.datetime, dt.datetime]]:
    """Open intervals of one local day, in UTC."""
    for opens, closes in spec.windows_for(day, schedule.kind(day)):
        yield _utc(_local(day, opens, zone)), _utc(_local(day, closes, zone))


def _working_day_intervals(
    day: dt.date, schedule: Schedule, zone: dt.tzinfo
) -> Iterator[tuple[dt.datetime, dt.datetime]]:
    """The whole local day, in UTC, if it is a working day."""
    if schedule.is_working_day(day):
        yield _utc(_local(day, dt.time(0), zone)), _utc(_local(day + _ONE_DAY, dt.time(0), zone))


def _measure(a: dt.datetime, b: dt.datetime, zone: dt.tzinfo, intervals_of) -> dt.timedelta:
    """Signed total overlap of [a, b] with the intervals produced per local day."""
    a_utc, b_utc = _utc(a), _utc(b)
    if b_utc < a_utc:
        return -_measure(b, a, zone, intervals_of)
    total = _ZERO
    day = a_utc.astimezone(zone).date() - _ONE_DAY  # one day of margin for windows crossing offsets
    last = b_utc.astimezone(zone).date()
    while day <= last:
        for s, e in intervals_of(day):
            lo, hi = max(s, a_utc), min(e, b_utc)
            if hi > lo:
                total += hi - lo
        day += _ONE_DAY
    return total


# --- public arithmetic -----------------------------------------------------------------------------------


def add_calendar(start: dt.datetime, delta: dt.timedelta, tz: dt.tzinfo | str | None = None) -> Deadline:
    """``start`` plus ``delta`` of elapsed time (computed in UTC, so DST never shifts it).

    The result is expressed in ``tz`` (default: ``start``'s own zone). Calendar time needs no official
    schedule, so the deadline is always confirmed.
    """
    _require_aware(start, "start")
    delta = _duration(delta, "delta")
    zone = resolve_tz(tz) if tz is not None else start.tzinfo
    return Deadline((_utc(start) + delta).astimezone(zone), True)


def add_working_days(
    start: dt.datetime | dt.date,
    n: int,
    schedule: Schedule,
    tz: dt.tzinfo | str | None = DEFAULT_TIMEZONE,
) -> Deadline:
    """Due at 23:59:59 local time of the ``n``-th working day after the local date of ``start``.

    The start date itself never counts (whatever the time of day); ``n == 0`` means the end of the start
    date. ``start`` may be an aware datetime (its date in ``tz`` is used) or a local date.
    """
    n = _count(n, "n")
    zone = resolve_tz(tz)
    first = _local_date(start, zone)
    day, left, idle = first, n, 0
    while left:
        day += _ONE_DAY
        if schedule.is_working_day(day):
            left -= 1
            idle = 0
        else:
            idle += 1
            if idle > _SEARCH_LIMIT_DAYS:
                raise ValueError(f"no working day found within {_SEARCH_LIMIT_DAYS} days after {day}")
    return Deadline(_local(day, END_OF_DAY, zone), schedule.all_confirmed(first, day))


def add_business_hours(
    start: dt.datetime,
    hours: dt.timedelta | float | int | Decimal,
    schedule: Schedule,
    tz: dt.tzinfo | str | None = DEFAULT_TIMEZONE,
    hours_spec: HoursSpec | None = None,
) -> Deadline:
    """``start`` plus ``hours`` of business time (a timedelta or a number of hours).

    Counting starts at the next open moment at or after ``start``; a deadline that uses up a window exactly
    falls due at that window's close (18:00), not at the next opening. ``hours == 0`` is due at ``start``.
    """
    _require_aware(start, "start")
    amount = hours_to_timedelta(hours, "hours")
    zone = resolve_tz(tz)
    spec = hours_spec or HoursSpec.default()
    start_utc = _utc(start)
    first = start_utc.astimezone(zone).date()
    if amount == _ZERO:
        return Deadline(start_utc.astimezone(zone), schedule.all_confirmed(first, first))
    if spec.is_closed_always:
        raise ValueError("business hours have no opening windows; nothing can fall due")
    left = amount
    day, idle = first - _ONE_DAY, 0
    while True:
        opened = False
        for s, e in _business_intervals(day, schedule, zone, spec):
            opened = True
            lo = max(s, start_utc)
            if e <= lo:
                continue
            available = e - lo
            if left <= available:
                due = (lo + left).astimezone(zone)
                return Deadline(due, schedule.all_confirmed(first, due.date()))
            left -= available
        idle = 0 if opened else idle + 1
        if idle > _SEARCH_LIMIT_DAYS:
            raise ValueError(f"no open business hours found within {_SEARCH_LIMIT_DAYS} days after {day}")
        day += _ONE_DAY


def business_time_between(
    a: dt.datetime,
    b: dt.datetime,
    schedule: Schedule,
    tz: dt.tzinfo | str | None = DEFAULT_TIMEZONE,
    hours_spec: HoursSpec | None = None,
) -> dt.timedelta:
    """Business time elapsed between two instants (negative if ``b`` is before ``a``)."""
    _require_aware(a, "a")
    _require_aware(b, "b")
    zone = resolve_tz(tz)
    spec = hours_spec or HoursSpec.default()
    return _measure(a, b, zone, lambda day: _business_intervals(day, schedule, zone, spec))


def working_time_between(
    a: dt.datetime,
    b: dt.datetime,
    schedule: Schedule,
    tz: dt.tzinfo | str | None = DEFAULT_TIMEZONE,
) -> dt.timedelta:
    """Time elapsed between two instants counting only whole working days (all 24 h of each).

    This is the "working-day time" a working-days clock consumes: a full working day counts one day,
    weekends and holidays count nothing. Negative if ``b`` is before ``a``.
    """
    _require_aware(a, "a")
    _require_aware(b, "b")
    zone = resolve_tz(tz)
    return _measure(a, b, zone, lambda day: _working_day_intervals(day, schedule, zone))


@dataclass(frozen=True)
class WorkCalendar:
    """Schedule + organisation zone + opening hours: everything a deadline computation needs."""

    schedule: Schedule
    tz: dt.tzinfo | str | None = DEFAULT_TIMEZONE
    hours: HoursSpec = field(default_factory=HoursSpec.default)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tz", resolve_tz(self.tz))

    def add_calendar(self, start: dt.datetime, delta: dt.timedelta) -> Deadline:
        return add_calendar(start, delta, self.tz)

    def add_working_days(self, start: dt.datetime | dt.date, n: int) -> Deadline:
        return add_working_days(start, n, self.schedule, self.tz)

    def add_business_hours(self, start: dt.datetime, hours: dt.timedelta | float | int | Decimal) -> Deadline:
        return add_business_hours(start, hours, self.schedule, self.tz, self.hours)

    def business_time_between(self, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
        return business_time_between(a, b, self.schedule, self.tz, self.hours)

    def working_time_between(self, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
        return working_time_between(a, b, self.schedule, self.tz)

    def local(self, value: dt.datetime) -> dt.datetime:
        return _require_aware(value, "value").astimezone(self.tz)


# --- SLA clocks ------------------------------------------------------------------------------------------


class ClockKind(StrEnum):
    CALENDAR = "calendar"
    WORKING_DAYS = "working_days"
    BUSINESS_HOURS = "business_hours"


class ClockStatus(StrEnum):
    RUNNING = "running"
    PAUSED = "paused"
    BREACHED = "breached"
    STOPPED = "stopped"


@dataclass(frozen=True, slots=True)
class Pause:
    """One pause interval; ``resumed_at`` is ``None`` while the clock is still paused."""

    paused_at: dt.datetime
    resumed_at: dt.datetime | None = None

    def __post_init__(self) -> None:
        _require_aware(self.paused_at, "paused_at")
        if self.resumed_at is not None:
            _require_aware(self.resumed_at, "resumed_at")
            if _utc(self.resumed_at) < _utc(self.paused_at):
                raise ValueError(
                    f"resume before pause: resumed_at {self.resumed_at.isoformat()} is earlier than "
                    f"paused_at {self.paused_at.isoformat()}"
                )


@dataclass(frozen=True, slots=True)
class _Evaluation:
    deadline: Deadline | None  # None while paused (the due instant is unknown until resumed)
    observed_at: dt.datetime  # the instant the clock is looked at: min(now, stopped_at)
    paused_since: dt.datetime | None
    frozen_deadline: Deadline | None  # deadline in force when the current pause began
    stopped: bool


@dataclass(frozen=True)
class SlaClock:
    """A pausable deadline clock — a pure value object a Django model can store field by field.

    ``target`` is an ``int`` of working days for ``working_days`` clocks and a ``timedelta`` otherwise.
    Pauses are counted in the clock's own kind of time: a pause over a weekend does not extend a
    business-hours or working-days clock; a pause extends a working-days clock by the working days it
    covered (after the start date), rounded up to whole days. While paused the clock reports ``paused`` and
    never breaches; a pause that begins after the deadline has passed does not un-breach — ``breached``
    wins over every other status, including ``stopped`` (a clock stopped late stays breached).

    ``pause``, ``resume`` and ``stop`` return a new clock; the instance itself never changes.
    """

    kind: ClockKind
    target: dt.timedelta | int
    started_at: dt.datetime
    pauses: tuple[Pause, ...] = ()
    stopped_at: dt.datetime | None = None

    def __post_init__(self) -> None:
        try:
            kind = ClockKind(self.kind)
        except ValueError as exc:
            choices = ", ".join(k.value for k in ClockKind)
            raise ValueError(f"kind must be one of {choices}, got {self.kind!r}") from exc
        object.__setattr__(self, "kind", kind)
        if kind is ClockKind.WORKING_DAYS:
            _count(self.target, "target")
        else:
            _duration(self.target, "target")
        _require_aware(self.started_at, "started_at")
        pauses = tuple(self.pauses)
        object.__setattr__(self, "pauses", pauses)
        previous = _utc(self.started_at)
        for i, p in enumerate(pauses):
            if not isinstance(p, Pause):
                raise ValueError(f"pauses must be Pause objects, got {p!r}")
            if _utc(p.paused_at) < previous:
                raise ValueError(
                    f"pause at {p.paused_at.isoformat()} is before the clock started or before the "
                    "previous resume"
                )
            if p.resumed_at is None:
                if i != len(pauses) - 1:
                    raise ValueError("only the last pause may still be open")
                previous = _utc(p.paused_at)
            else:
                previous = _utc(p.resumed_at)
        if self.stopped_at is not None:
            _require_aware(self.stopped_at, "stopped_at")
            if _utc(self.stopped_at) < previous:
                raise ValueError("stopped_at is before the clock's last start, pause or resume")
            if pauses and pauses[-1].resumed_at is None:
                raise ValueError("a stopped clock cannot still be paused")

    # --- construction and transitions ---

    @classmethod
    def start(cls, kind: ClockKind | str, target: dt.timedelta | int, at: dt.datetime) -> SlaClock:
        """A running clock started ``at`` (``kind`` may be given as its string value)."""
        return cls(kind, target, at)  # type: ignore[arg-type]

    @property
    def is_paused(self) -> bool:
        return bool(self.pauses) and self.pauses[-1].resumed_at is None

    @property
    def is_stopped(self) -> bool:
        return self.stopped_at is not None

    def _last_event(self) -> dt.datetime:
        """The start, or the latest pause/resume instant."""
        if not self.pauses:
            return self.started_at
        last = self.pauses[-1]
        return last.resumed_at or last.paused_at

    def pause(self, at: dt.datetime) -> SlaClock:
        _require_aware(at, "at")
        if self.is_stopped:
            raise ValueError("cannot pause a stopped clock")
        if self.is_paused:
            raise ValueError(
                f"pause while paused: the clock has been paused since {self.pauses[-1].paused_at.isoformat()}"
            )
        last = self._last_event()
        if _utc(at) < _utc(last):
            raise ValueError(
                f"cannot pause at {at.isoformat()}: before the clock's last start or resume "
                f"({last.isoformat()})"
            )
        return replace(self, pauses=(*self.pauses, Pause(at)))

    def resume(self, at: dt.datetime) -> SlaClock:
        _require_aware(at, "at")
        if not self.is_paused:
            raise ValueError("resume without pause: the clock is not paused")
        current = self.pauses[-1]
        if _utc(at) < _utc(current.paused_at):
            raise ValueError(
                f"resume before pause: {at.isoformat()} is earlier than paused_at "
                f"{current.paused_at.isoformat()}"
            )
        return replace(self, pauses=(*self.pauses[:-1], Pause(current.paused_at, at)))

    def stop(self, at: dt.datetime) -> SlaClock:
        """Stop the clock (the work is done). Stopping a paused clock closes the pause first."""
        _require_aware(at, "at")
        if self.is_stopped:
            raise ValueError("the clock is already stopped")
        clock = self.resume(at) if self.is_paused else self
        if _utc(at) < _utc(clock._last_event()):
            raise ValueError(f"cannot stop at {at.isoformat()}: before the clock's last start or resume")
        return replace(clock, stopped_at=at)

    # --- arithmetic in the clock's own kind of time ---

    def _amount(self, a: dt.datetime, b: dt.datetime, cal: WorkCalendar) -> dt.timedelta:
        if self.kind is ClockKind.CALENDAR:
            return _utc(b) - _utc(a)
        if self.kind is ClockKind.BUSINESS_HOURS:
            return cal.business_time_between(a, b)
        return cal.working_time_between(a, b)

    def _counting_origin(self, cal: WorkCalendar) -> dt.datetime:
        """Working-days clocks start counting at midnight after the start date; others at the start."""
        if self.kind is ClockKind.WORKING_DAYS:
            first = _local_date(self.started_at, cal.tz)
            return _local(first + _ONE_DAY, dt.time(0), cal.tz)  # type: ignore[arg-type]
        return self.started_at

    def _credit(self, a: dt.datetime, b: dt.datetime, cal: WorkCalendar) -> dt.timedelta:
        origin = _utc(self._counting_origin(cal))
        lo, hi = max(_utc(a), origin), max(_utc(b), origin)
        return self._amount(lo, hi, cal)

    def _deadline(self, extra: dt.timedelta, cal: WorkCalendar) -> Deadline:
        if self.kind is ClockKind.CALENDAR:
            return cal.add_calendar(self.started_at, self.target + extra)  # type: ignore[operator]
        if self.kind is ClockKind.BUSINESS_HOURS:
            return cal.add_business_hours(self.started_at, self.target + extra)  # type: ignore[operator]
        extra_days = math.ceil(extra / _ONE_DAY)
        return cal.add_working_days(self.started_at, self.target + extra_days)  # type: ignore[operator]

    def _boundary(self, deadline: Deadline, cal: WorkCalendar) -> dt.datetime:
        """The instant the clock's time runs out (working days: the midnight ending the due day)."""
        if self.kind is ClockKind.WORKING_DAYS:
            due_local = deadline.due.astimezone(cal.tz)  # type: ignore[arg-type]
            return _local(due_local.date() + _ONE_DAY, dt.time(0), cal.tz)  # type: ignore[arg-type]
        return deadline.due

    def _evaluate(self, now: dt.datetime | None, cal: WorkCalendar) -> _Evaluation:
        if now is not None:
            _require_aware(now, "now")
        horizon = _utc(now) if now is not None else None
        stopped = self.stopped_at is not None and (horizon is None or _utc(self.stopped_at) <= horizon)
        if stopped:
            observed = _utc(self.stopped_at)  # type: ignore[arg-type]
        elif horizon is not None:
            observed = horizon
        else:
            observed = None
        extra = _ZERO
        deadline = self._deadline(extra, cal)
        for p in self.pauses:
            if observed is not None and _utc(p.paused_at) > observed:
                break  # not yet paused at the observed instant
            if _utc(p.paused_at) > _utc(deadline.due):
                break  # breached before this pause began: later pauses cannot un-breach it
            resumed = p.resumed_at
            if resumed is None or (observed is not None and _utc(resumed) > observed):
                return _Evaluation(None, observed or _utc(p.paused_at), p.paused_at, deadline, stopped)
            extra += self._credit(p.paused_at, resumed, cal)
            deadline = self._deadline(extra, cal)
        return _Evaluation(deadline, observed or _utc(deadline.due), None, None, stopped)

    # --- questions ---

    def due(self, cal: WorkCalendar, now: dt.datetime | None = None) -> Deadline | None:
        """The deadline given the pauses recorded (up to ``now`` if given); ``None`` while paused."""
        return self._evaluate(now, cal).deadline

    def status(self, now: dt.datetime, cal: WorkCalendar) -> ClockStatus:
        ev = self._evaluate(now, cal)
        if ev.deadline is not None and ev.observed_at > _utc(ev.deadline.due):
            return ClockStatus.BREACHED
        if ev.stopped:
            return ClockStatus.STOPPED
        if ev.paused_since is not None:
            return ClockStatus.PAUSED
        return ClockStatus.RUNNING

    def breached(self, now: dt.datetime, cal: WorkCalendar) -> bool:
        return self.status(now, cal) is ClockStatus.BREACHED

    def remaining(self, now: dt.datetime, cal: WorkCalendar) -> dt.timedelta:
        """Time left in the clock's own kind of time (negative once breached; frozen while paused/stopped).

        Calendar clocks: elapsed time; business-hours clocks: business time; working-days clocks:
        working-day time (``timedelta(days=2)`` = two whole working days left).
        """
        ev = self._evaluate(now, cal)
        if ev.deadline is None:
            assert ev.frozen_deadline is not None and ev.paused_since is not None
            start = max(_utc(ev.paused_since), _utc(self._counting_origin(cal)))
            return self._amount(start, self._boundary(ev.frozen_deadline, cal), cal)
        if ev.observed_at > _utc(ev.deadline.due):  # breached: how far past due, in the clock's time
            return -self._amount(ev.deadline.due, ev.observed_at, cal)
        start = max(ev.observed_at, _utc(self._counting_origin(cal)))
        return self._amount(start, self._boundary(ev.deadline, cal), cal)

    # --- storage ---

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly fields (``target`` in days for working-days clocks, else in seconds)."""
        target = self.target if self.kind is ClockKind.WORKING_DAYS else self.target.total_seconds()  # type: ignore[union-attr]
        return {
            "kind": self.kind.value,
            "target": target,
            "started_at": self.started_at.isoformat(),
            "pauses": [
                [p.paused_at.isoformat(), p.resumed_at.isoformat() if p.resumed_at else None]
                for p in self.pauses
            ],
            "stopped_at": self.stopped_at.isoformat() if self.stopped_at else None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SlaClock:
        kind = ClockKind(data["kind"])
        raw = data["target"]
        target = raw if kind is ClockKind.WORKING_DAYS else dt.timedelta(seconds=raw)

        def parse(value: str | None) -> dt.datetime | None:
            return dt.datetime.fromisoformat(value) if value else None

        pauses = tuple(Pause(parse(a), parse(b)) for a, b in data.get("pauses", ()))  # type: ignore[arg-type]
        return cls(kind, target, parse(data["started_at"]), pauses, parse(data.get("stopped_at")))  # type: ignore[arg-type]
