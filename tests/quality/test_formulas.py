"""Property and example tests for huiyi.quality.formulas — the formulas of the standard.

Every test names the requirement it checks. The weights, scales and ranges used here are test inputs
(the standard's own values appear only as examples, as the architecture allows in tests).
"""

from __future__ import annotations

import ast
import inspect
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from huiyi.quality import formulas as f
from huiyi.quality.formulas import FormulaError

D = Decimal

# ---------------------------------------------------------------------------------------------- strategies

counts = st.integers(min_value=0, max_value=10**6)
positive_counts = st.integers(min_value=1, max_value=10**6)
# Few decimal places keep products exact, so identities can be checked with ==.
unit = st.decimals(min_value=0, max_value=1, places=3)
scores = st.decimals(min_value=0, max_value=100, places=2)
weights = st.decimals(min_value=0, max_value=100, places=2)
money = st.decimals(min_value=0, max_value=10**9, places=2)


@st.composite
def part_whole(draw, *, positive=True):
    whole = draw(positive_counts if positive else counts)
    part = draw(st.integers(min_value=0, max_value=whole))
    return part, whole


@st.composite
def unit_weights(draw, size):
    """``size`` non-negative weights with two decimal places that add up to exactly 1."""
    cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=size - 1, max_size=size - 1)))
    bounds = [0, *cuts, 100]
    return [D(bounds[i + 1] - bounds[i]) / 100 for i in range(size)]


def raises_naming(argument, func, *args, **kwargs):
    """Call ``func`` and check it raises FormulaError naming ``argument``; return the error."""
    with pytest.raises(FormulaError) as info:
        func(*args, **kwargs)
    error = info.value
    assert error.argument == argument
    assert argument in str(error)
    assert str(error).endswith(".")
    return error


# ------------------------------------------------------------------------------------- module conventions


def test_REQ_GEN_04_formulas_module_is_pure_python_without_django():
    """REQ-GEN-04 (all formulas): the module imports no Django, so it can be used anywhere."""
    tree = ast.parse(Path(f.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")
    assert not any(name.split(".")[0] == "django" for name in imported)


@pytest.mark.parametrize(
    ("func", "parameters"),
    [
        (f.final_service_score, ["alpha", "beta"]),
        (f.weighted_satisfaction, ["scale_min", "scale_max"]),
        (f.service_quality_index, ["max_score"]),
        (f.resource_total, ["alpha", "alpha_min", "alpha_max"]),
        (f.change_cost_impact, ["coefficient"]),
    ],
)
def test_REQ_FBK_08_REQ_RES_01_REQ_CON_03_spec_values_are_never_defaulted(func, parameters):
    """REQ-FBK-08, REQ-RES-01, REQ-CON-03, REQ-FBK-01, REQ-QLT-04: weights, scales and ranges of the
    standard come from the rulebook through the caller — the functions give them no default."""
    signature = inspect.signature(func)
    for name in parameters:
        assert signature.parameters[name].default is inspect.Parameter.empty, name


def test_REQ_GEN_04_formula_error_is_value_error_with_argument_code_params():
    """REQ-GEN-04: FormulaError is a ValueError carrying the argument, a code and params for translation."""
    error = raises_naming("satisfied", f.satisfaction_rate, 5, 4)
    assert isinstance(error, ValueError)
    assert str(error) == "satisfied must not exceed clients."
    assert error.code == "exceeds"
    assert error.params["argument"] == "satisfied"
    assert error.params["other"] == "clients"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1, D(1)),
        (D("0.25"), D("0.25")),
        ("0.5", D("0.5")),
        (" 0.5 ", D("0.5")),
        (0.1, D("0.1")),  # a float goes through str(), not its binary expansion
        (Fraction(1, 4), D("0.25")),
    ],
)
def test_REQ_GEN_04_accepts_int_decimal_str_fraction_and_float_via_str(value, expected):
    """REQ-GEN-04: inputs may be int, Decimal, numeric str, Fraction, or float (converted via str)."""
    result = f.service_quality(value, 1, 1)
    assert isinstance(result, Decimal)
    assert result == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (True, "not_a_number"),
        (None, "not_a_number"),
        ("abc", "not_a_number"),
        ("", "not_a_number"),
        ([1], "not_a_number"),
        (D("NaN"), "not_finite"),
        (D("Infinity"), "not_finite"),
        (float("nan"), "not_finite"),
        (float("inf"), "not_finite"),
        ("-Infinity", "not_finite"),
    ],
)
def test_REQ_GEN_04_rejects_non_numbers_naming_the_argument(value, code):
    """REQ-GEN-04: bool, None, text, NaN and infinities are refused with the argument named."""
    error = raises_naming("e", f.service_quality, 1, value, 1)
    assert error.code == code


# ------------------------------------------------------------------------------------------------ ratios


@given(part_whole())
def test_REQ_GEN_04_ratio_is_part_over_whole_in_unit_interval(pw):
    """REQ-GEN-04: a rate is part / whole and lies in [0, 1]."""
    part, whole = pw
    result = f.ratio(part, whole)
    assert result == D(part) / D(whole)
    assert 0 <= result <= 1


@given(positive_counts)
def test_REQ_GEN_04_ratio_is_one_when_part_equals_whole(whole):
    """REQ-GEN-04: all of the whole gives exactly 1."""
    assert f.ratio(whole, whole) == 1


def test_REQ_GEN_04_ratio_empty_whole_raises_unless_empty_given():
    """REQ-GEN-04: a zero denominator raises, naming it, unless the caller gives an `empty` value."""
    error = raises_naming("clients", f.satisfaction_rate, 0, 0)
    assert str(error) == "clients must be greater than zero."
    assert f.satisfaction_rate(0, 0, empty=None) is None
    assert f.satisfaction_rate(0, 0, empty=D(1)) == 1
    assert f.ratio(0, 0, empty="n/a") == "n/a"
    # a positive part over an empty whole is still an error, even with `empty`
    raises_naming("satisfied", f.satisfaction_rate, 1, 0, empty=None)


@given(counts, positive_counts)
def test_REQ_GEN_04_ratio_rejects_negative_counts(count, other):
    """REQ-GEN-04: negative counts are refused, naming the argument."""
    error = raises_naming("part", f.ratio, -count - 1, other)
    assert str(error) == "part must not be negative."
    raises_naming("whole", f.ratio, 0, -other)


@given(positive_counts, st.integers(min_value=1, max_value=1000))
def test_REQ_GEN_04_ratio_rejects_part_above_whole(whole, excess):
    """REQ-GEN-04: part > whole is refused, naming the part."""
    raises_naming("part", f.ratio, whole + excess, whole)


def test_REQ_GEN_04_ratio_uses_given_argument_names():
    """REQ-GEN-04: callers choose the names shown in messages."""
    error = raises_naming("tickets", f.ratio, 3, 2, part_name="tickets", whole_name="seats")
    assert str(error) == "tickets must not exceed seats."


@pytest.mark.parametrize(
    ("func", "part_name", "whole_name"),
    [
        pytest.param(f.satisfaction_rate, "satisfied", "clients", id="REQ-GEN-04-S"),
        pytest.param(f.on_time_rate, "on_time", "total", id="REQ-GEN-04-E"),
        pytest.param(f.standard_rate, "meeting_standard", "total", id="REQ-GEN-04-P"),
        pytest.param(f.collection_rate, "responses", "attendees", id="REQ-FBK-02"),
        pytest.param(f.completion_rate, "done", "total", id="REQ-FBK-04"),
        pytest.param(f.error_rate, "discrepancies", "confirmed_items", id="REQ-INT-07-REQ-RES-05"),
        pytest.param(f.failure_rate, "faults", "units", id="REQ-TEC-02-REQ-CON-01"),
    ],
)
def test_REQ_GEN_04_REQ_FBK_02_REQ_FBK_04_REQ_INT_07_REQ_RES_05_REQ_TEC_02_named_rates(
    func, part_name, whole_name
):
    """REQ-GEN-04 (S, E, P), REQ-FBK-02 (collection), REQ-FBK-04 (completion), REQ-INT-07 / REQ-RES-05
    (error rate), REQ-TEC-02 / REQ-CON-01 (failure rate): part / whole with their own argument names."""
    assert func(3, 4) == D("0.75")
    assert func(0, 4) == 0
    assert func(0, 0, empty=None) is None
    error = raises_naming(part_name, func, 5, 4)
    assert str(error) == f"{part_name} must not exceed {whole_name}."
    raises_naming(part_name, func, -1, 4)
    raises_naming(whole_name, func, 0, -4)
    raises_naming(whole_name, func, 0, 0)
    raises_naming(whole_name, func, 1, "x")


@given(part_whole(), st.integers(min_value=0, max_value=10**6))
def test_REQ_GEN_04_more_satisfied_never_lowers_S(pw, extra):
    """REQ-GEN-04: S is monotone in the number of satisfied clients."""
    satisfied, clients = pw
    more = min(clients, satisfied + extra)
    assert f.satisfaction_rate(more, clients) >= f.satisfaction_rate(satisfied, clients)


@given(part_whole())
def test_REQ_FBK_02_collection_rate_within_unit_interval(pw):
    """REQ-FBK-02: collection rate = responses / attendees lies in [0, 1]."""
    responses, attendees = pw
    assert 0 <= f.collection_rate(responses, attendees) <= 1


def test_REQ_FBK_02_responses_may_not_exceed_attendees():
    """REQ-FBK-02: more responses than attendees is an input error."""
    error = raises_naming("responses", f.collection_rate, 101, 100)
    assert str(error) == "responses must not exceed attendees."


@given(part_whole())
def test_REQ_RES_08_electrical_safety_pass_rate_is_one_minus_fault_rate(pw):
    """REQ-RES-08: pass rate = 1 − faults / devices tested, within [0, 1]."""
    faults, devices = pw
    result = f.electrical_safety_pass_rate(faults, devices)
    assert result == 1 - D(faults) / D(devices)
    assert 0 <= result <= 1


@given(part_whole(), st.integers(min_value=0, max_value=1000))
def test_REQ_RES_08_more_faults_never_raise_pass_rate(pw, extra):
    """REQ-RES-08: the pass rate does not increase with more faults."""
    faults, devices = pw
    more = min(devices, faults + extra)
    assert f.electrical_safety_pass_rate(more, devices) <= f.electrical_safety_pass_rate(faults, devices)


def test_REQ_RES_08_electrical_safety_pass_rate_examples_and_errors():
    """REQ-RES-08: examples, empty handling and errors naming the argument."""
    assert f.electrical_safety_pass_rate(0, 20) == 1
    assert f.electrical_safety_pass_rate(1, 4) == D("0.75")
    assert f.electrical_safety_pass_rate(0, 0, empty=None) is None
    raises_naming("devices_tested", f.electrical_safety_pass_rate, 0, 0)
    raises_naming("faults", f.electrical_safety_pass_rate, 5, 4)
    raises_naming("faults", f.electrical_safety_pass_rate, -1, 4)
    raises_naming("devices_tested", f.electrical_safety_pass_rate, 0, -1)


# ------------------------------------------------------------------------------------------ Q = S × E × P


@given(unit, unit, unit)
def test_REQ_GEN_04_quality_is_product(s, e, p):
    """REQ-GEN-04: Q = S × E × P, and lies in [0, 1]."""
    q = f.service_quality(s, e, p)
    assert q == s * e * p
    assert 0 <= q <= 1


@given(unit, unit, unit, unit, st.sampled_from([0, 1, 2]))
def test_REQ_GEN_04_quality_monotone_in_each_factor(a, b, c, d, position):
    """REQ-GEN-04: raising any one of S, E, P never lowers Q."""
    low, high = sorted([a, b])
    args_low = [c, d, c]
    args_high = list(args_low)
    args_low[position] = low
    args_high[position] = high
    assert f.service_quality(*args_high) >= f.service_quality(*args_low)


@given(unit, unit, unit)
def test_REQ_GEN_04_quality_is_one_iff_all_factors_are_one(s, e, p):
    """REQ-GEN-04: Q = 1 exactly when S = E = P = 1."""
    assert (f.service_quality(s, e, p) == 1) == (s == e == p == 1)
    assert f.service_quality(1, 1, 1) == 1


@pytest.mark.parametrize("position", [0, 1, 2])
@pytest.mark.parametrize("bad", [D("-0.001"), D("1.001"), 2, -1])
def test_REQ_GEN_04_quality_factors_must_be_fractions(position, bad):
    """REQ-GEN-04: S, E and P outside [0, 1] are refused, naming s, e or p."""
    args = [1, 1, 1]
    args[position] = bad
    name = "sep"[position]
    error = raises_naming(name, f.service_quality, *args)
    assert str(error) == f"{name} must be between 0 and 1."
    assert error.code == "out_of_range"


# ------------------------------------------------------------------------------------- final service score


@given(scores, st.integers(min_value=0, max_value=100))
def test_REQ_FBK_08_final_score_with_equal_inputs_is_that_input(x, alpha_percent):
    """REQ-FBK-08: with S = E = x, α·S + β·E = x for any α + β = 1."""
    alpha = D(alpha_percent) / 100
    beta = 1 - alpha
    assert f.final_service_score(x, x, alpha, beta) == x


@given(scores, scores, st.integers(min_value=0, max_value=100))
def test_REQ_FBK_08_final_score_is_weighted_sum_between_inputs(s, e, alpha_percent):
    """REQ-FBK-08: final = α·S + β·E and lies between S and E."""
    alpha = D(alpha_percent) / 100
    beta = 1 - alpha
    result = f.final_service_score(s, e, alpha, beta)
    assert result == alpha * s + beta * e
    assert min(s, e) <= result <= max(s, e)


def test_REQ_FBK_08_final_score_example_and_third_weights():
    """REQ-FBK-08: the standard's α = 0.6, β = 0.4 example; weights of 1/3 and 2/3 are accepted."""
    assert f.final_service_score(D("80"), D("90"), D("0.6"), D("0.4")) == D("84")
    assert f.final_service_score("0.8", "0.9", 0.6, 0.4) == D("0.84")
    third = D(1) / D(3)
    result = f.final_service_score(90, 60, third, 1 - third)
    assert abs(result - 70) < D("1e-20")
    assert f.final_service_score(90, 60, Fraction(1, 3), Fraction(2, 3)) == pytest.approx(70)


@given(st.integers(0, 100), st.integers(0, 100))
def test_REQ_FBK_08_weights_must_sum_to_one(a, b):
    """REQ-FBK-08: α + β ≠ 1 is refused, naming alpha and beta."""
    assume(a + b != 100)
    error = raises_naming("alpha", f.final_service_score, 1, 1, D(a) / 100, D(b) / 100)
    assert "beta" in str(error)
    assert error.code == "weights_sum"


def test_REQ_FBK_08_final_score_errors_name_the_argument():
    """REQ-FBK-08: negative weights or scores and scores above max_score are refused by name."""
    raises_naming("alpha", f.final_service_score, 1, 1, -1, 2)
    raises_naming("beta", f.final_service_score, 1, 1, 2, -1)
    raises_naming("s", f.final_service_score, -1, 1, D("0.5"), D("0.5"))
    raises_naming("e", f.final_service_score, 1, -1, D("0.5"), D("0.5"))
    raises_naming("s", f.final_service_score, 101, 1, D("0.5"), D("0.5"), max_score=100)
    raises_naming("e", f.final_service_score, 1, 101, D("0.5"), D("0.5"), max_score=100)
    raises_naming("max_score", f.final_service_score, 1, 1, D("0.5"), D("0.5"), max_score=0)
    assert f.final_service_score(100, 50, D("0.5"), D("0.5"), max_score=100) == 75


# ----------------------------------------------------------------------------- requirement completeness


@given(st.lists(st.tuples(weights, unit), min_size=1, max_size=10))
def test_REQ_INT_05_completeness_within_unit_interval(items):
    """REQ-INT-05: I = Σ Wᵢ·Cᵢ / Σ Wᵢ lies in [0, 1]."""
    assume(sum(w for w, _ in items) > 0)
    result = f.requirement_completeness(items)
    assert 0 <= result <= 1
    total = sum(w for w, _ in items)
    assert result == sum(w * c for w, c in items) / total


@given(st.lists(weights, min_size=1, max_size=10))
def test_REQ_INT_05_completeness_with_all_items_complete_is_one(item_weights):
    """REQ-INT-05: when every Cᵢ = 1, I = 1."""
    assume(sum(item_weights) > 0)
    assert f.requirement_completeness((w, 1) for w in item_weights) == 1


@given(st.lists(st.tuples(weights, unit), min_size=1, max_size=10), st.data())
def test_REQ_INT_05_completeness_monotone_in_each_item(items, data):
    """REQ-INT-05: completing more of one item never lowers I."""
    assume(sum(w for w, _ in items) > 0)
    index = data.draw(st.integers(0, len(items) - 1))
    weight, completion = items[index]
    better = data.draw(st.decimals(min_value=completion, max_value=1, places=3))
    improved = list(items)
    improved[index] = (weight, better)
    assert f.requirement_completeness(improved) >= f.requirement_completeness(items)


def test_REQ_INT_05_completeness_errors_name_the_item():
    """REQ-INT-05: bad items are refused, naming the item and field."""
    raises_naming("items[1].completion", f.requirement_completeness, [(1, 1), (1, D("1.5"))])
    raises_naming("items[0].completion", f.requirement_completeness, [(1, -1)])
    raises_naming("items[0].weight", f.requirement_completeness, [(-1, 1)])
    raises_naming("items[0]", f.requirement_completeness, [(1, 1, 1)])
    raises_naming("items[0]", f.requirement_completeness, [5])
    raises_naming("items", f.requirement_completeness, [])
    raises_naming("items", f.requirement_completeness, 5)
    error = raises_naming("items", f.requirement_completeness, [(0, 1), (0, D("0.5"))])
    assert error.code == "zero_weight"
    assert f.requirement_completeness([(3, 1), (1, 0)]) == D("0.75")


# ---------------------------------------------------------------------------------- weighted satisfaction


@st.composite
def survey(draw):
    size = draw(st.integers(1, 8))
    item_weights = draw(unit_weights(size))
    answers = draw(st.lists(st.integers(1, 5), min_size=size, max_size=size))
    return list(zip(answers, item_weights, strict=True))


@given(survey())
def test_REQ_FBK_01_weighted_satisfaction_within_scale(answers):
    """REQ-FBK-01: Σ aᵢ·wᵢ with Σ wᵢ = 1 lies within the answer scale."""
    result = f.weighted_satisfaction(answers, scale_min=1, scale_max=5)
    assert result == sum(D(a) * w for a, w in answers)
    assert 1 <= result <= 5


@given(survey(), st.integers(1, 5))
def test_REQ_FBK_01_equal_answers_give_that_answer(answers, value):
    """REQ-FBK-01: if every item is answered a, the score is a."""
    same = [(value, w) for _, w in answers]
    assert f.weighted_satisfaction(same, scale_min=1, scale_max=5) == value


@given(survey(), st.data())
def test_REQ_FBK_01_better_answer_never_lowers_score(answers, data):
    """REQ-FBK-01: raising one answer never lowers the satisfaction score."""
    index = data.draw(st.integers(0, len(answers) - 1))
    answer, weight = answers[index]
    better = data.draw(st.integers(answer, 5))
    improved = list(answers)
    improved[index] = (better, weight)
    assert f.weighted_satisfaction(improved, scale_min=1, scale_max=5) >= f.weighted_satisfaction(
        answers, scale_min=1, scale_max=5
    )


@given(st.lists(st.tuples(st.integers(1, 5), weights), min_size=1, max_size=8))
def test_REQ_FBK_01_normalize_divides_by_weight_total(answers):
    """REQ-FBK-01: with normalize=True any positive weights are accepted and divided by their total."""
    total = sum(w for _, w in answers)
    assume(total > 0)
    result = f.weighted_satisfaction(answers, scale_min=1, scale_max=5, normalize=True)
    assert result == sum(D(a) * w for a, w in answers) / total
    assert 1 <= result <= 5


def test_REQ_FBK_01_weighted_satisfaction_errors_name_the_argument():
    """REQ-FBK-01: weights not adding up to 1, answers off the scale and a bad scale are refused."""
    error = raises_naming(
        "answers", f.weighted_satisfaction, [(5, "0.3"), (4, "0.3")], scale_min=1, scale_max=5
    )
    assert str(error) == "Weights in answers must add up to 1 (they add up to 0.6)."
    assert error.code == "weights_sum"
    raises_naming(
        "answers[1].answer", f.weighted_satisfaction, [(5, "0.5"), (6, "0.5")], scale_min=1, scale_max=5
    )
    raises_naming("answers[0].answer", f.weighted_satisfaction, [(0, 1)], scale_min=1, scale_max=5)
    raises_naming("answers[0].weight", f.weighted_satisfaction, [(5, -1), (5, 2)], scale_min=1, scale_max=5)
    raises_naming("scale_min", f.weighted_satisfaction, [(5, 1)], scale_min=5, scale_max=5)
    raises_naming("scale_max", f.weighted_satisfaction, [(5, 1)], scale_min=1, scale_max="x")
    raises_naming("answers", f.weighted_satisfaction, [], scale_min=1, scale_max=5)
    raises_naming("answers", f.weighted_satisfaction, [(5, 0)], scale_min=1, scale_max=5, normalize=True)
    with pytest.raises(TypeError):
        f.weighted_satisfaction([(5, 1)])  # the scale is the caller's (rulebook's), never defaulted


# ------------------------------------------------------------------------------------------ composite score


@given(st.lists(weights, min_size=1, max_size=10), scores)
def test_REQ_FBK_01_composite_of_equal_ratings_is_that_rating(frequencies, rating):
    """REQ-FBK-01: Σ Fᵢ·R / Σ Fᵢ = R."""
    assume(sum(frequencies) > 0)
    assert f.composite_score((fr, rating) for fr in frequencies) == rating


@given(st.lists(st.tuples(weights, scores), min_size=1, max_size=10))
def test_REQ_FBK_01_composite_between_smallest_and_largest_rating(pairs):
    """REQ-FBK-01: the composite lies between the smallest and the largest rating."""
    assume(sum(fr for fr, _ in pairs) > 0)
    result = f.composite_score(pairs)
    assert min(r for _, r in pairs) <= result <= max(r for _, r in pairs)


def test_REQ_FBK_01_composite_errors_name_the_argument():
    """REQ-FBK-01: negative F, zero ΣF, bad R and malformed pairs are refused by name."""
    assert f.composite_score([(3, 4), (1, 2)]) == D("3.5")
    raises_naming("pairs[0].F", f.composite_score, [(-1, 4)])
    raises_naming("pairs[1].R", f.composite_score, [(1, 4), (1, "NaN")])
    raises_naming("pairs", f.composite_score, [(0, 4), (0, 5)])
    raises_naming("pairs", f.composite_score, [])
    raises_naming("pairs[0]", f.composite_score, ["ab"])


# ---------------------------------------------------------------------------------- service quality index


@given(st.lists(st.decimals(min_value=0, max_value=10, places=1), min_size=1, max_size=12))
def test_REQ_QLT_04_index_is_mean_within_bounds(item_scores):
    """REQ-QLT-04: index = Σ scores / n, within [0, max_score]."""
    result = f.service_quality_index(item_scores, max_score=10)
    assert result == sum(item_scores) / len(item_scores)
    assert 0 <= result <= 10


@given(st.decimals(min_value=0, max_value=10, places=1), st.integers(1, 12))
def test_REQ_QLT_04_index_of_equal_scores_is_that_score(score, n):
    """REQ-QLT-04: n equal scores give that score."""
    assert f.service_quality_index([score] * n, max_score=10) == score


def test_REQ_QLT_04_index_errors_name_the_argument():
    """REQ-QLT-04: empty forms, scores outside [0, max_score] and bad max_score are refused by name."""
    raises_naming("scores", f.service_quality_index, [], max_score=10)
    raises_naming("scores[2]", f.service_quality_index, [1, 2, 11], max_score=10)
    raises_naming("scores[0]", f.service_quality_index, [-1], max_score=10)
    raises_naming("max_score", f.service_quality_index, [1], max_score=0)
    raises_naming("scores", f.service_quality_index, "8", max_score=10)
    assert f.service_quality_index(iter([8, 9, 10]), max_score=10) == 9


# ------------------------------------------------------------------------------------ phase-weighted quality


PHASES = ["design", "preparation", "execution", "evaluation", "improvement"]


@st.composite
def phases(draw):
    size = draw(st.integers(1, len(PHASES)))
    keys = PHASES[:size]
    phase_weights = dict(zip(keys, draw(unit_weights(size)), strict=True))
    phase_scores = {key: draw(scores) for key in keys}
    return phase_scores, phase_weights


@given(phases())
def test_REQ_QLT_02_overall_quality_is_weighted_sum_within_score_range(data):
    """REQ-QLT-02: overall = Σ weight × score lies between the lowest and highest phase score."""
    phase_scores, phase_weights = data
    result = f.phase_weighted_quality(phase_scores, phase_weights)
    assert result == sum(phase_weights[k] * phase_scores[k] for k in phase_scores)
    assert min(phase_scores.values()) <= result <= max(phase_scores.values())


@given(phases(), scores)
def test_REQ_QLT_02_equal_phase_scores_give_that_score(data, score):
    """REQ-QLT-02: if every phase scores x, overall quality is x."""
    _, phase_weights = data
    assert f.phase_weighted_quality(dict.fromkeys(phase_weights, score), phase_weights) == score


def test_REQ_QLT_02_normalize_and_errors():
    """REQ-QLT-02: keys must match, weights sum to 1 unless normalize=True; errors name the argument."""
    assert f.phase_weighted_quality({"a": 80, "b": 60}, {"a": 3, "b": 1}, normalize=True) == 75
    error = raises_naming("weights", f.phase_weighted_quality, {"a": 80, "b": 60}, {"a": 3, "b": 1})
    assert str(error) == "weights must add up to 1 (they add up to 4)."
    error = raises_naming("weights", f.phase_weighted_quality, {"a": 80, "b": 60}, {"a": 1})
    assert str(error) == "weights has no entry for phase b."
    error = raises_naming("phase_scores", f.phase_weighted_quality, {"a": 80}, {"a": 1, "c": 0})
    assert str(error) == "phase_scores has no entry for phase c."
    raises_naming("weights[a]", f.phase_weighted_quality, {"a": 80, "b": 60}, {"a": -1, "b": 2})
    raises_naming("phase_scores[b]", f.phase_weighted_quality, {"a": 80, "b": -60}, {"a": 1, "b": 0})
    raises_naming("phase_scores", f.phase_weighted_quality, {}, {})
    raises_naming("phase_scores", f.phase_weighted_quality, [80], {"a": 1})
    raises_naming("weights", f.phase_weighted_quality, {"a": 80}, [1])
    raises_naming("weights", f.phase_weighted_quality, {"a": 80}, {"a": 0}, normalize=True)


# ------------------------------------------------------------------------------------------ resource total


alphas = st.decimals(min_value=0, max_value=2, places=2)


@given(money, money, money, alphas)
def test_REQ_RES_01_resource_total_identity(base, standard, custom, alpha):
    """REQ-RES-01: R_total = R_base + R_standard + α·R_custom, never below R_base + R_standard."""
    result = f.resource_total(base, standard, custom, alpha, alpha_min=0, alpha_max=2)
    assert result == base + standard + alpha * custom
    assert result >= base + standard


@given(money, money, money, alphas, alphas)
def test_REQ_RES_01_resource_total_monotone_in_alpha(base, standard, custom, a, b):
    """REQ-RES-01: a larger α never lowers R_total."""
    low, high = sorted([a, b])
    kwargs = {"alpha_min": 0, "alpha_max": 2}
    assert f.resource_total(base, standard, custom, high, **kwargs) >= f.resource_total(
        base, standard, custom, low, **kwargs
    )


def test_REQ_RES_01_resource_total_errors_name_the_argument():
    """REQ-RES-01: α outside the caller's range, a reversed range and negative resources are refused."""
    error = raises_naming("alpha", f.resource_total, 1, 1, 1, D("2.1"), alpha_min=0, alpha_max=2)
    assert str(error) == "alpha must be between 0 and 2."
    raises_naming("alpha", f.resource_total, 1, 1, 1, D("-0.1"), alpha_min=0, alpha_max=2)
    raises_naming("alpha_min", f.resource_total, 1, 1, 1, 1, alpha_min=2, alpha_max=1)
    raises_naming("alpha_min", f.resource_total, 1, 1, 1, 1, alpha_min=-1, alpha_max=1)
    raises_naming("r_base", f.resource_total, -1, 1, 1, 1, alpha_min=0, alpha_max=2)
    raises_naming("r_standard", f.resource_total, 1, -1, 1, 1, alpha_min=0, alpha_max=2)
    raises_naming("r_custom", f.resource_total, 1, 1, -1, 1, alpha_min=0, alpha_max=2)
    with pytest.raises(TypeError):
        f.resource_total(1, 1, 1, 1)  # the α range lives in the rulebook, never defaulted


# ------------------------------------------------------------------------------------------ change cost


def test_REQ_CON_03_extension_by_a_third_costs_a_quarter_more():
    """REQ-CON-03: the standard's example — extended by 1/3 with coefficient 0.75 → +25 %."""
    assert f.change_cost_impact(D("10000.00"), Fraction(1, 3), D("0.75")) == D("2500.00")
    assert f.change_cost_impact(D("10000.00"), D(1) / D(3), D("0.75")) == D("2500.00")
    assert f.change_cost_impact("120000", "0.5", "1") == D("60000.00")


def test_REQ_CON_03_result_is_money_rounded_half_up():
    """REQ-CON-03: the extra amount is quantized to 0.01 with ROUND_HALF_UP."""
    assert f.change_cost_impact(D("0.05"), D("0.5"), D("1")) == D("0.03")  # 0.025 → 0.03
    assert f.change_cost_impact(D("0.05"), D("0.1"), D("1")) == D("0.01")  # 0.005 → 0.01
    assert f.change_cost_impact(D("99.99"), 0, D("0.75")) == D("0.00")
    assert f.change_cost_impact(D("10"), D("1"), D("1"), quantum=D("1")) == D("10")


@given(money, unit, st.decimals(min_value=0, max_value=3, places=2))
def test_REQ_CON_03_change_cost_is_rounded_product(base, extension, coefficient):
    """REQ-CON-03: extra = base × extension × coefficient, to the cent."""
    result = f.change_cost_impact(base, extension, coefficient)
    assert result.as_tuple().exponent == -2
    assert abs(result - base * extension * coefficient) <= D("0.005")


def test_REQ_CON_03_change_cost_errors_name_the_argument():
    """REQ-CON-03: negative base cost, ratio or coefficient are refused by name."""
    raises_naming("base_cost", f.change_cost_impact, -1, 1, 1)
    raises_naming("extension_ratio", f.change_cost_impact, 1, -1, 1)
    raises_naming("coefficient", f.change_cost_impact, 1, 1, -1)
    raises_naming("base_cost", f.change_cost_impact, "ten", 1, 1)
    raises_naming("quantum", f.change_cost_impact, 1, 1, 1, quantum=D(0))


# --------------------------------------------------------------------------------------------- deviations


@given(money, st.decimals(min_value=D("0.01"), max_value=10**9, places=2))
def test_REQ_PLN_03_budget_deviation_is_relative_absolute_difference(planned, budget):
    """REQ-PLN-03: |planned − budget| / budget, non-negative, zero iff planned = budget."""
    result = f.budget_deviation(planned, budget)
    assert result == abs(planned - budget) / budget
    assert result >= 0
    assert (result == 0) == (planned == budget)


def test_REQ_PLN_03_budget_deviation_examples_and_errors():
    """REQ-PLN-03: over and under budget count alike; budget must be positive."""
    assert f.budget_deviation(D("105000"), D("100000")) == D("0.05")
    assert f.budget_deviation(D("95000"), D("100000")) == D("0.05")
    error = raises_naming("budget", f.budget_deviation, 1, 0)
    assert str(error) == "budget must be greater than zero."
    raises_naming("budget", f.budget_deviation, 1, -5)
    raises_naming("planned", f.budget_deviation, -1, 5)


@given(st.integers(1, 10_000), st.integers(0, 20_000))
def test_REQ_ONS_05_process_deviation_is_relative_absolute_difference(planned, actual):
    """REQ-ONS-05: |actual − planned| / planned, non-negative, zero iff on plan."""
    result = f.process_deviation(planned, actual)
    assert result == D(abs(actual - planned)) / D(planned)
    assert (result == 0) == (actual == planned)


def test_REQ_ONS_05_process_deviation_examples_and_errors():
    """REQ-ONS-05: a 60-minute segment run in 66 minutes deviates by 10 %; planned must be positive."""
    assert f.process_deviation(60, 66) == D("0.1")
    assert f.process_deviation(60, 54) == D("0.1")
    raises_naming("planned_minutes", f.process_deviation, 0, 5)
    raises_naming("actual_minutes", f.process_deviation, 5, -1)


# --------------------------------------------------------------------------------------------- percentage


@given(part_whole())
def test_REQ_FBK_02_percentage_is_fraction_times_hundred(pw):
    """REQ-FBK-02 (shown "× 100 %"): a stored fraction is displayed as a percentage in [0, 100]."""
    responses, attendees = pw
    rate = f.collection_rate(responses, attendees)
    shown = f.percentage(rate)
    assert shown == rate * 100
    assert 0 <= shown <= 100


def test_REQ_FBK_02_percentage_rounding_and_errors():
    """REQ-FBK-02: percentage() quantizes half up on request and names its argument on bad input."""
    assert f.percentage(D("0.95")) == D("95")
    assert f.percentage(D("0.12345"), places=2) == D("12.35")
    assert f.percentage(f.collection_rate(1, 3), places=1) == D("33.3")
    assert f.percentage("1.5") == D("150")
    raises_naming("fraction", f.percentage, "abc")
    raises_naming("places", f.percentage, D("0.5"), places=-1)
