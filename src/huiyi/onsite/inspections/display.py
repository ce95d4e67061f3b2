"""Readings and times for people: ``68 %RH``, ``-72 dBm``, ``1080p``, ``是``; ``2 小时 20 分钟``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from huiyi.rulebook.display import lang_key, unit_label
from huiyi.rulebook.loader import Rule
from huiyi.rulebook.schema import UNITS


def plain(number: Decimal | int | float) -> str:
    number = Decimal(str(number)).normalize()
    if number == number.to_integral_value():
        return str(number.quantize(Decimal(1)))
    return format(number, "f")


def format_reading(value: Decimal | int | float | None, unit: str, language: str | None = None) -> str:
    """A reading with its unit as written on a check sheet."""
    if value is None:
        return "—"
    if unit == "boolean":
        return _("Yes") if Decimal(str(value)) == 1 else _("No")
    number = plain(value)
    if unit == "pixels_vertical":
        return f"{number}p"
    if unit == "per_hour":
        return f"{number} {unit_label(unit, language)}" if lang_key(language) == "zh-hans" else f"{number}/h"
    entry = UNITS.get(unit)
    symbol = (entry["symbol"] if entry else "") or (unit_label(unit, language) if entry else unit)
    return f"{number} {symbol}" if symbol else number


def threshold_json(rule: Rule):
    """The rule's value as stored with a record: a number or ``[min, max]``."""
    return list(rule.value) if isinstance(rule.value, tuple) else rule.value


def format_span(delta: dt.timedelta) -> str:
    """A duration to the nearest minute (sign dropped): ``2 小时 20 分钟`` / ``2 h 20 min``."""
    minutes = round(abs(delta.total_seconds()) / 60)
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": minutes}
    if hours:
        return _("%(hours)s h") % {"hours": hours}
    return _("%(minutes)s min") % {"minutes": minutes}


def requirement(threshold: str, *, checklist: bool) -> str:
    """``要求 ≥ -65 dBm``; a checklist item's requirement reads on its own (``须满足``)."""
    if checklist:
        return threshold
    return pgettext("threshold", "required %(value)s") % {"value": threshold}
