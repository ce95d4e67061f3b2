"""Scores of a survey with the rulebook's scale and weights (REQ-FBK-01, §2.9(1), §2.6(3) 3.3).

* The answer scale is the rule of metric ``survey_answer_score`` (``between`` [low, high]; 1–5 by default).
* A scale question's weight is its own when set; otherwise the weight of its dimension in the weight group of
  the ``satisfaction_score`` formula (``survey_dimensions``), shared equally by the scale questions of that
  dimension. Scale questions without dimension or weight are shown but not scored.
* Satisfaction = Σ aᵢ·wᵢ (``formulas.weighted_satisfaction``; normalised by Σ wᵢ so that a template whose
  weights do not add up to 1, or an answer that skips an optional question, stays on the scale).
* Composite = Σ Fᵢ·Rᵢ / Σ Fᵢ (``formulas.composite_score``) with Fᵢ the number of answers of rating Rᵢ.
* On 100: satisfaction / top of the scale × 100 (so "satisfied", 4 of 5, is 80), the unit of CCP 9.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from huiyi.quality import formulas

SCALE_METRIC = "survey_answer_score"
SCORE_FORMULA = "satisfaction_score"
FALLBACK_WEIGHT_GROUP = "survey_dimensions"
HUNDRED = Decimal(100)


def scale(rulebook) -> tuple[int, int]:
    rule = rulebook.rules_where(metric=SCALE_METRIC)[0]
    low, high = rule.value
    return int(low), int(high)


def weight_group(rulebook) -> str:
    formula = rulebook.formulas.get(SCORE_FORMULA)
    return (formula.weight_group if formula and formula.weight_group else None) or FALLBACK_WEIGHT_GROUP


def dimension_weights(rulebook) -> dict[str, Decimal]:
    """{dimension: weight} of the rulebook's survey weight group."""
    group = weight_group(rulebook)
    result = {}
    for rule in rulebook.rules:
        if rule.kind == "weight" and rule.group == group and rule.applies_to.get("dimension"):
            result[rule.applies_to["dimension"]] = Decimal(str(rule.value))
    return result


def dimension_rules(rulebook) -> dict:
    group = weight_group(rulebook)
    return {
        rule.applies_to["dimension"]: rule
        for rule in rulebook.rules
        if rule.kind == "weight" and rule.group == group and rule.applies_to.get("dimension")
    }


def effective_weights(questions, rulebook) -> dict[int, Decimal]:
    """{question pk: weight} for every scored (scale) question with a positive weight."""
    by_dimension = dimension_weights(rulebook)
    sharing: dict[str, int] = defaultdict(int)
    for q in questions:
        if q.is_scored and q.weight is None and q.dimension:
            sharing[q.dimension] += 1
    weights = {}
    for q in questions:
        if not q.is_scored:
            continue
        if q.weight is not None:
            weight = Decimal(q.weight)
        elif q.dimension and q.dimension in by_dimension:
            weight = by_dimension[q.dimension] / sharing[q.dimension]
        else:
            continue
        if weight > 0:
            weights[q.pk] = weight
    return weights


def weighted(pairs: list[tuple[Decimal, Decimal]], rulebook) -> Decimal | None:
    """Σ aᵢ·wᵢ / Σ wᵢ over (answer or mean answer, weight) pairs; None when nothing is scored."""
    pairs = [(a, w) for a, w in pairs if a is not None and w]
    if not pairs:
        return None
    low, high = scale(rulebook)
    return formulas.weighted_satisfaction(pairs, scale_min=low, scale_max=high, normalize=True)


def composite(counts: dict[int, int]) -> Decimal | None:
    """Σ Fᵢ·Rᵢ / Σ Fᵢ from {rating: number of answers}; None without answers."""
    pairs = [(n, rating) for rating, n in counts.items() if n]
    if not pairs:
        return None
    return formulas.composite_score(pairs)


def on_hundred(score: Decimal | None, rulebook) -> Decimal | None:
    if score is None:
        return None
    return score / scale(rulebook)[1] * HUNDRED


def rounded(value: Decimal | None, places: str = "0.01") -> Decimal | None:
    return None if value is None else value.quantize(Decimal(places))
