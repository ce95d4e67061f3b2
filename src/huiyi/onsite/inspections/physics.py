"""What a reading can physically be, per unit: a reading outside these limits is a typing error, never a
measurement, and is refused before it is judged.

These are facts of physics and of the instruments used on site, not numbers of the specification (those are
in the rulebook): a relative humidity lies between 0 and 100 %, a concentration is never negative, no
projector on the market reaches 100 000 lm.
"""

from decimal import Decimal

#: unit → (lowest, highest) possible reading, inclusive.
PHYSICAL_LIMITS: dict[str, tuple[int, int]] = {
    # indoor air temperature: the coldest and hottest a meeting room can physically be and still be entered
    "celsius": (-40, 60),
    "percent_rh": (0, 100),
    # CO₂ sensors for rooms read up to 5 %; anything higher is not air one can breathe
    "ppm": (0, 50_000),
    "per_hour": (0, 1_000),
    # sound levels and signal-to-noise ratios: 194 dB is the loudest undistorted sound in air
    "dB": (-20, 194),
    # received radio power: below the noise floor of any receiver … above the legal transmit power
    "dBm": (-120, 30),
    "lm": (0, 100_000),
    # full sunlight is about 100 000 lx
    "lux": (0, 150_000),
    # candle flame … clear blue sky
    "kelvin": (1_000, 30_000),
    "pixels_vertical": (1, 20_000),
    "mbps": (0, 1_000_000),
    "boolean": (0, 1),
}

#: Units whose readings are whole numbers.
WHOLE_UNITS = frozenset({"pixels_vertical", "boolean"})


def limits(unit: str) -> tuple[Decimal, Decimal] | None:
    found = PHYSICAL_LIMITS.get(unit)
    return (Decimal(found[0]), Decimal(found[1])) if found else None


def is_possible(value: Decimal, unit: str) -> bool:
    if unit in WHOLE_UNITS and value != value.to_integral_value():
        return False
    bounds = limits(unit)
    return bounds is None or bounds[0] <= value <= bounds[1]
