"""The clocks of an incident (REQ-INC-04, REQ-INC-09, CCP 8), every length read from the project's rulebook.

* ``response`` — emergency response time = standard time × priority coefficient of the level (formula
  ``emergency_response_time``, §3.3(1)); stops at the first acknowledgement in the command chain.
* ``critical_response`` — CCP 8's critical incident response time, for the levels whose urgency is
  immediate or urgent (I and II); stops with the response.
* ``diagnosis`` / ``host_report`` — the type's own deadline (equipment: the director diagnoses;
  conflict: the director reports to the host), from the rules that apply to the incident type.
* ``resolution`` — time to resolution; the rulebook sets no limit, so it has no deadline (shown, not judged).

Each is a :class:`huiyi.calendar.clocks.SlaClock` of calendar time started when the incident was reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from huiyi.calendar.clocks import ClockKind, ClockStatus, SlaClock, WorkCalendar
from huiyi.calendar.schedule import Schedule
from huiyi.calendar.services import organisation_zone
from huiyi.rulebook.display import format_value, text
from huiyi.rulebook.loader import Rule, Rulebook

RESPONSE_STANDARD_RULE = "inc.response.standard_time"
CRITICAL_RESPONSE_RULE = "ccp08.critical_response_time"
RELAY_RULE = "ons.liaison.relay_time"
#: Rulebook urgencies (``inc.level.*``) whose incidents are "critical" for CCP 8.
CRITICAL_URGENCIES = ("immediate", "urgent")
#: Type-specific deadlines: clock key → (rule metric, incident field that stops it).
TYPE_CLOCKS = {
    "diagnosis": ("equipment_failure_diagnosis_time", "diagnosed_at"),
    "host_report": ("conflict_report_time", "host_reported_at"),
}
_UNIT_MINUTES = {"minutes": 1, "hours": 60}


def rule_duration(rule: Rule, factor: float = 1) -> timedelta:
    """A deadline rule's value (minutes or hours) as a duration, optionally scaled."""
    per = _UNIT_MINUTES.get(rule.unit)
    if per is None:
        raise ValueError(f"rule {rule.id}: unit {rule.unit!r} is not a duration in minutes or hours")
    return timedelta(minutes=float(rule.value) * per * factor)


def minutes(delta: timedelta) -> float:
    return delta.total_seconds() / 60


def level_rule(rulebook: Rulebook, level: str) -> Rule | None:
    return next((r for r in rulebook.rules_where(metric="incident_level") if r.level_code == level), None)


def command_rule(rulebook: Rulebook, level: str) -> Rule | None:
    return next((r for r in rulebook.rules_where(metric="incident_command") if r.level_code == level), None)


def priority_coefficient(rulebook: Rulebook, level: str) -> Rule:
    return rulebook.rules_where(metric="response_priority_coefficient", level=level)[0]


def is_critical(rulebook: Rulebook, level: str) -> bool:
    rule = level_rule(rulebook, level)
    return rule is not None and rule.urgency in CRITICAL_URGENCIES


def relay_window(rulebook: Rulebook) -> timedelta:
    return rule_duration(rulebook.rule(RELAY_RULE))


def response_target(rulebook: Rulebook, level: str) -> timedelta:
    """REQ-INC-09: standard time × priority coefficient of the level."""
    coefficient = priority_coefficient(rulebook, level)
    return rule_duration(rulebook.rule(RESPONSE_STANDARD_RULE), float(coefficient.value))


def type_rule(rulebook: Rulebook, metric: str, incident_type: str) -> Rule | None:
    rules = rulebook.rules_where(metric=metric, incident_type=incident_type)
    return rules[0] if rules else None


_CALENDAR: WorkCalendar | None = None


def _calendar() -> WorkCalendar:
    # Calendar-time clocks never consult the holiday schedule: an empty one avoids two queries per look.
    return WorkCalendar(Schedule({}, use_package=False), organisation_zone())


@dataclass(frozen=True)
class Clock:
    key: str
    name: str
    rule_id: str
    threshold: str
    started_at: datetime
    target: timedelta | None
    stopped_at: datetime | None
    due: datetime | None
    status: str  # running, met, breached, stopped (no deadline), open (no deadline)
    remaining: timedelta | None
    elapsed: timedelta

    @property
    def breached(self) -> bool:
        return self.status == "breached"

    @property
    def running(self) -> bool:
        return self.stopped_at is None

    @property
    def remaining_seconds(self) -> int | None:
        return None if self.remaining is None else int(self.remaining.total_seconds())

    @property
    def elapsed_minutes(self) -> float:
        return round(minutes(self.elapsed), 2)


def _clock(key, name, rule_id, threshold, start, target, stopped, now) -> Clock:
    observed = min(stopped, now) if stopped else now
    elapsed = observed - start
    if target is None:
        return Clock(
            key,
            name,
            rule_id,
            threshold,
            start,
            None,
            stopped,
            None,
            "stopped" if stopped else "open",
            None,
            elapsed,
        )
    calendar = _calendar()
    sla = SlaClock(ClockKind.CALENDAR, target, start, (), stopped if stopped and stopped >= start else None)
    status = sla.status(now, calendar)
    due = sla.due(calendar).due
    if status is ClockStatus.BREACHED:
        label = "breached"
    elif status is ClockStatus.STOPPED:
        label = "met"
    else:
        label = "running"
    return Clock(
        key,
        name,
        rule_id,
        threshold,
        start,
        target,
        stopped,
        due,
        label,
        sla.remaining(now, calendar),
        elapsed,
    )


def incident_clocks(incident, rulebook: Rulebook, now: datetime | None = None) -> list[Clock]:
    """The incident's clocks in display order (only those that apply to its type and level)."""
    from django.utils.translation import gettext as _

    now = now or timezone.now()
    start = incident.reported_at
    clocks = []
    standard = rulebook.rule(RESPONSE_STANDARD_RULE)
    coefficient = priority_coefficient(rulebook, incident.level)
    target = response_target(rulebook, incident.level)
    clocks.append(
        _clock(
            "response",
            _("Emergency response (level %(level)s: %(standard)s × %(coefficient)s)")
            % {"level": incident.level, "standard": format_value(standard), "coefficient": coefficient.value},
            standard.id,
            _("≤ %(minutes)s min") % {"minutes": f"{minutes(target):g}"},
            start,
            target,
            incident.responded_at,
            now,
        )
    )
    if is_critical(rulebook, incident.level) and CRITICAL_RESPONSE_RULE in rulebook:
        rule = rulebook.rule(CRITICAL_RESPONSE_RULE)
        clocks.append(
            _clock(
                "critical_response",
                text(rule.name),
                rule.id,
                format_value(rule),
                start,
                rule_duration(rule),
                incident.responded_at,
                now,
            )
        )
    for key, (metric, field) in TYPE_CLOCKS.items():
        rule = type_rule(rulebook, metric, incident.type)
        if rule is None:
            continue
        clocks.append(
            _clock(
                key,
                text(rule.name),
                rule.id,
                format_value(rule),
                start,
                rule_duration(rule),
                getattr(incident, field),
                now,
            )
        )
    clocks.append(
        _clock(
            "resolution",
            _("Resolution"),
            "",
            _("no limit in the rulebook"),
            start,
            None,
            incident.resolved_at,
            now,
        )
    )
    return clocks
