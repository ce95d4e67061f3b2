"""Rule values for people: one place that turns a rule's data into the words a reader sees.

Every app that shows a threshold (the scorecard, reports, PDFs, the rulebook browser) calls these, so a
ratio is always a percentage (``0.05`` → ``≤ 5%``), a range always reads ``20–24 °C`` and a deadline always
names its clock (``3 个工作日内`` / ``within 3 working days``).

The vocabulary here describes rulebook data and is bilingual data, like the rule names and the unit labels
of ``schema.UNITS``: the text is chosen by ``language`` (default: the active language), so a PDF rendered
for an English reader does not depend on the request's language.

API::

    format_value(rule, language=None) -> str      # "≤ 5%", "20–24 °C", "3 个工作日内", "永久"
    format_number(value, unit=None) -> str        # "5" for 0.05 with unit ratio, "0.75", "-65"
    unit_label(unit, language=None) -> str        # "个工作日" / "working days"
    op_symbol(op) -> str                          # "≤"
    kind_label(kind, language=None) / source_label(source, …) / clock_label(clock, …)
    text(mapping_or_Text, language=None) -> str   # a bilingual text in the language
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import get_language

from .loader import Rule, Text
from .schema import UNITS

__all__ = [
    "OPS",
    "KIND_LABELS",
    "SOURCE_LABELS",
    "CLOCK_LABELS",
    "lang_key",
    "text",
    "op_symbol",
    "unit_label",
    "kind_label",
    "source_label",
    "clock_label",
    "format_number",
    "format_value",
    "to_display_number",
    "from_display_number",
]

OPS: Mapping[str, str] = {"<=": "≤", ">=": "≥", "==": "=", "<": "<", ">": ">", "between": "–"}


def _t(zh: str, en: str) -> dict[str, str]:
    return {"zh-hans": zh, "en": en}


KIND_LABELS: Mapping[str, dict[str, str]] = {
    "threshold": _t("阈值", "threshold"),
    "range": _t("范围", "range"),
    "deadline": _t("时限", "deadline"),
    "interval": _t("周期", "interval"),
    "schedule": _t("服务时间", "schedule"),
    "weight": _t("权重", "weight"),
    "ratio": _t("配置比例", "ratio"),
    "retention": _t("保存期限", "retention"),
    "staffing": _t("人员配置", "staffing"),
    "checklist": _t("检查项", "checklist item"),
    "formula_coefficient": _t("公式系数", "formula coefficient"),
    "level": _t("等级", "level"),
}

SOURCE_LABELS: Mapping[str, dict[str, str]] = {
    "spec": _t("规范", "spec"),
    "default": _t("默认", "default"),
    "derived": _t("推导", "derived"),
    "guidance": _t("行业指引", "guidance"),
}

SOURCE_HINTS: Mapping[str, dict[str, str]] = {
    "spec": _t("数值见于规范原文", "The number is written in the specification"),
    "default": _t(
        "规范未给出数值,此为本规则库的取值", "The specification gives no number; this rulebook's choice"
    ),
    "derived": _t("由规范给出的数值精确推导", "Computed exactly from numbers of the specification"),
    "guidance": _t("来自行业指引", "From industry guidance"),
}

FIELD_LABELS: Mapping[str, dict[str, str]] = {
    "value": _t("数值", "value"),
    "name": _t("名称", "name"),
    "description": _t("说明", "description"),
}

CLOCK_LABELS: Mapping[str, dict[str, str]] = {
    "calendar": _t("自然时间", "calendar time"),
    "working_days": _t("工作日", "working days"),
    "business_hours": _t("工作时间", "business hours"),
}

_WEEKDAYS: Mapping[int, dict[str, str]] = {
    1: _t("周一", "Mon"),
    2: _t("周二", "Tue"),
    3: _t("周三", "Wed"),
    4: _t("周四", "Thu"),
    5: _t("周五", "Fri"),
    6: _t("周六", "Sat"),
    7: _t("周日", "Sun"),
}

#: Units written as a symbol after the number ("20–24 °C"); the others use their label.
_SYMBOL_UNITS = frozenset(
    {"celsius", "dB", "dBm", "lm", "lux", "kelvin", "ppm", "percent_rh", "mbps", "pixels_vertical"}
)
#: Units whose symbol attaches to the number without a space ("80/100", "1080p").
_ATTACHED_UNITS = frozenset({"score_100", "score_10", "score_5", "pixels_vertical"})
#: English labels for exactly one of a unit ("1 working day").
_EN_SINGULAR: Mapping[str, str] = {
    "seconds": "second",
    "minutes": "minute",
    "hours": "hour",
    "working_days": "working day",
    "calendar_days": "calendar day",
    "months": "month",
    "years": "year",
}
_ROMAN_LEVELS = frozenset({"I", "II", "III", "IV", "V"})
#: Units that need no word after the number.
_BARE_UNITS = frozenset({"count", "weight", "coefficient", "level", "boolean"})
#: Chinese puts these rate units before the number ("每100人 1–4").
_ZH_PREFIX_UNITS = frozenset({"per_100_attendees", "per_50_attendees"})
#: Hour units that read "business hours" on a business-hours clock.
_BUSINESS_HOUR_LABELS: Mapping[str, dict[str, str]] = {
    "hours": _t("个工作小时", "business hours"),
    "minutes": _t("工作分钟", "business minutes"),
}

_PHRASES: Mapping[str, dict[str, str]] = {
    "within": _t("{amount}内", "within {amount}"),
    "every": _t("每 {amount}", "every {amount}"),
    "before_at_least": _t("至少提前 {amount}", "at least {amount} before"),
    "before_at_most": _t("至多提前 {amount}", "at most {amount} before"),
    "at_least": _t("至少 {amount}", "at least {amount}"),
    "permanent": _t("永久", "permanent"),
    "required": _t("须满足", "required"),
    "level": _t("{code} 级", "level {code}"),
    "rank": _t("第 {rank} 级", "rank {rank}"),
    "not_set": _t("未设定", "not set"),
}


def lang_key(language: str | None = None) -> str:
    """``"en"`` or ``"zh-hans"`` for a language code (default: the active language)."""
    language = (language or get_language() or "zh-hans").lower()
    return "en" if language.startswith("en") else "zh-hans"


def text(value: Text | Mapping[str, str] | str | None, language: str | None = None) -> str:
    """A bilingual text in ``language``, falling back to the other language."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, Text):
        value = value.as_dict()
    key = lang_key(language)
    other = "zh-hans" if key == "en" else "en"
    return value.get(key) or value.get(other) or ""


def _phrase(key: str, language: str | None, **params: Any) -> str:
    return _PHRASES[key][lang_key(language)].format(**params)


def op_symbol(op: str) -> str:
    return OPS.get(op, op)


def unit_label(unit: str, language: str | None = None) -> str:
    entry = UNITS.get(unit)
    return entry[lang_key(language)] if entry else unit


def kind_label(kind: str, language: str | None = None) -> str:
    return text(KIND_LABELS.get(kind), language) or kind


def source_label(source: str, language: str | None = None) -> str:
    return text(SOURCE_LABELS.get(source), language) or source


def source_hint(source: str, language: str | None = None) -> str:
    return text(SOURCE_HINTS.get(source), language)


def field_label(field: str | None, language: str | None = None) -> str:
    """A rule field's name for people (``value`` → ``数值``); other keys as they are."""
    return text(FIELD_LABELS.get(field or "value"), language) or str(field)


def clock_label(clock: str | None, language: str | None = None) -> str:
    return text(CLOCK_LABELS.get(clock or ""), language)


def _plain(number: Decimal) -> str:
    number = number.normalize()
    if number == number.to_integral_value():
        return str(number.quantize(Decimal(1)))
    return format(number, "f")


def to_display_number(value: float | int, unit: str | None) -> Decimal:
    """The number a person reads and types: a ratio as a percentage (0.05 → 5)."""
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    return number * 100 if unit == "ratio" else number


def from_display_number(number: Decimal | float | int | str, unit: str | None) -> float | int:
    """Back from what a person typed to the stored value (5 → 0.05 for a ratio)."""
    number = Decimal(str(number))
    if unit == "ratio":
        number = number / 100
    number = number.normalize()
    if number == number.to_integral_value() and unit != "ratio":
        return int(number)
    return float(number)


def format_number(value: float | int, unit: str | None = None) -> str:
    """``0.05`` (ratio) → ``"5"``; ``0.75`` → ``"0.75"``; ``24.0`` → ``"24"``."""
    return _plain(to_display_number(value, unit))


def _hour_of_day(value: float | int) -> str:
    minutes = round(float(value) * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _amount(numbers: str, unit: str, language: str | None, clock: str | None = None, op: str = "") -> str:
    """A number (or ``"20–24"``) with its unit and operator (``"≤ "``), the way the unit is written."""
    key = lang_key(language)
    prefix = f"{op} " if op else ""
    if unit == "ratio":
        return f"{prefix}{numbers}%"
    if unit in _ATTACHED_UNITS and not (unit.startswith("score") and "–" in numbers):
        return f"{prefix}{numbers}{UNITS[unit]['symbol']}"
    if unit in _SYMBOL_UNITS:
        return f"{prefix}{numbers} {UNITS[unit]['symbol']}"
    if unit in _BARE_UNITS:
        return f"{prefix}{numbers}"
    label = unit_label(unit, language)
    if clock == "business_hours" and unit in _BUSINESS_HOUR_LABELS:
        label = _BUSINESS_HOUR_LABELS[unit][key]
    if key == "en" and numbers == "1" and unit in _EN_SINGULAR:
        label = _EN_SINGULAR[unit] if clock != "business_hours" else label.rstrip("s")
    if key == "zh-hans" and unit in _ZH_PREFIX_UNITS:
        return f"{label} {prefix}{numbers}"
    return f"{prefix}{numbers} {label}"


def _range(low: float | int, high: float | int, unit: str) -> str:
    if low == high:
        return format_number(low, unit)
    separator = " ~ " if low < 0 else "–"
    return f"{format_number(low, unit)}{separator}{format_number(high, unit)}"


def _weekdays(days: tuple[int, ...], language: str | None) -> str:
    key = lang_key(language)
    days = tuple(sorted(days))
    if len(days) > 2 and days == tuple(range(days[0], days[-1] + 1)):
        sep = "至" if key == "zh-hans" else "–"
        return f"{_WEEKDAYS[days[0]][key]}{sep}{_WEEKDAYS[days[-1]][key]}"
    return ("、" if key == "zh-hans" else ", ").join(_WEEKDAYS[d][key] for d in days)


def format_value(rule: Rule, language: str | None = None) -> str:
    """The rule's value for a person, in ``language`` (default: the active language).

    ``≤ 5%`` · ``20–24 °C`` · ``≥ -65 dBm`` · ``3 个工作日内`` / ``within 3 working days`` ·
    ``永久`` / ``permanent`` · ``09:00–18:00 (周一至周五)`` · ``I 级`` · ``须满足`` / ``required``.
    """
    if rule.permanent and rule.value is None:
        return _phrase("permanent", language)
    if rule.value is None:
        return _phrase("not_set", language)
    if rule.kind == "checklist":
        return _phrase("required", language)
    if rule.kind == "level":
        if rule.level_code in _ROMAN_LEVELS:
            return _phrase("level", language, code=rule.level_code)
        return _phrase("rank", language, rank=format_number(rule.value))  # type: ignore[arg-type]
    if rule.kind == "schedule" and isinstance(rule.value, tuple):
        hours = f"{_hour_of_day(rule.value[0])}–{_hour_of_day(rule.value[1])}"
        return f"{hours} ({_weekdays(rule.weekdays, language)})" if rule.weekdays else hours
    if isinstance(rule.value, tuple):
        return _amount(_range(*rule.value, rule.unit), rule.unit, language, rule.clock)
    amount = _amount(format_number(rule.value, rule.unit), rule.unit, language, rule.clock)
    if rule.kind == "interval":
        return _phrase("every", language, amount=amount)
    if rule.kind == "deadline":
        if rule.direction == "before":
            key = "before_at_least" if rule.op in (">=", ">") else "before_at_most"
            return _phrase(key, language, amount=amount)
        if rule.op in ("<=", "<"):
            return _phrase("within", language, amount=amount)
    if rule.kind == "retention":
        return _phrase("at_least", language, amount=amount)
    if rule.op == "==":
        return amount
    return _amount(format_number(rule.value, rule.unit), rule.unit, language, rule.clock, op_symbol(rule.op))


def format_raw(value: Any, unit: str | None = None) -> str:
    """A stored value (number, ``[min, max]`` or ``None``) as a short string, e.g. in a diff or history."""
    if value is None:
        return "—"
    if isinstance(value, list | tuple):
        return _range(value[0], value[1], unit or "") + ("%" if unit == "ratio" else "")
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return format_number(value, unit) + ("%" if unit == "ratio" else "")
