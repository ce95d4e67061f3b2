"""Which on-site equipment rules (REQ-ONS-03, CCP-06) a device's pre-use check measures, by category.

The mapping says only which metric applies to which kind of device; the thresholds are read from the
project's rulebook by metric.
"""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from huiyi.rulebook.display import format_value, text

from .models import EquipmentCategory

METRICS_BY_CATEGORY = {
    EquipmentCategory.PROJECTOR: ("projector_resolution_vertical", "projector_brightness_lm"),
    EquipmentCategory.SCREEN: ("projector_resolution_vertical",),
    EquipmentCategory.SOUND: ("volume_db", "signal_to_noise_db"),
    EquipmentCategory.MICROPHONE: ("volume_db", "signal_to_noise_db"),
    EquipmentCategory.INTERPRETATION: ("signal_to_noise_db",),
    EquipmentCategory.NETWORK: ("wired_bandwidth_mbps", "wifi_signal_dbm"),
    EquipmentCategory.VIDEO_CONFERENCING: ("wired_bandwidth_mbps",),
    EquipmentCategory.RECORDING: ("wired_bandwidth_mbps",),
    EquipmentCategory.LIGHTING: ("illuminance_lux", "colour_temperature_k"),
}


def rules_for_category(category: str, rulebook) -> list:
    """The rules whose readings a device of ``category`` is checked against (first rule per metric)."""
    found = []
    for metric_key in METRICS_BY_CATEGORY.get(category, ()):
        rules = rulebook.rules_where(metric=metric_key)
        if rules:
            found.append(rules[0])
    return found


def evaluate(category: str, readings: dict, rulebook) -> tuple[list[dict], dict[str, str]]:
    """Compare readings with the rules; returns (results, errors by metric). Missing readings are errors."""
    results, errors = [], {}
    for rule in rules_for_category(category, rulebook):
        raw = readings.get(rule.metric)
        if raw in (None, ""):
            errors[rule.metric] = _("Enter the reading for %(name)s.") % {"name": text(rule.name)}
            continue
        try:
            value = Decimal(str(raw))
            if not value.is_finite():
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            errors[rule.metric] = _("%(name)s must be a number.") % {"name": text(rule.name)}
            continue
        results.append(
            {
                "rule": rule.id,
                "metric": rule.metric,
                "name": rule.name.as_dict(),
                "value": str(value),
                "unit": rule.unit,
                "required": format_value(rule),
                "passed": rule.passes(value),
            }
        )
    return results, errors
