"""Template helpers of inspections: readings with units, stored thresholds, times before/after the meeting."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from huiyi.rulebook.display import format_value, text
from huiyi.rulebook.loader import Rule, Text

from ..display import format_reading, format_span, requirement
from ..panel import panel_context
from ..timing import SECONDS

register = template.Library()


@register.filter
def reading_value(record) -> str:
    """A reading (or a stored value with its unit) as written on the sheet: ``68 %RH``."""
    return format_reading(record.value, record.unit)


@register.filter
def bilingual(value) -> str:
    return text(value)


@register.filter
def stored_threshold(record) -> str:
    """The threshold a reading was judged by, from what the reading stored (``≥ -65 dBm``)."""
    value = tuple(record.threshold) if isinstance(record.threshold, list) else record.threshold
    kind = "checklist" if record.unit == "boolean" else ("range" if isinstance(value, tuple) else "threshold")
    rule = Rule(
        id=record.rule_id,
        req="",
        clause="",
        kind=kind,
        metric=record.metric,
        op=record.op,
        value=value,
        unit=record.unit,
        name=Text.of(record.rule_name),
    )
    return format_value(rule)


@register.filter
def rule_threshold(rule) -> str:
    return format_value(rule) if rule is not None else "—"


def _span(value, unit: str) -> dt.timedelta:
    return dt.timedelta(seconds=float(Decimal(value) * SECONDS.get(unit, 1)))


@register.filter
def milestone_span(record) -> str:
    """``2 小时 20 分钟 before the start`` / ``30 min after the end`` from a set-up/tear-down record."""
    span = format_span(_span(record.value, record.unit))
    if record.milestone == "setup_done":
        if record.value >= 0:
            return _("%(span)s before the start") % {"span": span}
        return _("%(span)s after the start") % {"span": span}
    if record.value >= 0:
        return _("%(span)s after the end") % {"span": span}
    return _("%(span)s before the end") % {"span": span}


@register.filter
def lead_span(lead, rule) -> str:
    """A reception member's lead before the start (in the rule's unit) as words."""
    if lead is None or rule is None:
        return ""
    span = format_span(_span(lead, rule.unit))
    if lead >= 0:
        return _("%(span)s before the start") % {"span": span}
    return _("%(span)s after the start") % {"span": span}


@register.simple_tag(takes_context=True)
def inspections_panel(context, project):
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return None
    return panel_context(project, request.user)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def reading_requirement(record) -> str:
    return requirement(stored_threshold(record), checklist=record.unit == "boolean")


@register.filter
def rule_requirement(rule) -> str:
    if rule is None:
        return "—"
    return requirement(format_value(rule), checklist=rule.kind == "checklist")
