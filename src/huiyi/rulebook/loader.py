"""Load and validate a rulebook: every number of the specification as data.

``load_rulebook(text_or_path)`` parses YAML, validates it (JSON Schema of ``schema.SCHEMA`` plus the
semantic checks below) and returns a frozen ``Rulebook``; an invalid file raises ``RulebookInvalid``
whose message names each offending rule and the reason::

    rule ccp02.budget_deviation: op 'between' needs [min, max]

``default_rulebook()`` is the shipped ``standard.yaml`` (loaded once per process).

No Django here: the rulebook is plain data, usable from services, commands and tests alike.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import math
import os
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

import jsonschema
import yaml

from .requirements import REQ_IDS
from .schema import CLOCK_UNITS, SCHEMA

__all__ = [
    "Text",
    "Role",
    "Output",
    "Phase",
    "ControlPoint",
    "WeightGroup",
    "Formula",
    "Rule",
    "Rulebook",
    "RulebookError",
    "RulebookInvalid",
    "load_rulebook",
    "validate",
    "default_rulebook",
    "DEFAULT_RULEBOOK_PATH",
]

Number = int | float
Value = Number | tuple[Number, Number] | None

#: Tolerance for "weights add up to 1".
WEIGHT_SUM_TOLERANCE = 1e-9

DEFAULT_RULEBOOK_PATH = Path(__file__).with_name("standard.yaml")


# --------------------------------------------------------------------------------------------------
# Errors


@dataclass(frozen=True)
class RulebookError:
    """One problem of a rulebook. ``rule_id`` is set when the problem belongs to a rule."""

    message: str
    rule_id: str | None = None
    path: str = ""

    def __str__(self) -> str:
        if self.rule_id:
            return f"rule {self.rule_id}: {self.message}"
        if self.path:
            return f"{self.path}: {self.message}"
        return self.message


class RulebookInvalid(ValueError):  # noqa: N818 — the name says what the caller gets
    """The rulebook cannot be used; ``errors`` lists every problem found."""

    def __init__(self, errors: Iterable[RulebookError]):
        self.errors: tuple[RulebookError, ...] = tuple(errors)
        super().__init__("\n".join(str(e) for e in self.errors) or "invalid rulebook")


# --------------------------------------------------------------------------------------------------
# The frozen model


@dataclass(frozen=True)
class Text:
    """A bilingual string."""

    zh_hans: str
    en: str

    @classmethod
    def of(cls, data: Mapping[str, str] | None) -> Text | None:
        return None if data is None else cls(zh_hans=data["zh-hans"], en=data["en"])

    def get(self, language: str = "zh-hans") -> str:
        """The text in ``language`` (``zh-hans``/``zh_Hans``/``zh`` or ``en``); zh-Hans otherwise."""
        return self.en if language.lower().startswith("en") else self.zh_hans

    def as_dict(self) -> dict[str, str]:
        return {"zh-hans": self.zh_hans, "en": self.en}

    def __str__(self) -> str:
        return self.zh_hans


@dataclass(frozen=True)
class Role:
    key: str
    name: Text
    external: bool = False
    req: str | None = None


@dataclass(frozen=True)
class Output:
    id: str
    name: Text


@dataclass(frozen=True)
class Phase:
    id: str
    name: Text
    outputs: tuple[Output, ...]
    control_points: tuple[str, ...]
    weight: Number
    weight_source: str = "spec"
    clause: str | None = None
    description: Text | None = None


@dataclass(frozen=True)
class ControlPoint:
    id: str
    name: Text
    phase: str
    owner_role: str
    number: int | None = None
    clause: str | None = None
    monitoring: Text | None = None


@dataclass(frozen=True)
class WeightGroup:
    id: str
    name: Text
    req: str
    sum_to_one: bool
    description: Text | None = None


@dataclass(frozen=True)
class Formula:
    id: str
    name: Text
    req: str
    clause: str
    expression: str
    parameters: tuple[str, ...] = ()
    weight_group: str | None = None
    description: Text | None = None


def _compare(op: str, measured: Number, value: Value) -> bool:
    if op == "between":
        low, high = value  # type: ignore[misc]
        return low <= measured <= high
    if op == "<=":
        return measured <= value  # type: ignore[operator]
    if op == ">=":
        return measured >= value  # type: ignore[operator]
    if op == "<":
        return measured < value  # type: ignore[operator]
    if op == ">":
        return measured > value  # type: ignore[operator]
    if op == "==":
        return math.isclose(measured, value, rel_tol=1e-9, abs_tol=1e-12)  # type: ignore[arg-type]
    raise ValueError(f"unknown operator {op!r}")


@dataclass(frozen=True)
class Rule:
    """One rule. ``value`` is a number, a ``(min, max)`` tuple for ``between``, or ``None`` (permanent)."""

    id: str
    req: str
    clause: str
    kind: str
    metric: str
    op: str
    value: Value
    unit: str
    name: Text
    description: Text | None = None
    source: str = "spec"
    see_also: tuple[str, ...] = ()
    control_point: str | None = None
    phase: str | None = None
    owner_role: str | None = None
    severity: str | None = None
    clock: str | None = None
    starts_at: str | None = None
    direction: str = "after"
    applies_to: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    group: str | None = None
    permanent: bool = False
    confidentiality: str | None = None
    access: str | None = None
    level_code: str | None = None
    urgency: str | None = None
    command: tuple[str, ...] = ()
    staff_role: str | None = None
    weekdays: tuple[int, ...] = ()

    @property
    def reqs(self) -> tuple[str, ...]:
        """The requirement this rule comes from, then those it also serves."""
        return (self.req, *self.see_also)

    @property
    def low(self) -> Number | None:
        """Lower bound of a ``between`` rule (else ``None``)."""
        return self.value[0] if isinstance(self.value, tuple) else None

    @property
    def high(self) -> Number | None:
        """Upper bound of a ``between`` rule (else ``None``)."""
        return self.value[1] if isinstance(self.value, tuple) else None

    def passes(self, measured: Number | bool) -> bool:
        """Whether a measured value meets the rule (``True``/``False`` count as 1/0 for checklists)."""
        if self.value is None:
            raise ValueError(f"rule {self.id}: has no numeric value to compare with")
        return _compare(self.op, float(measured), self.value)


@dataclass(frozen=True)
class Rulebook:
    version: int
    title: Text
    roles: Mapping[str, Role]
    phases: tuple[Phase, ...]
    control_points: tuple[ControlPoint, ...]
    rules: tuple[Rule, ...]
    weight_groups: Mapping[str, WeightGroup] = field(default_factory=lambda: MappingProxyType({}))
    formulas: Mapping[str, Formula] = field(default_factory=lambda: MappingProxyType({}))
    description: Text | None = None
    _data: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    _by_id: Mapping[str, Rule] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", MappingProxyType({r.id: r for r in self.rules}))

    # -- look-ups ---------------------------------------------------------------------------------
    def rule(self, rule_id: str) -> Rule:
        """The rule with this id; ``KeyError`` naming the id when there is none."""
        try:
            return self._by_id[rule_id]
        except KeyError:
            raise KeyError(f"no rule {rule_id!r} in rulebook version {self.version}") from None

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._by_id

    def value(self, rule_id: str) -> Value:
        """The value of a rule: a number, a ``(min, max)`` tuple, or ``None`` for permanent retention."""
        return self.rule(rule_id).value

    def rules_for(self, control_point: str) -> tuple[Rule, ...]:
        """The rules of a control point (``"CCP-02"``), in file order."""
        return tuple(r for r in self.rules if r.control_point == control_point)

    def rules_for_req(self, req: str) -> tuple[Rule, ...]:
        """The rules that come from or also serve a requirement (``"REQ-ONS-03"``)."""
        return tuple(r for r in self.rules if req in r.reqs)

    def rules_where(
        self, *, metric: str | None = None, kind: str | None = None, **applies_to: str
    ) -> tuple[Rule, ...]:
        """Rules matching ``metric``/``kind`` and every given ``applies_to`` qualifier."""
        return tuple(
            r
            for r in self.rules
            if (metric is None or r.metric == metric)
            and (kind is None or r.kind == kind)
            and all(r.applies_to.get(k) == v for k, v in applies_to.items())
        )

    def phase(self, phase_id: str) -> Phase:
        for p in self.phases:
            if p.id == phase_id:
                return p
        raise KeyError(f"no phase {phase_id!r}")

    def control_point(self, control_point_id: str) -> ControlPoint:
        for c in self.control_points:
            if c.id == control_point_id:
                return c
        raise KeyError(f"no control point {control_point_id!r}")

    def weights(self, group: str) -> dict[str, Number]:
        """``{rule id: weight}`` of a weight group."""
        if group not in self.weight_groups:
            raise KeyError(f"no weight group {group!r}")
        return {r.id: r.value for r in self.rules if r.kind == "weight" and r.group == group}  # type: ignore[misc]

    @property
    def req_ids(self) -> frozenset[str]:
        """Every requirement ID the rules cite (``req`` and ``see_also``)."""
        return frozenset(req for r in self.rules for req in r.reqs)

    # -- serialisation ----------------------------------------------------------------------------
    def as_data(self) -> dict[str, Any]:
        """A deep copy of the validated data, e.g. to start a new version from this one."""
        return copy.deepcopy(dict(self._data))

    @property
    def digest(self) -> str:
        """SHA-256 of the canonical JSON of the data: two rulebooks with equal content share it."""
        canonical = json.dumps(dict(self._data), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------------------------------
# YAML that refuses duplicate keys (PyYAML silently keeps the last one)


# libyaml's C parser when PyYAML was built with it (the wheels are): about ten times faster than pure Python.
class _StrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    pass


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[Any, yaml.Mark] = {}
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = loader.construct_object(key_node, deep=True)
        try:
            duplicate = key in seen
        except TypeError:  # unhashable key: the schema will refuse it
            continue
        if duplicate:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping",
                node.start_mark,
                f"found duplicate key {key!r}",
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark
    loader.flatten_mapping(node)
    return dict(loader.construct_pairs(node, deep=deep))


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _parse_yaml(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 — a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise RulebookInvalid([RulebookError(f"not valid YAML: {exc}")]) from exc


# --------------------------------------------------------------------------------------------------
# Validation

_VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def _is_number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def _rule_id_at(data: Any, path: list[Any]) -> str | None:
    if len(path) >= 2 and path[0] == "rules" and isinstance(path[1], int):
        rules = data.get("rules") if isinstance(data, dict) else None
        if isinstance(rules, list) and path[1] < len(rules) and isinstance(rules[path[1]], dict):
            rid = rules[path[1]].get("id")
            return rid if isinstance(rid, str) else f"#{path[1] + 1}"
    return None


def _schema_error(data: Any, err: jsonschema.ValidationError) -> RulebookError:
    path = list(err.absolute_path)
    rule_id = _rule_id_at(data, path)
    # the field the error is about, relative to the rule (or the file)
    inner = path[2:] if rule_id else path
    field_name = ".".join(str(p) for p in inner)
    where = "/".join(str(p) for p in path)
    v = err.validator
    if v == "enum":
        what = field_name or "value"
        message = f"unknown {what} {err.instance!r}"
    elif v == "required":
        missing = err.message.split("'")[1] if "'" in err.message else err.message
        message = f"missing {missing!r}" + (f" in {field_name}" if field_name else "")
    elif v == "additionalProperties":
        extra = sorted(set(err.instance) - set(err.schema.get("properties", {})))
        message = "unknown key " + ", ".join(repr(k) for k in extra)
        message += f" in {field_name}" if field_name else ""
    elif v == "pattern":
        message = f"{field_name or 'value'} {err.instance!r} does not match {err.validator_value}"
    elif v == "type":
        message = f"{field_name or 'value'} must be of type {err.validator_value}, not {err.instance!r}"
    else:
        message = f"{field_name + ': ' if field_name else ''}{err.message}"
    return RulebookError(message=message, rule_id=rule_id, path=where)


def _strs(x: Any) -> list[str]:
    return [i for i in x if isinstance(i, str)] if isinstance(x, list) else []


def _semantic_errors(data: dict[str, Any], known_reqs: frozenset[str]) -> list[RulebookError]:
    errors: list[RulebookError] = []

    def err(message: str, rule_id: str | None = None, path: str = "") -> None:
        errors.append(RulebookError(message=message, rule_id=rule_id, path=path))

    roles = data.get("roles") if isinstance(data.get("roles"), dict) else {}
    phases = [p for p in data.get("phases") or [] if isinstance(p, dict)]
    cps = [c for c in data.get("control_points") or [] if isinstance(c, dict)]
    rules = [r for r in data.get("rules") or [] if isinstance(r, dict)]
    groups = data.get("weight_groups") if isinstance(data.get("weight_groups"), dict) else {}
    formulas = data.get("formulas") if isinstance(data.get("formulas"), dict) else {}

    def check_req(req: Any, rule_id: str | None, path: str) -> None:
        if isinstance(req, str) and req not in known_reqs:
            err(f"unknown requirement {req!r}", rule_id, path)

    # roles, weight groups, formulas: their REQ references
    for key, role in roles.items():
        if isinstance(role, dict):
            check_req(role.get("req"), None, f"roles/{key}")
    for key, group in groups.items():
        if isinstance(group, dict):
            check_req(group.get("req"), None, f"weight_groups/{key}")

    # phases
    phase_ids = [p.get("id") for p in phases]
    for pid, n in Counter(phase_ids).items():
        if n > 1:
            err(f"duplicate phase id {pid!r}", path="phases")
    phase_set = set(phase_ids)
    weights = [p.get("weight") for p in phases]
    if phases and all(_is_number(w) for w in weights) and not math.isclose(sum(weights), 1.0, abs_tol=1e-9):
        err(f"phase weights add up to {sum(weights):g}, not 1", path="phases")

    # control points
    cp_ids = [c.get("id") for c in cps]
    for cid, n in Counter(cp_ids).items():
        if n > 1:
            err(f"duplicate control point id {cid!r}", path="control_points")
    cp_by_id = {c.get("id"): c for c in cps}
    for c in cps:
        where = f"control_points/{c.get('id')}"
        if c.get("phase") not in phase_set:
            err(f"unknown phase {c.get('phase')!r}", path=where)
        if c.get("owner_role") not in roles:
            err(f"unknown owner_role {c.get('owner_role')!r}", path=where)
    listed: dict[str, str] = {}
    for p in phases:
        for cid in _strs(p.get("control_points")):
            where = f"phases/{p.get('id')}"
            if cid not in cp_by_id:
                err(f"unknown control point {cid!r}", path=where)
                continue
            if cid in listed:
                err(f"control point {cid!r} is listed in phases {listed[cid]} and {p.get('id')}", path=where)
            listed[cid] = str(p.get("id"))
            if cp_by_id[cid].get("phase") != p.get("id"):
                err(f"control point {cid!r} belongs to phase {cp_by_id[cid].get('phase')!r}", path=where)
    for cid, c in cp_by_id.items():
        if cid not in listed and c.get("phase") in phase_set:
            where = f"control_points/{cid}"
            err(f"control point {cid!r} is not listed in phase {c.get('phase')!r}", path=where)

    # rules
    rule_ids = [r.get("id") for r in rules]
    duplicates = {rid for rid, n in Counter(rule_ids).items() if n > 1}
    reported_dupes: set[Any] = set()
    for r in rules:
        rid = r.get("id") if isinstance(r.get("id"), str) else None
        if rid in duplicates and rid not in reported_dupes:
            reported_dupes.add(rid)
            err(f"duplicate rule id (used {Counter(rule_ids)[rid]} times)", rid)
        check_req(r.get("req"), rid, "")
        for other in _strs(r.get("see_also")):
            check_req(other, rid, "")
        cp = r.get("control_point")
        if cp is not None and cp not in cp_by_id:
            err(f"unknown control point {cp!r}", rid)
        phase = r.get("phase")
        if phase is not None and phase not in phase_set:
            err(f"unknown phase {phase!r}", rid)
        if cp in cp_by_id and phase is not None and cp_by_id[cp].get("phase") != phase:
            err(f"phase {phase!r} differs from control point {cp}'s phase {cp_by_id[cp].get('phase')!r}", rid)
        for role_field in ("owner_role", "staff_role"):
            role = r.get(role_field)
            if role is not None and role not in roles:
                err(f"unknown {role_field} {role!r}", rid)
        for role in _strs(r.get("command")):
            if role not in roles:
                err(f"unknown role {role!r} in command", rid)

        kind, op, value, unit = r.get("kind"), r.get("op"), r.get("value"), r.get("unit")
        # op ↔ value
        if op == "between":
            if not (isinstance(value, list) and len(value) == 2 and all(_is_number(v) for v in value)):
                err("op 'between' needs [min, max]", rid)
            elif value[0] > value[1]:
                err(f"op 'between' needs min ≤ max, got [{value[0]}, {value[1]}]", rid)
        elif value is None:
            if not r.get("permanent"):
                err(f"op {op!r} needs a number (null only with permanent: true)", rid)
        elif not _is_number(value):
            err(f"op {op!r} needs a number, got {value!r}", rid)
        # ratios are fractions
        if unit == "ratio":
            for v in value if isinstance(value, list) else [value]:
                if _is_number(v) and not 0 <= v <= 1:
                    err(f"ratio {v} is not a fraction in [0, 1] (write 5 % as 0.05)", rid)
        # kind-specific shape
        if kind == "range" and op != "between":
            err("kind 'range' needs op 'between'", rid)
        if kind == "schedule":
            if op != "between" or unit != "hour_of_day":
                err("kind 'schedule' needs op 'between' and unit 'hour_of_day'", rid)
            if not r.get("weekdays"):
                err("kind 'schedule' needs weekdays", rid)
            pair = isinstance(value, list) and len(value) == 2 and all(_is_number(v) for v in value)
            if pair and not (0 <= value[0] <= 24 and 0 <= value[1] <= 24):
                err("schedule hours must lie within 0–24", rid)
        if kind == "checklist" and not (op == "==" and value == 1 and unit == "boolean"):
            err("kind 'checklist' needs op '==', value 1 and unit 'boolean'", rid)
        if kind in ("deadline", "interval"):
            clock, starts_at = r.get("clock"), r.get("starts_at")
            if clock is None:
                err(f"kind {kind!r} needs a clock", rid)
            if starts_at is None:
                err(f"kind {kind!r} needs starts_at (the event the clock counts from)", rid)
            if isinstance(clock, str) and clock in CLOCK_UNITS and unit not in CLOCK_UNITS[clock]:
                allowed = ", ".join(sorted(CLOCK_UNITS[clock]))
                err(f"unit {unit!r} does not fit clock {clock!r} (use {allowed})", rid)
        elif r.get("clock") is not None or r.get("direction") is not None:
            err("clock and direction belong to deadlines and intervals only", rid)
        if kind == "retention":
            if op != ">=":
                err("kind 'retention' needs op '>=' (kept at least …)", rid)
            if unit not in ("years", "months", "calendar_days"):
                err("kind 'retention' needs unit years, months or calendar_days", rid)
        if r.get("permanent"):
            if kind != "retention":
                err("permanent applies to kind 'retention' only", rid)
            if value is not None:
                err("permanent retention needs value null", rid)
        for retention_field in ("confidentiality", "access"):
            if r.get(retention_field) is not None and kind != "retention":
                err(f"{retention_field} applies to kind 'retention' only", rid)
        if kind == "staffing":
            if r.get("staff_role") is None:
                err("kind 'staffing' needs staff_role", rid)
            if unit != "count":
                err("kind 'staffing' needs unit 'count'", rid)
        elif r.get("staff_role") is not None:
            err("staff_role applies to kind 'staffing' only", rid)
        if kind == "level":
            if unit != "level" or op != "==":
                err("kind 'level' needs op '==' and unit 'level'", rid)
            if r.get("level_code") is None:
                err("kind 'level' needs level_code", rid)
        if kind == "weight":
            group = r.get("group")
            if group is None:
                err("kind 'weight' needs a group", rid)
            elif group not in groups:
                err(f"unknown weight group {group!r}", rid)
            if op != "==" or unit != "weight":
                err("kind 'weight' needs op '==' and unit 'weight'", rid)
            if _is_number(value) and value < 0:
                err("a weight cannot be negative", rid)
        elif r.get("group") is not None:
            err("group applies to kind 'weight' only", rid)

    # weight groups that must add up to 1
    sums: dict[str, float] = defaultdict(float)
    members: Counter[str] = Counter()
    for r in rules:
        if r.get("kind") == "weight" and isinstance(r.get("group"), str) and _is_number(r.get("value")):
            sums[r["group"]] += r["value"]
            members[r["group"]] += 1
    for key, group in groups.items():
        if not isinstance(group, dict):
            continue
        if members[key] == 0:
            err("weight group has no weights", path=f"weight_groups/{key}")
        elif group.get("sum_to_one") and not math.isclose(sums[key], 1.0, abs_tol=WEIGHT_SUM_TOLERANCE):
            err(f"weights add up to {sums[key]:g}, not 1", path=f"weight_groups/{key}")

    # formulas
    rule_set = set(rule_ids)
    for key, f in formulas.items():
        if not isinstance(f, dict):
            continue
        where = f"formulas/{key}"
        check_req(f.get("req"), None, where)
        for param in _strs(f.get("parameters")):
            if param not in rule_set:
                err(f"unknown rule {param!r} in parameters", path=where)
        wg = f.get("weight_group")
        if wg is not None and wg not in groups:
            err(f"unknown weight group {wg!r}", path=where)
    return errors


def validate(data: Any, known_reqs: Iterable[str] | None = None) -> list[RulebookError]:
    """Every problem of parsed rulebook data (empty list: valid).

    ``known_reqs`` is the set of requirement IDs a rule may cite; the shipped catalogue by default.
    """
    reqs = REQ_IDS if known_reqs is None else frozenset(known_reqs)
    if not isinstance(data, dict):
        return [RulebookError(f"a rulebook is a mapping at the top level, not {type(data).__name__}")]
    schema_errors = sorted(_VALIDATOR.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    errors = [_schema_error(data, e) for e in schema_errors]
    errors.extend(_semantic_errors(data, reqs))
    # one message per (rule, text): the schema and a semantic check may both see the same fault
    unique: dict[tuple[str | None, str, str], RulebookError] = {}
    for e in errors:
        unique.setdefault((e.rule_id, e.path if not e.rule_id else "", e.message), e)
    return list(unique.values())


# --------------------------------------------------------------------------------------------------
# Building the model


def _text(x: Any) -> Text | None:
    return Text.of(x) if isinstance(x, dict) else None


def _value(x: Any) -> Value:
    if isinstance(x, list):
        return (x[0], x[1])
    return x


def _build(data: dict[str, Any]) -> Rulebook:
    roles = {
        key: Role(key=key, name=Text.of(r["name"]), external=bool(r.get("external", False)), req=r.get("req"))
        for key, r in data["roles"].items()
    }
    phases = tuple(
        Phase(
            id=p["id"],
            name=Text.of(p["name"]),
            outputs=tuple(Output(id=o["id"], name=Text.of(o["name"])) for o in p["outputs"]),
            control_points=tuple(p["control_points"]),
            weight=p["weight"],
            weight_source=p.get("weight_source", "spec"),
            clause=p.get("clause"),
            description=_text(p.get("description")),
        )
        for p in data["phases"]
    )
    control_points = tuple(
        ControlPoint(
            id=c["id"],
            name=Text.of(c["name"]),
            phase=c["phase"],
            owner_role=c["owner_role"],
            number=c.get("number"),
            clause=c.get("clause"),
            monitoring=_text(c.get("monitoring")),
        )
        for c in data["control_points"]
    )
    groups = {
        key: WeightGroup(
            id=key,
            name=Text.of(g["name"]),
            req=g["req"],
            sum_to_one=g["sum_to_one"],
            description=_text(g.get("description")),
        )
        for key, g in (data.get("weight_groups") or {}).items()
    }
    formulas = {
        key: Formula(
            id=key,
            name=Text.of(f["name"]),
            req=f["req"],
            clause=f["clause"],
            expression=f["expression"],
            parameters=tuple(f.get("parameters", ())),
            weight_group=f.get("weight_group"),
            description=_text(f.get("description")),
        )
        for key, f in (data.get("formulas") or {}).items()
    }
    rules = tuple(
        Rule(
            id=r["id"],
            req=r["req"],
            clause=r["clause"],
            kind=r["kind"],
            metric=r["metric"],
            op=r["op"],
            value=_value(r["value"]),
            unit=r["unit"],
            name=Text.of(r["name"]),
            description=_text(r.get("description")),
            source=r.get("source", "spec"),
            see_also=tuple(r.get("see_also", ())),
            control_point=r.get("control_point"),
            phase=r.get("phase"),
            owner_role=r.get("owner_role"),
            severity=r.get("severity"),
            clock=r.get("clock"),
            starts_at=r.get("starts_at"),
            direction=r.get("direction", "after"),
            applies_to=MappingProxyType(dict(r.get("applies_to", {}))),
            group=r.get("group"),
            permanent=bool(r.get("permanent", False)),
            confidentiality=r.get("confidentiality"),
            access=r.get("access"),
            level_code=r.get("level_code"),
            urgency=r.get("urgency"),
            command=tuple(r.get("command", ())),
            staff_role=r.get("staff_role"),
            weekdays=tuple(r.get("weekdays", ())),
        )
        for r in data["rules"]
    )
    return Rulebook(
        version=data["version"],
        title=Text.of(data["title"]),
        description=_text(data.get("description")),
        roles=MappingProxyType(roles),
        phases=phases,
        control_points=control_points,
        rules=rules,
        weight_groups=MappingProxyType(groups),
        formulas=MappingProxyType(formulas),
        _data=MappingProxyType(copy.deepcopy(data)),
    )


def load_rulebook(
    text_or_path: str | os.PathLike[str] | Mapping[str, Any],
    *,
    known_reqs: Iterable[str] | None = None,
) -> Rulebook:
    """Parse, validate and freeze a rulebook.

    ``text_or_path`` is YAML text, a path to a YAML file (``Path`` or a one-line ``str`` naming an
    existing file), or already-parsed data. Raises ``RulebookInvalid`` listing every problem.
    """
    if isinstance(text_or_path, Mapping):
        data: Any = copy.deepcopy(dict(text_or_path))
    elif isinstance(text_or_path, os.PathLike):
        data = _parse_yaml(Path(text_or_path).read_text(encoding="utf-8"))
    elif isinstance(text_or_path, str):
        candidate = text_or_path.strip()
        one_line = "\n" not in candidate and candidate.endswith((".yaml", ".yml"))
        is_path = one_line and Path(candidate).is_file()
        data = _parse_yaml(Path(candidate).read_text(encoding="utf-8") if is_path else text_or_path)
    else:
        kind = type(text_or_path).__name__
        raise TypeError(f"load_rulebook() takes YAML text, a path or a mapping, not {kind}")
    errors = validate(data, known_reqs)
    if errors:
        raise RulebookInvalid(errors)
    return _build(data)


@functools.cache
def default_rulebook() -> Rulebook:
    """The rulebook shipped with Huiyi (``standard.yaml``), loaded once per process."""
    text = resources.files(__package__).joinpath("standard.yaml").read_text(encoding="utf-8")
    return load_rulebook(text)
