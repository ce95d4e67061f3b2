"""The resource calculator (REQ-RES-01…04): quantities from attendees, layout and service tiers.

Every ratio, range and factor comes from the rulebook; this module only combines them.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from huiyi.quality import formulas
from huiyi.rulebook.display import format_value, text

from .models import Layout

TIERS = ("basic", "standard", "custom")
STAFF_ROLES = ("on_site_director", "technical_support", "reception", "security", "medical")
_PER_UNIT = re.compile(r"per_(\d+)_")


class CalculatorError(ValueError):
    """Bad input; ``errors`` maps each field to its message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class Inputs:
    attendees: int
    layout: str
    tiers: tuple[str, ...]
    alpha: Decimal
    custom_units: Decimal = Decimal(0)
    room: object | None = None


def _whole(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _per_unit(rule) -> int:
    """The attendee block a ratio rule counts per (``per_100_attendees`` → 100), read from its unit."""
    match = _PER_UNIT.search(rule.unit)
    if not match:
        raise ValueError(f"rule {rule.id}: unit {rule.unit!r} names no attendee block")
    return int(match.group(1))


def alpha_bounds(rulebook) -> tuple[Decimal, Decimal]:
    low, high = rulebook.value("res.custom_coefficient.range")
    return Decimal(str(low)), Decimal(str(high))


def default_alpha(rulebook) -> Decimal:
    return Decimal(str(rulebook.value("res.custom_coefficient.default")))


def parse(data, rulebook, *, rooms=None) -> Inputs:
    """Validate raw input (a dict from a form or JSON). Raises CalculatorError naming each bad field."""
    errors: dict[str, str] = {}
    attendees = None
    raw = data.get("attendees")
    try:
        attendees = int(str(raw).strip())
        if str(raw).strip() != str(attendees) and Decimal(str(raw)) != attendees:
            raise ValueError
        if attendees < 1:
            errors["attendees"] = _("Attendees must be a whole number of at least 1.")
    except (TypeError, ValueError, ArithmeticError):
        errors["attendees"] = _("Attendees must be a whole number of at least 1.")
    layout = str(data.get("layout") or "")
    if layout not in Layout.values or f"res.layout.{layout}" not in rulebook:
        errors["layout"] = _("Unknown layout %(layout)s; choose one of %(choices)s.") % {
            "layout": layout or "—",
            "choices": ", ".join(Layout.values),
        }
    tiers = data.get("tiers") or []
    if isinstance(tiers, str):
        tiers = [tiers]
    unknown = [t for t in tiers if t not in TIERS]
    if not tiers or unknown:
        errors["tiers"] = _("Choose service tiers among %(choices)s.") % {"choices": ", ".join(TIERS)}
    low, high = alpha_bounds(rulebook)
    alpha = default_alpha(rulebook)
    raw_alpha = data.get("alpha")
    if raw_alpha not in (None, ""):
        try:
            alpha = Decimal(str(raw_alpha))
            if not alpha.is_finite() or not low <= alpha <= high:
                raise ValueError
        except (ValueError, ArithmeticError):
            errors["alpha"] = _("α must be a number from %(low)s to %(high)s.") % {"low": low, "high": high}
    custom_units = Decimal(0)
    raw_custom = data.get("custom_units")
    if raw_custom not in (None, ""):
        try:
            custom_units = Decimal(str(raw_custom))
            if not custom_units.is_finite() or custom_units < 0:
                raise ValueError
        except (ValueError, ArithmeticError):
            errors["custom_units"] = _("Custom resources must be a number, not negative.")
    room = None
    raw_room = data.get("room")
    if raw_room not in (None, ""):
        room = None
        if rooms is not None:
            try:
                room = rooms.filter(pk=int(raw_room)).select_related("venue").first()
            except (TypeError, ValueError):
                room = None
        if room is None:
            errors["room"] = _("Unknown room.")
    if errors:
        raise CalculatorError(errors)
    return Inputs(attendees, layout, tuple(dict.fromkeys(tiers)), alpha, custom_units, room)


def _scale_fraction(attendees: int, rulebook) -> Decimal:
    """Where the meeting sits in the staffing scale band: 0 at its lower end, 1 at its upper end."""
    low, high = (Decimal(str(v)) for v in rulebook.value("res.staffing.scale_band"))
    if high <= low:
        return Decimal(attendees >= high)
    return min(max((Decimal(attendees) - low) / (high - low), Decimal(0)), Decimal(1))


def _used(rule) -> dict:
    return {"id": rule.id, "req": rule.req, "value": format_value(rule), "name": text(rule.name)}


def calculate(inputs: Inputs, rulebook) -> dict:
    """The proposal as plain data (JSON-ready); the API and the page show the same dictionary."""
    attendees = inputs.attendees
    fraction = _scale_fraction(attendees, rulebook)
    standard = "standard" in inputs.tiers
    used = []

    projector_rule = rulebook.rule("res.config.projectors")
    blocks = math.ceil(attendees / _per_unit(projector_rule))
    p_low, p_high = projector_rule.value
    projector_min, projector_max = int(p_low) * blocks, int(p_high) * blocks
    projectors = (
        _whole(projector_min + fraction * (projector_max - projector_min)) if standard else projector_min
    )
    used.append(_used(projector_rule))

    tea_rule = rulebook.rule("res.config.tea_break_sets")
    tea_break_sets = math.ceil(attendees / _per_unit(tea_rule)) * int(tea_rule.value)
    used.append(_used(tea_rule))

    staffing, staff_ranges, staff_minimum = {}, {}, 0
    for role in STAFF_ROLES:
        rule = rulebook.rule(f"res.staffing.{role}")
        low, high = (Decimal(str(v)) for v in rule.value)
        staffing[role] = _whole(low + fraction * (high - low))
        staff_ranges[role] = [int(low), int(high)]
        staff_minimum += int(low)
        used.append(_used(rule))
    used.append(_used(rulebook.rule("res.staffing.scale_band")))

    layout_rule = rulebook.rule(f"res.layout.{inputs.layout}")
    minimum_rule = rulebook.rule("res.venue.floor_area_per_person")
    per_person = max(Decimal(str(layout_rule.value)), Decimal(str(minimum_rule.value)))
    floor_area = (per_person * attendees).quantize(Decimal("0.01"))
    used += [_used(layout_rule), _used(minimum_rule)]

    warnings = []
    room_info = None
    if inputs.room is not None:
        room = inputs.room
        seats = room.capacity_for(inputs.layout)
        room_info = {"id": room.pk, "name": str(room), "capacity": seats, "area_m2": float(room.area_m2)}
        if seats is None or attendees > seats:
            raise CalculatorError(
                {
                    "room": _(
                        "Room too small for the layout: %(room)s seats %(seats)s in %(layout)s, "
                        "%(attendees)s attendees expected."
                    )
                    % {
                        "room": room,
                        "seats": seats if seats is not None else 0,
                        "layout": Layout(inputs.layout).label,
                        "attendees": attendees,
                    }
                }
            )
        if room.area_m2 < floor_area:
            warnings.append(
                _("The room's floor area %(area)s m² is below the %(needed)s m² this layout needs.")
                % {"area": room.area_m2, "needed": floor_area}
            )

    r_base = Decimal(projector_min + tea_break_sets + staff_minimum)
    r_standard = Decimal((projectors - projector_min) + (sum(staffing.values()) - staff_minimum))
    r_custom = inputs.custom_units if "custom" in inputs.tiers else Decimal(0)
    a_low, a_high = alpha_bounds(rulebook)
    r_total = formulas.resource_total(
        r_base, r_standard, r_custom, inputs.alpha, alpha_min=a_low, alpha_max=a_high
    )
    used.append(_used(rulebook.rule("res.custom_coefficient.range")))

    return {
        "attendees": attendees,
        "layout": inputs.layout,
        "tiers": list(inputs.tiers),
        "alpha": float(inputs.alpha),
        "projectors": projectors,
        "projectors_range": [projector_min, projector_max],
        "tea_break_sets": tea_break_sets,
        "floor_area_m2": float(floor_area),
        "floor_area_per_person_m2": float(per_person),
        **staffing,
        "staffing": staffing,
        "staffing_ranges": staff_ranges,
        "r_base": float(r_base),
        "r_standard": float(r_standard),
        "r_custom": float(r_custom),
        "r_total": float(r_total.quantize(Decimal("0.01"))),
        "room": room_info,
        "warnings": warnings,
        "rules": used,
    }


def deviations(proposal: dict, chosen: dict) -> list[dict]:
    """Quantities a person chose outside the proposal's rule ranges (each needs an override reason)."""
    found = []
    low, high = proposal["projectors_range"]
    if "projectors" in chosen and not low <= chosen["projectors"] <= high:
        found.append({"field": "projectors", "chosen": chosen["projectors"], "range": [low, high]})
    if "tea_break_sets" in chosen and chosen["tea_break_sets"] < proposal["tea_break_sets"]:
        found.append(
            {
                "field": "tea_break_sets",
                "chosen": chosen["tea_break_sets"],
                "minimum": proposal["tea_break_sets"],
            }
        )
    for role, (r_low, r_high) in proposal["staffing_ranges"].items():
        if role in chosen and not r_low <= chosen[role] <= r_high:
            found.append({"field": role, "chosen": chosen[role], "range": [r_low, r_high]})
    return found
