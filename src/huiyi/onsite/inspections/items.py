"""The items of an inspection round, built from the project's rulebook (REQ-ONS-03, REQ-ONS-04).

Every threshold, range and checklist rule of the equipment check sheet and of the environment requirement
becomes an item; its threshold, unit and name come from the rule. This module only says how the items are
grouped on the sheet and which kinds of device of the equipment register a group's readings may name. A rule
the rulebook adds later appears in its group (by metric) or under "Other".
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from huiyi.resources.models import EquipmentCategory
from huiyi.rulebook.display import format_value, text, unit_label
from huiyi.rulebook.loader import Rule, Rulebook
from huiyi.rulebook.schema import UNITS

from .display import requirement

#: The requirements whose rules an inspection round checks.
INSPECTED_REQUIREMENTS = ("REQ-ONS-03", "REQ-ONS-04")
#: Rule kinds that judge one reading.
JUDGED_KINDS = ("threshold", "range", "checklist")
#: Rules restricted to the main hall (``applies_to: {area: main_hall}``) are checked in main-hall rounds only.
MAIN_HALL = "main_hall"


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    metrics: tuple[str, ...]
    categories: tuple[str, ...] = ()
    icon: str = "clipboard-check"


SECTIONS = (
    Section(
        "sound",
        _("Sound"),
        ("sound_no_noise_or_dropout", "volume_db", "signal_to_noise_db"),
        (EquipmentCategory.SOUND, EquipmentCategory.MICROPHONE, EquipmentCategory.INTERPRETATION),
        "volume-up",
    ),
    Section(
        "projector",
        _("Projection"),
        ("projector_resolution_vertical", "projector_brightness_lm", "projector_in_focus"),
        (EquipmentCategory.PROJECTOR, EquipmentCategory.SCREEN),
        "projector",
    ),
    Section(
        "network",
        _("Network"),
        ("wired_bandwidth_mbps", "wifi_signal_dbm"),
        (EquipmentCategory.NETWORK, EquipmentCategory.VIDEO_CONFERENCING),
        "wifi",
    ),
    Section(
        "lighting",
        _("Lighting"),
        ("illuminance_lux", "colour_temperature_k"),
        (EquipmentCategory.LIGHTING,),
        "lightbulb",
    ),
    Section(
        "environment",
        _("Environment"),
        ("room_temperature_c", "room_relative_humidity", "air_changes_per_hour", "co2_ppm"),
        (),
        "thermometer-half",
    ),
)
OTHER = Section("other", _("Other"), (), tuple(EquipmentCategory.values), "three-dots")
_SECTION_OF_METRIC = {metric: section for section in SECTIONS for metric in section.metrics}
SECTIONS_BY_KEY = {section.key: section for section in (*SECTIONS, OTHER)}


@dataclass(frozen=True)
class Item:
    rule: Rule
    section: Section

    @property
    def id(self) -> str:
        return self.rule.id

    @property
    def is_checklist(self) -> bool:
        return self.rule.kind == "checklist" or self.rule.unit == "boolean"

    @property
    def main_hall_only(self) -> bool:
        return self.rule.applies_to.get("area") == MAIN_HALL

    @property
    def name(self) -> str:
        return text(self.rule.name)

    @property
    def threshold(self) -> str:
        """The requirement as people read it (``≥ -65 dBm``, ``40–60 %RH``, ``须满足``)."""
        return format_value(self.rule)

    @property
    def requirement(self) -> str:
        """The threshold with its word (``要求 ≥ -65 dBm``)."""
        return requirement(self.threshold, checklist=self.is_checklist)

    @property
    def unit_symbol(self) -> str:
        """What is written after the input box."""
        if self.is_checklist:
            return ""
        entry = UNITS.get(self.rule.unit)
        if entry is None:
            return self.rule.unit
        if self.rule.unit in ("pixels_vertical", "per_hour"):
            return unit_label(self.rule.unit)
        return entry["symbol"] or unit_label(self.rule.unit)

    @property
    def field_name(self) -> str:
        return "item_" + self.rule.id.replace(".", "__")


def _inspected(rule: Rule) -> bool:
    return (
        rule.req in INSPECTED_REQUIREMENTS
        and rule.kind in JUDGED_KINDS
        and rule.control_point is None
        and rule.value is not None
    )


def all_items(rulebook: Rulebook) -> list[Item]:
    """Every inspection item of the rulebook, in sheet order (section, then rulebook order)."""
    items = [
        Item(rule, _SECTION_OF_METRIC.get(rule.metric, OTHER)) for rule in rulebook.rules if _inspected(rule)
    ]
    order = {section.key: index for index, section in enumerate((*SECTIONS, OTHER))}
    return sorted(items, key=lambda item: order[item.section.key])


def items_for(rulebook: Rulebook, *, main_hall: bool = True) -> list[Item]:
    """The items of a round: those restricted to the main hall only when the room is the main hall."""
    return [item for item in all_items(rulebook) if main_hall or not item.main_hall_only]


def item(rulebook: Rulebook, rule_id: str) -> Item | None:
    return next((found for found in all_items(rulebook) if found.rule.id == rule_id), None)


def grouped(items: list[Item]) -> list[tuple[Section, list[Item]]]:
    groups: dict[str, list[Item]] = {}
    for one in items:
        groups.setdefault(one.section.key, []).append(one)
    return [(SECTIONS_BY_KEY[key], members) for key, members in groups.items()]
