"""The formulas of 《会议组织服务质量管理规范》 as pure functions.

Every function here is a plain calculation: no Django, no database, no rulebook look-up. The *numbers* of
the standard (thresholds, weights such as α = 0.6, the α range [0.0, 2.0], the 1–5 answer scale, …) live in
the rulebook; callers read them from there and pass them in. Nothing in this module defaults a weight,
threshold or ratio of the specification.

Numbers
    Inputs may be ``int``, ``Decimal``, ``fractions.Fraction`` or a string holding a number (``"0.6"``).
    A ``float`` is accepted by converting it through ``str()`` (so ``0.1`` becomes ``Decimal("0.1")``, not
    the binary approximation), but **money must be passed as Decimal** (or a decimal string): a float is
    never a correct representation of an amount. ``bool``, NaN and infinities are rejected. Every result
    is a ``Decimal`` computed in the current ``decimal`` context.

Ratios
    Ratios are returned as fractions (``Decimal("0.95")``), as they are stored; :func:`percentage`
    converts one to a percentage for display.

Errors
    Bad input raises :class:`FormulaError` (a ``ValueError``). Its message is a short English sentence that
    starts with the offending argument's name (``"satisfied must not exceed clients."``); ``argument``,
    ``code`` and ``params`` let the caller translate the message or attach it to a form field.

Weights that "must add up to 1"
    A weight sum is accepted when it equals 1 within :data:`WEIGHT_SUM_TOLERANCE`, an arithmetic tolerance
    (not a value of the standard) that only absorbs Decimal rounding of weights such as 1/3. The weighted
    sum is then divided by the actual weight total, so that rounding never pushes a result outside the range
    of its inputs. Functions that take ``normalize=True`` instead accept any non-negative weights with a
    positive total and divide by it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

__all__ = [
    "MONEY_QUANTUM",
    "WEIGHT_SUM_TOLERANCE",
    "FormulaError",
    "budget_deviation",
    "change_cost_impact",
    "collection_rate",
    "completion_rate",
    "composite_score",
    "electrical_safety_pass_rate",
    "error_rate",
    "failure_rate",
    "final_service_score",
    "on_time_rate",
    "percentage",
    "phase_weighted_quality",
    "process_deviation",
    "ratio",
    "requirement_completeness",
    "resource_total",
    "satisfaction_rate",
    "service_quality",
    "service_quality_index",
    "standard_rate",
    "weighted_satisfaction",
]

Number = int | Decimal | Fraction | str | float

#: Arithmetic tolerance for "weights add up to 1": absorbs Decimal rounding only (e.g. three weights of 1/3
#: computed to 28 digits). It is not a value of the standard.
WEIGHT_SUM_TOLERANCE = Decimal("1e-20")

#: Smallest unit of money amounts returned by this module (one fen, 0.01 yuan).
MONEY_QUANTUM = Decimal("0.01")

_ZERO = Decimal(0)
_ONE = Decimal(1)
_HUNDRED = Decimal(100)


class _Raise:
    """Sentinel: no ``empty`` value was given, so an empty denominator raises."""

    def __repr__(self) -> str:
        return "<raise>"


_RAISE: Any = _Raise()


class FormulaError(ValueError):
    """Bad input to a formula.

    ``str(error)`` is a short English sentence naming the argument. For translation or form errors:

    * ``argument`` — the argument's name as it appears in the message (``"items[2].weight"``);
    * ``code`` — a stable machine code (``"negative"``, ``"exceeds"``, ``"out_of_range"``, …);
    * ``params`` — the values interpolated into the message.
    """

    def __init__(self, argument: str, message: str, *, code: str, params: dict[str, Any] | None = None):
        super().__init__(message)
        self.argument = argument
        self.message = message
        self.code = code
        self.params = {"argument": argument, **(params or {})}


# --------------------------------------------------------------------------------------------------------
# Input checking
# --------------------------------------------------------------------------------------------------------


def _fmt(value: Decimal) -> str:
    """A short, plain rendering of a Decimal for messages (no exponent for ordinary values)."""
    if value == value.to_integral_value():
        return str(value.quantize(_ONE)) if abs(value) < Decimal("1e15") else str(value)
    return format(value.normalize(), "f")


def _dec(value: Any, name: str) -> Decimal:
    """Convert ``value`` to a finite Decimal or raise FormulaError naming ``name``."""
    if isinstance(value, bool):
        raise FormulaError(name, f"{name} must be a number.", code="not_a_number")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, Fraction):
        result = Decimal(value.numerator) / Decimal(value.denominator)
    elif isinstance(value, float):
        result = Decimal(str(value))
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            raise FormulaError(name, f"{name} must be a number.", code="not_a_number") from None
    else:
        raise FormulaError(name, f"{name} must be a number.", code="not_a_number")
    if not result.is_finite():
        raise FormulaError(name, f"{name} must be a finite number.", code="not_finite")
    return result


def _non_negative(value: Any, name: str) -> Decimal:
    result = _dec(value, name)
    if result < 0:
        raise FormulaError(name, f"{name} must not be negative.", code="negative")
    return result


def _positive(value: Any, name: str) -> Decimal:
    result = _dec(value, name)
    if result <= 0:
        raise FormulaError(name, f"{name} must be greater than zero.", code="not_positive")
    return result


def _between(value: Any, name: str, low: Decimal, high: Decimal) -> Decimal:
    result = _dec(value, name)
    if not low <= result <= high:
        raise FormulaError(
            name,
            f"{name} must be between {_fmt(low)} and {_fmt(high)}.",
            code="out_of_range",
            params={"min": low, "max": high, "value": result},
        )
    return result


def _fraction(value: Any, name: str) -> Decimal:
    """A ratio stored as a fraction: a number in [0, 1]."""
    return _between(value, name, _ZERO, _ONE)


def _pairs(items: Any, name: str, first: str, second: str) -> list[tuple[Any, Any]]:
    """Materialise an iterable of 2-item pairs, raising FormulaError for anything else."""
    if isinstance(items, str | bytes) or not isinstance(items, Iterable):
        raise FormulaError(name, f"{name} must be a list of ({first}, {second}) pairs.", code="not_pairs")
    result: list[tuple[Any, Any]] = []
    for index, item in enumerate(items):
        label = f"{name}[{index}]"
        if isinstance(item, str | bytes) or not isinstance(item, Iterable):
            raise FormulaError(label, f"{label} must be a ({first}, {second}) pair.", code="not_pair")
        parts = tuple(item)
        if len(parts) != 2:
            raise FormulaError(label, f"{label} must be a ({first}, {second}) pair.", code="not_pair")
        result.append((parts[0], parts[1]))
    if not result:
        raise FormulaError(name, f"{name} must not be empty.", code="empty")
    return result


def _weight_total(weights: list[Decimal], name: str, *, normalize: bool) -> Decimal:
    """Check a list of non-negative weights and return their total.

    ``name`` is the argument holding the weights: either the weights themselves (``"weights"``) or a list
    of pairs (``"answers"``), in which case messages speak of "the weights in answers".
    Without ``normalize`` the total must be 1 (within WEIGHT_SUM_TOLERANCE); with it, only positive.
    """
    subject = name if name == "weights" else f"Weights in {name}"
    total = sum(weights, _ZERO)
    if normalize:
        if total <= 0:
            raise FormulaError(
                name,
                f"{subject} must add up to more than zero.",
                code="zero_weight",
                params={"total": total},
            )
    elif abs(total - _ONE) > WEIGHT_SUM_TOLERANCE:
        raise FormulaError(
            name,
            f"{subject} must add up to 1 (they add up to {_fmt(total)}).",
            code="weights_sum",
            params={"total": total},
        )
    return total


def _weighted_mean(values: list[Decimal], weights: list[Decimal], total: Decimal) -> Decimal:
    weighted = sum((v * w for v, w in zip(values, weights, strict=True)), _ZERO)
    return weighted if total == _ONE else weighted / total


# --------------------------------------------------------------------------------------------------------
# Ratios
# --------------------------------------------------------------------------------------------------------


def ratio(
    part: Number,
    whole: Number,
    *,
    part_name: str = "part",
    whole_name: str = "whole",
    empty: Any = _RAISE,
) -> Decimal | Any:
    """``part / whole`` as a fraction in [0, 1] — the shape of every "x / all" rate of the standard.

    ``part`` and ``whole`` are counts (or amounts): both must be non-negative and ``part`` must not exceed
    ``whole``. Fractional counts are allowed (for example weighted or partially delivered services).

    When ``whole`` is 0 there is nothing to measure. If ``empty`` is given (any value, including ``None``)
    it is returned as is; otherwise a :class:`FormulaError` naming ``whole_name`` is raised. ``part_name``
    and ``whole_name`` are the names used in error messages; the named wrappers below pass their own.
    """
    p = _non_negative(part, part_name)
    w = _non_negative(whole, whole_name)
    if w == 0:
        if p > 0:
            raise FormulaError(
                part_name,
                f"{part_name} must not exceed {whole_name}.",
                code="exceeds",
                params={"other": whole_name},
            )
        if empty is _RAISE:
            raise FormulaError(whole_name, f"{whole_name} must be greater than zero.", code="not_positive")
        return empty
    if p > w:
        raise FormulaError(
            part_name,
            f"{part_name} must not exceed {whole_name}.",
            code="exceeds",
            params={"other": whole_name},
        )
    return p / w


def satisfaction_rate(satisfied: Number, clients: Number, *, empty: Any = _RAISE) -> Decimal | Any:
    """S = satisfied clients / all clients (REQ-GEN-04, §1.4)."""
    return ratio(satisfied, clients, part_name="satisfied", whole_name="clients", empty=empty)


def on_time_rate(on_time: Number, total: Number, *, empty: Any = _RAISE) -> Decimal | Any:
    """E = services completed on time / all services (REQ-GEN-04, §1.4)."""
    return ratio(on_time, total, part_name="on_time", whole_name="total", empty=empty)


def standard_rate(meeting_standard: Number, total: Number, *, empty: Any = _RAISE) -> Decimal | Any:
    """P = services meeting the standard / all services (REQ-GEN-04, §1.4)."""
    return ratio(meeting_standard, total, part_name="meeting_standard", whole_name="total", empty=empty)


def collection_rate(responses: Number, attendees: Number, *, empty: Any = _RAISE) -> Decimal | Any:
    """Feedback collection rate = responses / attendees (REQ-FBK-02, §2.9(1)).

    The standard writes it "× 100 %"; it is returned as a fraction — use :func:`percentage` to display it.
    Responses may not exceed attendees.
    """
    return ratio(responses, attendees, part_name="responses", whole_name="attendees", empty=empty)


def completion_rate(done: Number, total: Number, *, empty: Any = _RAISE) -> Decimal | Any:
    """Improvement-action completion rate = done / all actions (REQ-FBK-04, §2.9(2))."""
    return ratio(done, total, part_name="done", whole_name="total", empty=empty)


def error_rate(discrepancies: Number, confirmed_items: Number, *, empty: Any = _RAISE) -> Decimal | Any:
    """Error rate = discrepancies / confirmed items.

    Used for the requirements list (REQ-INT-07, §2.1) and for bookings against the plan (REQ-RES-05,
    §3.2 CCP 4). Discrepancies may not exceed the items checked.
    """
    return ratio(
        discrepancies, confirmed_items, part_name="discrepancies", whole_name="confirmed_items", empty=empty
    )


def failure_rate(faults: Number, units: Number, *, empty: Any = _RAISE) -> Decimal | Any:
    """Failure rate = faulty units / units in use (REQ-TEC-02, §2.7; standard set in REQ-CON-01, §2.3)."""
    return ratio(faults, units, part_name="faults", whole_name="units", empty=empty)


def electrical_safety_pass_rate(
    faults: Number, devices_tested: Number, *, empty: Any = _RAISE
) -> Decimal | Any:
    """Electrical safety pass rate = 1 − faults / devices tested (REQ-RES-08, §2.7(2), §4.4(3)).

    With no devices tested, ``empty`` is returned if given (otherwise FormulaError naming
    ``devices_tested``).
    """
    failed = ratio(
        faults,
        devices_tested,
        part_name="faults",
        whole_name="devices_tested",
        empty=_RAISE if empty is _RAISE else None,
    )
    if failed is None:
        return empty
    return _ONE - failed


# --------------------------------------------------------------------------------------------------------
# Quality and scores
# --------------------------------------------------------------------------------------------------------


def service_quality(s: Number, e: Number, p: Number) -> Decimal:
    """Service quality Q = S × E × P (REQ-GEN-04, §1.4).

    ``s`` (satisfaction rate), ``e`` (on-time rate) and ``p`` (standard rate) are fractions in [0, 1], so Q
    is too; Q = 1 exactly when all three are 1.
    """
    return _fraction(s, "s") * _fraction(e, "e") * _fraction(p, "p")


def final_service_score(
    s: Number, e: Number, alpha: Number, beta: Number, *, max_score: Number | None = None
) -> Decimal:
    """Final service score = α·S + β·E (REQ-FBK-08, §2 overview).

    ``s`` is the service process score and ``e`` the client satisfaction, on the same scale; both must be
    non-negative, and at most ``max_score`` when it is given. ``alpha`` and ``beta`` come from the rulebook
    (the standard's defaults are α = 0.6, β = 0.4); they must be non-negative and add up to 1. With S = E = x
    the score is x.
    """
    if max_score is None:
        s_value = _non_negative(s, "s")
        e_value = _non_negative(e, "e")
    else:
        top = _positive(max_score, "max_score")
        s_value = _between(s, "s", _ZERO, top)
        e_value = _between(e, "e", _ZERO, top)
    a = _non_negative(alpha, "alpha")
    b = _non_negative(beta, "beta")
    total = a + b
    if abs(total - _ONE) > WEIGHT_SUM_TOLERANCE:
        raise FormulaError(
            "alpha",
            f"alpha and beta must add up to 1 (they add up to {_fmt(total)}).",
            code="weights_sum",
            params={"total": total, "other": "beta"},
        )
    return _weighted_mean([s_value, e_value], [a, b], total)


def requirement_completeness(items: Iterable[tuple[Number, Number]]) -> Decimal:
    """Requirement completeness index I = Σ Wᵢ·Cᵢ / Σ Wᵢ (REQ-INT-05, §2.1 and §2 overview).

    ``items`` is an iterable of ``(weight, completion)`` pairs — one per 5W2H item — where the weight is
    non-negative and the completion Cᵢ is a fraction in [0, 1]. The total weight must be greater than zero.
    The result is in [0, 1] and is 1 when every item is complete.
    """
    pairs = _pairs(items, "items", "weight", "completion")
    weights: list[Decimal] = []
    completions: list[Decimal] = []
    for index, (weight, completion) in enumerate(pairs):
        weights.append(_non_negative(weight, f"items[{index}].weight"))
        completions.append(_fraction(completion, f"items[{index}].completion"))
    total = _weight_total(weights, "items", normalize=True)
    return _weighted_mean(completions, weights, total)


def weighted_satisfaction(
    answers: Iterable[tuple[Number, Number]],
    *,
    scale_min: Number,
    scale_max: Number,
    normalize: bool = False,
) -> Decimal:
    """Satisfaction score = Σ aᵢ·wᵢ (REQ-FBK-01, §2.6(3) 3.3).

    ``answers`` is an iterable of ``(answer, weight)`` pairs, one per survey item. Each answer aᵢ must lie
    in ``[scale_min, scale_max]`` — the answer scale comes from the rulebook (the standard's is 1–5); an
    answer may be fractional (an item's mean over respondents). Weights must be non-negative.

    Weights must add up to 1, as the formula assumes; otherwise FormulaError naming ``answers``. With
    ``normalize=True`` any weights with a positive total are accepted and the result is Σ aᵢ·wᵢ / Σ wᵢ.
    Either way the result lies in ``[scale_min, scale_max]``.
    """
    low = _dec(scale_min, "scale_min")
    high = _dec(scale_max, "scale_max")
    if low >= high:
        raise FormulaError(
            "scale_min",
            "scale_min must be less than scale_max.",
            code="bad_scale",
            params={"other": "scale_max"},
        )
    pairs = _pairs(answers, "answers", "answer", "weight")
    values: list[Decimal] = []
    weights: list[Decimal] = []
    for index, (answer, weight) in enumerate(pairs):
        values.append(_between(answer, f"answers[{index}].answer", low, high))
        weights.append(_non_negative(weight, f"answers[{index}].weight"))
    total = _weight_total(weights, "answers", normalize=normalize)
    return _weighted_mean(values, weights, total)


def composite_score(pairs: Iterable[tuple[Number, Number]]) -> Decimal:
    """Composite satisfaction = Σ Fᵢ·Rᵢ / Σ Fᵢ (REQ-FBK-01, §2 overview).

    ``pairs`` is an iterable of ``(F, R)``: Fᵢ a non-negative frequency or weight, Rᵢ a rating (any finite
    number, on the caller's scale). Σ Fᵢ must be greater than zero. The result lies between the smallest
    and largest Rᵢ; if every Rᵢ is equal to R it is R.
    """
    items = _pairs(pairs, "pairs", "F", "R")
    weights: list[Decimal] = []
    ratings: list[Decimal] = []
    for index, (f, r) in enumerate(items):
        weights.append(_non_negative(f, f"pairs[{index}].F"))
        ratings.append(_dec(r, f"pairs[{index}].R"))
    total = _weight_total(weights, "pairs", normalize=True)
    return _weighted_mean(ratings, weights, total)


def service_quality_index(scores: Iterable[Number], *, max_score: Number) -> Decimal:
    """Service quality index = Σ scores / number of items (REQ-QLT-04, §4).

    Each score must lie in ``[0, max_score]``; ``max_score`` comes from the evaluation form in the rulebook
    (the standard scores items out of 10). At least one score is required.
    """
    top = _positive(max_score, "max_score")
    if isinstance(scores, str | bytes) or not isinstance(scores, Iterable):
        raise FormulaError("scores", "scores must be a list of numbers.", code="not_a_list")
    values = [_between(score, f"scores[{index}]", _ZERO, top) for index, score in enumerate(scores)]
    if not values:
        raise FormulaError("scores", "scores must not be empty.", code="empty")
    return sum(values, _ZERO) / len(values)


def phase_weighted_quality(
    phase_scores: Mapping[Any, Number],
    weights: Mapping[Any, Number],
    *,
    normalize: bool = False,
) -> Decimal:
    """Overall quality = Σ phase weight × phase score (REQ-QLT-02, §3.1(1)).

    Both mappings are keyed by phase id and must have the same keys. Scores must be non-negative (on any
    one scale); weights must be non-negative and add up to 1 — they are adjusted per project for client
    need, complexity and risk, so they come from the caller. With ``normalize=True`` any weights with a
    positive total are accepted and divided by their total.
    """
    if not isinstance(phase_scores, Mapping):
        raise FormulaError(
            "phase_scores", "phase_scores must map each phase to its score.", code="not_a_mapping"
        )
    if not isinstance(weights, Mapping):
        raise FormulaError("weights", "weights must map each phase to its weight.", code="not_a_mapping")
    if not phase_scores:
        raise FormulaError("phase_scores", "phase_scores must not be empty.", code="empty")
    missing = [key for key in phase_scores if key not in weights]
    if missing:
        key = sorted(map(str, missing))[0]
        raise FormulaError(
            "weights", f"weights has no entry for phase {key}.", code="missing_key", params={"key": key}
        )
    extra = [key for key in weights if key not in phase_scores]
    if extra:
        key = sorted(map(str, extra))[0]
        raise FormulaError(
            "phase_scores",
            f"phase_scores has no entry for phase {key}.",
            code="missing_key",
            params={"key": key},
        )
    keys = list(phase_scores)
    values = [_non_negative(phase_scores[key], f"phase_scores[{key}]") for key in keys]
    weight_values = [_non_negative(weights[key], f"weights[{key}]") for key in keys]
    total = _weight_total(weight_values, "weights", normalize=normalize)
    return _weighted_mean(values, weight_values, total)


# --------------------------------------------------------------------------------------------------------
# Resources, money and deviations
# --------------------------------------------------------------------------------------------------------


def resource_total(
    r_base: Number,
    r_standard: Number,
    r_custom: Number,
    alpha: Number,
    *,
    alpha_min: Number,
    alpha_max: Number,
) -> Decimal:
    """R_total = R_base + R_standard + α·R_custom (REQ-RES-01, §2.1 2.3).

    The three resource amounts must be non-negative. α must lie in ``[alpha_min, alpha_max]``, a range the
    caller reads from the rulebook (the standard's is [0.0, 2.0]); ``alpha_min`` must be non-negative and
    not exceed ``alpha_max``. The result is not rounded; quantize it for the unit in use.
    """
    base = _non_negative(r_base, "r_base")
    standard = _non_negative(r_standard, "r_standard")
    custom = _non_negative(r_custom, "r_custom")
    low = _non_negative(alpha_min, "alpha_min")
    high = _dec(alpha_max, "alpha_max")
    if low > high:
        raise FormulaError(
            "alpha_min", "alpha_min must not exceed alpha_max.", code="exceeds", params={"other": "alpha_max"}
        )
    a = _between(alpha, "alpha", low, high)
    return base + standard + a * custom


def change_cost_impact(
    base_cost: Number,
    extension_ratio: Number,
    coefficient: Number,
    *,
    quantum: Decimal = MONEY_QUANTUM,
) -> Decimal:
    """Extra cost of a change = base cost × extension ratio × coefficient (REQ-CON-03, §2.3).

    Example from the standard: a meeting extended by 1/3 with a coefficient of 0.75 costs 25 % more, so
    ``change_cost_impact(Decimal("10000.00"), Fraction(1, 3), Decimal("0.75"))`` is ``Decimal("2500.00")``.
    The coefficient is an organisation setting passed in by the caller. All three inputs must be
    non-negative (a reduction in scope is settled by the contract, not by this formula). ``base_cost`` is
    money: pass a Decimal or a decimal string. Returns the extra amount quantized to ``quantum`` (0.01 by
    default) with ROUND_HALF_UP.
    """
    base = _non_negative(base_cost, "base_cost")
    extension = _non_negative(extension_ratio, "extension_ratio")
    coeff = _non_negative(coefficient, "coefficient")
    step = _positive(quantum, "quantum")
    return (base * extension * coeff).quantize(step, rounding=ROUND_HALF_UP)


def budget_deviation(planned: Number, budget: Number) -> Decimal:
    """Budget deviation = |planned − budget| / budget (REQ-PLN-03, §3.2 CCP 2).

    ``planned`` (the plan's cost) must be non-negative and ``budget`` greater than zero. The result is a
    non-negative fraction (it may exceed 1); the rulebook holds the threshold it is compared with.
    """
    p = _non_negative(planned, "planned")
    b = _positive(budget, "budget")
    return abs(p - b) / b


def process_deviation(planned_minutes: Number, actual_minutes: Number) -> Decimal:
    """Process deviation = |actual − planned| / planned (REQ-ONS-05, §2.6(3) 3.2, §3.2 CCP 8).

    ``planned_minutes`` must be greater than zero and ``actual_minutes`` non-negative. The result is a
    non-negative fraction (it may exceed 1).
    """
    planned = _positive(planned_minutes, "planned_minutes")
    actual = _non_negative(actual_minutes, "actual_minutes")
    return abs(actual - planned) / planned


def percentage(fraction: Number, *, places: int | None = None) -> Decimal:
    """Convert a stored fraction to a percentage for display: ``Decimal("0.95")`` → ``Decimal("95.00")``.

    Any finite number is accepted (deviations may exceed 1, i.e. 100 %). With ``places`` the result is
    quantized to that many decimal places, ROUND_HALF_UP.
    """
    value = _dec(fraction, "fraction") * _HUNDRED
    if places is None:
        return value
    if isinstance(places, bool) or not isinstance(places, int) or places < 0:
        raise FormulaError("places", "places must be a whole number, zero or more.", code="bad_places")
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
