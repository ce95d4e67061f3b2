"""Times judged against deadline rules that count from the meeting's start or end (REQ-ONS-01, REQ-ONS-07,
REQ-PPL-04): how long before the start a set-up was done, how long after the end the venue was restored.

The rule says everything: which moment it counts from (``starts_at``), in which direction (``direction``),
in which unit (``unit``) and how much (``value``). Its clock is calendar time (elapsed time).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from huiyi.calendar.clocks import add_calendar
from huiyi.rulebook.loader import Rule

#: The project's moment each ``starts_at`` of these rules names.
ANCHORS = {"meeting_start": "start", "meeting_end": "end"}
#: Seconds in each time unit a calendar deadline may use (time arithmetic, not the standard).
SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "calendar_days": 86400}
PLACES = Decimal("0.0001")


class Untimeable(ValueError):
    """The rule does not count from the meeting's start or end in a time unit."""


def is_timeable(rule: Rule | None) -> bool:
    return rule is not None and rule.starts_at in ANCHORS and rule.unit in SECONDS and rule.value is not None


def anchor(rule: Rule, project) -> dt.datetime:
    if not is_timeable(rule):
        raise Untimeable(rule.id if rule else "")
    return getattr(project, ANCHORS[rule.starts_at])


def elapsed(rule: Rule, project, at: dt.datetime) -> Decimal:
    """The amount the rule judges, in its unit: time before the anchor (``direction: before``) or after it.

    Negative when the moment is on the wrong side (set-up finished after the start).
    """
    start = anchor(rule, project)
    delta = start - at if rule.direction == "before" else at - start
    return (Decimal(str(delta.total_seconds())) / SECONDS[rule.unit]).quantize(PLACES)


def deadline(rule: Rule, project) -> dt.datetime:
    """The latest moment that still meets the rule (for ``>=`` before / ``<=`` after rules)."""
    start = anchor(rule, project)
    amount = dt.timedelta(seconds=float(rule.value) * SECONDS[rule.unit])
    if rule.direction == "before":
        return start - amount
    return add_calendar(start, amount).due
