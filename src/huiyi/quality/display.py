"""Measured values and thresholds for people: ratios as percentages, checklist items as yes/no.

Thresholds are worded by the rulebook's own display helper (``huiyi.rulebook.display.format_value``) so
the scorecard reads exactly like the rulebook browser; a small local formatter stands in when that module
is not available.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from huiyi.rulebook.loader import Rule
from huiyi.rulebook.schema import UNITS

try:  # the rulebook browser's formatter (preferred)
    from huiyi.rulebook import display as rulebook_display
except ImportError:  # pragma: no cover - only before the rulebook browser exists
    rulebook_display = None

logger = logging.getLogger(__name__)

OPS = {"<=": "≤", ">=": "≥", "==": "=", "<": "<", ">": ">", "between": "–"}
_ATTACHED = {"score_100", "score_10", "score_5"}
_BARE = {"count", "weight", "coefficient", "level", "boolean"}


def lang_key(language: str | None = None) -> str:
    language = (language or translation.get_language() or "zh-hans").lower()
    return "en" if language.startswith("en") else "zh-hans"


def _plain(number: Decimal) -> str:
    number = number.normalize()
    if number == number.to_integral_value():
        return str(number.quantize(Decimal(1)))
    return format(number, "f")


def number_for_input(value: Decimal | float | int | None, unit: str) -> str:
    """The number a person types for a value (a ratio as a percentage: 0.05 → 5)."""
    if value is None:
        return ""
    number = Decimal(str(value))
    if unit == "ratio":
        number *= 100
    return _plain(number.quantize(Decimal("0.0001")) if number != number.to_integral_value() else number)


def value_from_input(number: Decimal, unit: str) -> Decimal:
    """Back from what a person typed to the stored value (5 → 0.05 for a ratio)."""
    return number / 100 if unit == "ratio" else number


def _amount(numbers: str, unit: str, language: str | None) -> str:
    if unit == "ratio":
        return f"{numbers}%"
    if unit in _ATTACHED:
        return f"{numbers}{UNITS[unit]['symbol']}"
    if unit in _BARE or unit not in UNITS:
        return numbers
    return f"{numbers} {UNITS[unit][lang_key(language)]}"


def format_measured(value: Decimal | float | int | None, unit: str, language: str | None = None) -> str:
    """A measured value: ``0.068`` (ratio) → ``6.8%``; ``86`` (score_100) → ``86/100``; ``1`` → ``是``."""
    if value is None:
        return "—"
    number = Decimal(str(value))
    if unit == "boolean":
        with translation.override(language or translation.get_language()):
            return _("Yes") if number == 1 else _("No")
    shown = number * 100 if unit == "ratio" else number
    places = Decimal("0.01") if unit == "ratio" else Decimal("0.0001")
    return _amount(_plain(shown.quantize(places)), unit, language)


def _local_threshold(rule: Rule, language: str | None) -> str:
    if rule.kind == "checklist":
        with translation.override(language or translation.get_language()):
            return _("required")
    if rule.value is None:
        return "—"
    if isinstance(rule.value, tuple):
        low, high = (number_for_input(v, rule.unit) for v in rule.value)
        return _amount(f"{low}–{high}", rule.unit, language)
    amount = _amount(number_for_input(rule.value, rule.unit), rule.unit, language)
    return amount if rule.op == "==" else f"{OPS.get(rule.op, rule.op)} {amount}"


def format_threshold(rule: Rule, language: str | None = None) -> str:
    """The rule's requirement, e.g. ``≤ 5%``, ``≥ 80/100``, ``5 分钟内``, ``须满足``."""
    if rulebook_display is not None:
        try:
            return rulebook_display.format_value(rule, language)
        except Exception:  # noqa: BLE001 — a display helper must never break a page
            logger.warning("rulebook display failed for %s", rule.id, exc_info=True)
    return _local_threshold(rule, language)


def rule_from_result(result: Any, kind: str = "threshold") -> Rule:
    """A minimal Rule carrying a stored result's operator, threshold and unit (for display)."""
    threshold = result.threshold
    value = tuple(threshold) if isinstance(threshold, list) else threshold
    if result.unit == "boolean" and result.op == "==":
        kind = "checklist"
    return Rule(
        id=result.rule_id,
        req=result.req,
        clause=result.clause,
        kind=kind,
        metric=result.metric,
        op=result.op,
        value=value,
        unit=result.unit,
        name=None,  # type: ignore[arg-type]
    )


def threshold_json(rule: Rule) -> Any:
    """The rule's value as stored in JSON: a number or ``[min, max]``."""
    return list(rule.value) if isinstance(rule.value, tuple) else rule.value


def percent(value: Decimal | None, places: str = "0.1") -> str:
    """A fraction as a percentage for scores: ``0.8333`` → ``83.3%``."""
    if value is None:
        return "—"
    return f"{_plain((Decimal(value) * 100).quantize(Decimal(places)))}%"
