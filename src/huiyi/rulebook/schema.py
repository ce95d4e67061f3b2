"""The shape of a rulebook: closed vocabularies and a JSON Schema (draft 2020-12) for the whole file.

The JSON Schema checks structure and the closed lists (kinds, operators, units, clocks, sources …).
What a schema cannot say well — unique IDs, cross references, ``between`` needing ``[min, max]``,
weights of a group adding up to 1, a deadline's clock matching its unit — is checked by
``huiyi.rulebook.loader.validate``; both report through the same list of errors.

Conventions of the file (documented here because every reader of ``standard.yaml`` relies on them):

* **Ratios are fractions** (``≤5 %`` → ``0.05``; ``100 %`` → ``1.0``), unit ``ratio``; shown as
  percentages by the UI.
* **value** is a number, or ``[min, max]`` when ``op`` is ``between`` (inclusive on both ends).
* **source** says where a value comes from: ``spec`` (written in REQUIREMENTS.md / the standard, the
  default when omitted), ``derived`` (computed exactly from numbers the spec gives, e.g. an example turned
  into a coefficient), ``guidance`` (industry guidance recorded in DOMAIN-NOTES.md), ``default`` (the spec
  gives no number; the value is this rulebook's choice and the description says why).
* **Deadlines and intervals** carry a ``clock`` (``calendar``, ``working_days`` or ``business_hours``)
  and ``starts_at`` (the event the clock counts from). ``direction: before`` means the time is counted
  backwards from ``starts_at`` (set-up finished *2 h before* the start: op ``>=``, value 2, unit hours).
* **Permanent retention** is ``value: null`` with ``permanent: true`` (unit ``years``, op ``>=``).
* **Checklist** items (non-numeric criteria: "client signature", "rehearsal done") are ``op: "=="``,
  ``value: 1``, ``unit: boolean``: the criterion is met (1) or not (0).
* **Levels** (incident levels I–IV, risk levels, breach classes) are ordinal: ``value`` is the level's
  rank (1 = most severe for incidents), ``level_code`` its display code ("I" … "IV").
* **applies_to** qualifies a rule that exists once per item of a family (``{layout: theatre}``,
  ``{severity: serious}``, ``{document_class: agenda}``); ``metric`` + ``applies_to`` find it.
* **Weights** belong to a ``group`` declared in ``weight_groups``; a group with ``sum_to_one: true`` must
  add up to 1, otherwise the weights are relative (the formula divides by Σ W).
* **Schedules** (support hours) are ``op: between``, value ``[start_hour, end_hour]`` in
  ``hour_of_day`` (fractions allowed: 9.5 = 09:30) with ``weekdays`` as ISO numbers (1 = Monday).
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

__all__ = [
    "KINDS",
    "OPS",
    "UNITS",
    "CLOCKS",
    "SOURCES",
    "SEVERITIES",
    "DIRECTIONS",
    "URGENCIES",
    "CONFIDENTIALITY_LEVELS",
    "ACCESS_SCOPES",
    "CLOCK_UNITS",
    "RULE_ID_PATTERN",
    "SCHEMA",
]

#: What a rule is about.
KINDS: tuple[str, ...] = (
    "threshold",  # one-sided limit on a measured value (budget deviation ≤ 0.05)
    "range",  # two-sided limit (temperature between 20 and 24 °C)
    "deadline",  # time allowed from (or before) an event
    "interval",  # recurring cycle (maintenance every 3 months)
    "schedule",  # opening hours (support Mon–Fri 09:00–18:00)
    "weight",  # weight of one item in a weighted formula
    "ratio",  # configuration ratio (projectors per 100 attendees, m² per person)
    "retention",  # how long a class of records is kept
    "staffing",  # number of people of a role on site
    "checklist",  # non-numeric criterion, met or not
    "formula_coefficient",  # a coefficient of a formula (α range, priority coefficient)
    "level",  # an ordinal level (incident level, risk level, breach class)
)

OPS: tuple[str, ...] = ("<=", ">=", "between", "==", "<", ">")

CLOCKS: tuple[str, ...] = ("calendar", "working_days", "business_hours")
SOURCES: tuple[str, ...] = ("spec", "derived", "guidance", "default")
SEVERITIES: tuple[str, ...] = ("minor", "major")
DIRECTIONS: tuple[str, ...] = ("after", "before")
URGENCIES: tuple[str, ...] = ("immediate", "urgent", "emergency", "general")
CONFIDENTIALITY_LEVELS: tuple[str, ...] = ("medium", "high", "very_high")
ACCESS_SCOPES: tuple[str, ...] = ("internal", "authorised")


def _u(zh: str, en: str, symbol: str = "") -> MappingProxyType[str, str]:
    return MappingProxyType({"zh-hans": zh, "en": en, "symbol": symbol})


#: The closed list of units, with labels for display.
UNITS: MappingProxyType[str, MappingProxyType[str, str]] = MappingProxyType(
    {
        "ratio": _u("比率", "ratio", "%"),  # stored as a fraction, shown as a percentage
        "score_100": _u("分(满分100)", "points out of 100", "/100"),
        "score_10": _u("分(满分10)", "points out of 10", "/10"),
        "score_5": _u("分(满分5)", "points out of 5", "/5"),
        "seconds": _u("秒", "seconds", "s"),
        "minutes": _u("分钟", "minutes", "min"),
        "hours": _u("小时", "hours", "h"),
        "working_days": _u("个工作日", "working days", "wd"),
        "calendar_days": _u("天", "calendar days", "d"),
        "months": _u("个月", "months", "mo"),
        "years": _u("年", "years", "y"),
        "hour_of_day": _u("时", "hour of day", ""),
        "dB": _u("分贝", "decibels", "dB"),
        "dBm": _u("分贝毫瓦", "dBm", "dBm"),
        "lm": _u("流明", "lumens", "lm"),
        "lux": _u("勒克斯", "lux", "lx"),
        "kelvin": _u("开尔文", "kelvin", "K"),
        "celsius": _u("摄氏度", "degrees Celsius", "°C"),
        "percent_rh": _u("%相对湿度", "% relative humidity", "%RH"),
        "ppm": _u("ppm", "parts per million", "ppm"),
        "mbps": _u("兆比特每秒", "megabits per second", "Mbps"),
        "pixels_vertical": _u("垂直像素", "vertical pixels", "p"),
        "per_hour": _u("次/小时", "per hour", "/h"),
        "count": _u("个", "count", ""),
        "per_100_attendees": _u("每100人", "per 100 attendees", "/100 pax"),
        "per_50_attendees": _u("每50人", "per 50 attendees", "/50 pax"),
        "per_100_meetings": _u("次/100场", "per 100 meetings", "/100 mtg"),
        "m2_per_person": _u("平方米/人", "m² per person", "m²/p"),
        "coefficient": _u("系数", "coefficient", "×"),
        "weight": _u("权重", "weight", ""),
        "boolean": _u("是/否", "yes/no", ""),
        "level": _u("级", "level", ""),
    }
)

#: Units a deadline or interval may use with each clock.
CLOCK_UNITS: MappingProxyType[str, frozenset[str]] = MappingProxyType(
    {
        "calendar": frozenset({"seconds", "minutes", "hours", "calendar_days", "months", "years"}),
        "working_days": frozenset({"working_days"}),
        "business_hours": frozenset({"minutes", "hours"}),
    }
)

RULE_ID_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$"
_KEY = r"^[a-z][a-z0-9_]*$"
_REQ = r"^REQ-[A-Z]{3}-[0-9]{2}$"
_CCP = r"^CCP-[0-9]{2}$"
_PHASE = r"^P[0-9]+$"

_TEXT: dict[str, Any] = {
    "type": "object",
    "properties": {
        "zh-hans": {"type": "string", "minLength": 1},
        "en": {"type": "string", "minLength": 1},
    },
    "required": ["zh-hans", "en"],
    "additionalProperties": False,
}

_RULE: dict[str, Any] = {
    "type": "object",
    "required": ["id", "req", "clause", "kind", "metric", "op", "value", "unit", "name"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string", "pattern": RULE_ID_PATTERN},
        "req": {"type": "string", "pattern": _REQ},
        "see_also": {"type": "array", "items": {"type": "string", "pattern": _REQ}, "uniqueItems": True},
        "clause": {"type": "string", "minLength": 1},
        "kind": {"enum": list(KINDS)},
        "metric": {"type": "string", "pattern": _KEY},
        "op": {"enum": list(OPS)},
        # number, [min, max] or null (permanent retention); the pairing with op is a semantic check
        "value": {"type": ["number", "array", "null"], "items": {"type": "number"}},
        "unit": {"enum": list(UNITS)},
        "name": _TEXT,
        "description": _TEXT,
        "control_point": {"type": "string", "pattern": _CCP},
        "phase": {"type": "string", "pattern": _PHASE},
        "owner_role": {"type": "string", "pattern": _KEY},
        "severity": {"enum": list(SEVERITIES)},
        "source": {"enum": list(SOURCES)},
        "clock": {"enum": list(CLOCKS)},
        "starts_at": {"type": "string", "pattern": _KEY},
        "direction": {"enum": list(DIRECTIONS)},
        "applies_to": {
            "type": "object",
            "propertyNames": {"pattern": _KEY},
            "additionalProperties": {"type": "string", "minLength": 1},
        },
        "group": {"type": "string", "pattern": _KEY},
        "permanent": {"type": "boolean"},
        "confidentiality": {"enum": list(CONFIDENTIALITY_LEVELS)},
        "access": {"enum": list(ACCESS_SCOPES)},
        "level_code": {"type": "string", "minLength": 1},
        "urgency": {"enum": list(URGENCIES)},
        "command": {"type": "array", "items": {"type": "string", "pattern": _KEY}, "minItems": 1},
        "staff_role": {"type": "string", "pattern": _KEY},
        "weekdays": {
            "type": "array",
            "items": {"type": "integer", "minimum": 1, "maximum": 7},
            "minItems": 1,
            "uniqueItems": True,
        },
    },
}

_PHASE_ENTRY: dict[str, Any] = {
    "type": "object",
    "required": ["id", "name", "outputs", "control_points", "weight"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string", "pattern": _PHASE},
        "name": _TEXT,
        "clause": {"type": "string"},
        "outputs": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id", "name"],
                "additionalProperties": False,
                "properties": {"id": {"type": "string", "pattern": _KEY}, "name": _TEXT},
            },
        },
        "control_points": {
            "type": "array",
            "items": {"type": "string", "pattern": _CCP},
            "uniqueItems": True,
        },
        "weight": {"type": "number", "minimum": 0, "maximum": 1},
        "weight_source": {"enum": list(SOURCES)},
        "description": _TEXT,
    },
}

_CONTROL_POINT: dict[str, Any] = {
    "type": "object",
    "required": ["id", "name", "phase", "owner_role"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string", "pattern": _CCP},
        "number": {"type": "integer", "minimum": 1},
        "name": _TEXT,
        "phase": {"type": "string", "pattern": _PHASE},
        "owner_role": {"type": "string", "pattern": _KEY},
        "clause": {"type": "string"},
        "monitoring": _TEXT,
    },
}

_ROLE: dict[str, Any] = {
    "type": "object",
    "required": ["name"],
    "additionalProperties": False,
    "properties": {
        "name": _TEXT,
        "external": {"type": "boolean"},
        "req": {"type": "string", "pattern": _REQ},
    },
}

_WEIGHT_GROUP: dict[str, Any] = {
    "type": "object",
    "required": ["name", "req", "sum_to_one"],
    "additionalProperties": False,
    "properties": {
        "name": _TEXT,
        "req": {"type": "string", "pattern": _REQ},
        "sum_to_one": {"type": "boolean"},
        "description": _TEXT,
    },
}

_FORMULA: dict[str, Any] = {
    "type": "object",
    "required": ["name", "req", "clause", "expression"],
    "additionalProperties": False,
    "properties": {
        "name": _TEXT,
        "req": {"type": "string", "pattern": _REQ},
        "clause": {"type": "string"},
        "expression": {"type": "string", "minLength": 1},
        "parameters": {"type": "array", "items": {"type": "string", "pattern": RULE_ID_PATTERN}},
        "weight_group": {"type": "string", "pattern": _KEY},
        "description": _TEXT,
    },
}

#: JSON Schema of a whole rulebook file.
SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://huiyi.invalid/schemas/rulebook.json",
    "title": "Huiyi rulebook",
    "type": "object",
    "required": ["version", "title", "roles", "phases", "control_points", "rules"],
    "additionalProperties": False,
    "properties": {
        "version": {"type": "integer", "minimum": 1},
        "title": _TEXT,
        "description": _TEXT,
        "roles": {"type": "object", "propertyNames": {"pattern": _KEY}, "additionalProperties": _ROLE},
        "phases": {"type": "array", "minItems": 1, "items": _PHASE_ENTRY},
        "control_points": {"type": "array", "items": _CONTROL_POINT},
        "weight_groups": {
            "type": "object",
            "propertyNames": {"pattern": _KEY},
            "additionalProperties": _WEIGHT_GROUP,
        },
        "formulas": {"type": "object", "propertyNames": {"pattern": _KEY}, "additionalProperties": _FORMULA},
        "rules": {"type": "array", "minItems": 1, "items": _RULE},
    },
}
