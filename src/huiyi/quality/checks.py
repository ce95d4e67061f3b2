"""The what-if check: compare draft values with a control point's criteria, storing nothing.

A planner checks a draft before submitting it (issue 3): ``check(rulebook, "CCP-02", {"budget_deviation":
"0.068"})`` returns every criterion of CCP-02 with its verdict (``passed`` is ``None`` for criteria whose
metric was not given). Bad input raises :class:`CheckError` whose ``fields`` name the offending key, in
the shape of the API's errors.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from huiyi.rulebook.loader import Rulebook

from .display import threshold_json
from .services import criteria_rules


class CheckError(ValueError):
    def __init__(self, message: str, fields: dict[str, list[str]]):
        super().__init__(message)
        self.message = message
        self.fields = fields


def _number(raw: Any, unit: str) -> Decimal | None:
    if isinstance(raw, bool):
        return Decimal(int(raw)) if unit == "boolean" else None
    if isinstance(raw, int | float | Decimal | str):
        try:
            number = Decimal(str(raw).strip())
        except (InvalidOperation, ValueError):
            return None
        return number if number.is_finite() else None
    return None


def check(rulebook: Rulebook, control_point: Any, values: Any) -> list[dict[str, Any]]:
    known = {c.id for c in rulebook.control_points}
    if not isinstance(control_point, str) or control_point not in known:
        message = _("Unknown control point “%(cp)s”.") % {"cp": control_point}
        raise CheckError(message, {"control_point": [message]})
    if values is None:
        values = {}
    if not isinstance(values, Mapping):
        message = _("Give the values as an object of metric → number.")
        raise CheckError(message, {"values": [message]})
    rules = criteria_rules(rulebook, control_point)
    metrics = {r.metric: r for r in rules}
    unknown = [key for key in values if key not in metrics]
    if unknown:
        message = _("Not a metric of %(cp)s: %(metrics)s.") % {
            "cp": control_point,
            "metrics": ", ".join(map(str, unknown)),
        }
        raise CheckError(message, {"values": [message]})
    numbers: dict[str, Decimal] = {}
    bad: dict[str, list[str]] = {}
    for key, raw in values.items():
        number = _number(raw, metrics[key].unit)
        if number is None:
            bad[f"values.{key}"] = [_("“%(value)s” is not a number.") % {"value": raw}]
        else:
            numbers[key] = number
    if bad:
        raise CheckError(_("Some values are not numbers: %(fields)s.") % {"fields": ", ".join(bad)}, bad)
    results = []
    for rule in rules:
        value = numbers.get(rule.metric)
        results.append(
            {
                "rule": rule.id,
                "metric": rule.metric,
                "value": None if value is None else str(value),
                "op": rule.op,
                "threshold": threshold_json(rule),
                "unit": rule.unit,
                "passed": None if value is None or rule.value is None else rule.passes(value),
                "req": rule.req,
                "clause": rule.clause,
                "name": rule.name.as_dict(),
            }
        )
    return results
