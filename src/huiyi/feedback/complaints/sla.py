"""The complaint SLA policy read from a project's rulebook: severities, targets, clocks, escalation chain.

Nothing here is a number of the specification: targets, units and clock kinds are the rules
``fbk.complaint.<severity>.response`` / ``.resolution`` (metrics ``complaint_response_time`` and
``complaint_resolution_time``, qualified by ``applies_to: {complaint_severity: …}``).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.utils.translation import pgettext_lazy

from huiyi.calendar.clocks import ClockKind, SlaClock
from huiyi.rulebook.loader import Rule, Rulebook

RESPONSE_METRIC = "complaint_response_time"
RESOLUTION_METRIC = "complaint_resolution_time"
CLOSURE_METRIC = "complaint_closure_client_confirmed"
SEVERITY_KEY = "complaint_severity"
#: The two levels a complainant, the public form and the API speak of.
SERIOUS = "serious"
NORMAL = "normal"
REPORTED_LEVELS = (SERIOUS, NORMAL)
#: Who hears of a breach, in order, when the rulebook's rule names no ``command`` chain. Level 0 is the
#: complaint's owner; each escalation moves one step along.
DEFAULT_CHAIN = ("project_manager", "project_director", "quality_officer")

SEVERITY_LABELS = {
    "minor": pgettext_lazy("complaint severity", "Minor"),
    "major": pgettext_lazy("complaint severity", "Major"),
    "serious": pgettext_lazy("complaint severity", "Serious"),
    "normal": pgettext_lazy("complaint severity", "Normal"),
}

_UNIT_DELTAS = {
    "seconds": "seconds",
    "minutes": "minutes",
    "hours": "hours",
    "calendar_days": "days",
}


def severity_label(key: str) -> str:
    return str(SEVERITY_LABELS.get(key, key))


@dataclass(frozen=True)
class Targets:
    severity: str
    response: Rule
    resolution: Rule

    @property
    def label(self) -> str:
        return severity_label(self.severity)


def _rough_hours(rule: Rule) -> float:
    """Only to order severities (most urgent first); never used as a deadline."""
    value = float(rule.value or 0)
    if rule.unit == "minutes":
        return value / 60
    if rule.unit == "seconds":
        return value / 3600
    if rule.unit in ("working_days", "calendar_days"):
        return value * 24
    return value


def targets(rulebook: Rulebook) -> list[Targets]:
    """Every severity with both a response and a resolution rule, most urgent first."""
    response = {r.applies_to.get(SEVERITY_KEY): r for r in rulebook.rules_where(metric=RESPONSE_METRIC)}
    resolution = {r.applies_to.get(SEVERITY_KEY): r for r in rulebook.rules_where(metric=RESOLUTION_METRIC)}
    found = [
        Targets(key, response[key], resolution[key])
        for key in response
        if key and key in resolution and response[key].value is not None
    ]
    return sorted(found, key=lambda t: (_rough_hours(t.resolution), _rough_hours(t.response)))


def targets_for(rulebook: Rulebook, severity: str) -> Targets | None:
    return next((t for t in targets(rulebook) if t.severity == severity), None)


def severity_choices(rulebook: Rulebook) -> list[tuple[str, str]]:
    return [(t.severity, t.label) for t in targets(rulebook)]


def serious_key(rulebook: Rulebook) -> str | None:
    """The rulebook's serious severity (its most urgent one if none is called serious)."""
    found = targets(rulebook)
    if not found:
        return None
    return SERIOUS if any(t.severity == SERIOUS for t in found) else found[0].severity


def normal_default(rulebook: Rulebook) -> str | None:
    """What "normal" means until staff refine it: the least urgent severity (the after-sales default)."""
    serious = serious_key(rulebook)
    rest = [t.severity for t in targets(rulebook) if t.severity != serious]
    return rest[-1] if rest else serious


def severity_from_report(rulebook: Rulebook, reported: str) -> str | None:
    """``serious`` / ``normal`` → the rulebook's severity key; a rulebook key is accepted as it is."""
    if reported == SERIOUS:
        return serious_key(rulebook)
    if reported == NORMAL:
        return normal_default(rulebook)
    return reported if targets_for(rulebook, reported) else None


def is_serious(rulebook: Rulebook, severity: str) -> bool:
    return severity == serious_key(rulebook)


def clock_target(rule: Rule) -> dt.timedelta | int:
    """The rule's amount in its clock's terms (whole working days, else a duration)."""
    kind = ClockKind(rule.clock or "calendar")
    if kind is ClockKind.WORKING_DAYS:
        return int(math.ceil(float(rule.value)))
    unit = _UNIT_DELTAS.get(rule.unit)
    if unit is None:
        raise ValueError(f"rule {rule.id}: unit {rule.unit!r} cannot be a complaint clock")
    return dt.timedelta(**{unit: float(rule.value)})


def new_clock(rule: Rule, started_at: dt.datetime) -> SlaClock:
    return SlaClock.start(rule.clock or "calendar", clock_target(rule), started_at)


def retarget(clock: SlaClock, rule: Rule) -> SlaClock:
    """The same clock history (start, pauses, stop) measured against another rule's target."""
    return SlaClock(
        ClockKind(rule.clock or "calendar"),
        clock_target(rule),
        clock.started_at,
        clock.pauses,
        clock.stopped_at,
    )


def target_as_delta(clock: SlaClock) -> dt.timedelta:
    """The target as a duration in the clock's own time (working days: whole days of working time)."""
    if clock.kind is ClockKind.WORKING_DAYS:
        return dt.timedelta(days=int(clock.target))  # type: ignore[arg-type]
    return clock.target  # type: ignore[return-value]


def chain(rule: Rule | None) -> tuple[str, ...]:
    """The roles a breach escalates to, after the owner: the rule's ``command`` if it names one."""
    if rule is not None and rule.command:
        return tuple(rule.command)
    return DEFAULT_CHAIN


def level_label(level: int, roles: tuple[str, ...], rulebook: Rulebook) -> str:
    from huiyi.rulebook.display import text

    if level <= 0:
        return str(pgettext_lazy("complaints", "Owner"))
    if level - 1 < len(roles):
        role = roles[level - 1]
        entry = rulebook.roles.get(role)
        return text(entry.name) if entry is not None else role
    return str(pgettext_lazy("complaints", "Level %(level)s") % {"level": level})
