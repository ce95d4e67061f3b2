"""Template filters for rulebook values: ``{% load rulebook_display %}`` then ``{{ title|localized }}``."""

from django import template

from huiyi.rulebook import display

register = template.Library()


@register.filter
def localized(value):
    """A bilingual text (``{"zh-hans", "en"}`` or ``Text``) in the active language."""
    return display.text(value)


@register.filter
def rule_value(rule):
    """A rule's value for people: ``≤ 5%``, ``20–24 °C``, ``3 个工作日内``."""
    return display.format_value(rule)
