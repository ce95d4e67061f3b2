import datetime as dt

from django import template
from django.utils import timezone

from huiyi.quality.kpis.queries import show

register = template.Library()


@register.simple_tag
def cell(row: dict, column):
    """A drill-down cell: ratios as percentages, times in the organisation's zone, '—' for nothing."""
    value = row.get(column.key)
    if value is None:
        return "—"
    if column.unit == "ratio":
        return show(value, "ratio")
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return value


@register.filter
def kpi_value(value, unit):
    return show(value, unit)
