"""ARCHITECTURE.md, "the standard is data": no threshold, ratio or weight of the specification is written as a
literal in Python outside the rulebook. This scans the source for the rulebook's unmistakable numbers: its
ratios and weights (fractions such as 0.05, 0.95, 0.6) and its negative thresholds (−65 dBm). Whole
numbers are left out: 40 is as often a max_length as a signal-to-noise ratio."""

import ast
from pathlib import Path

from huiyi.rulebook.loader import default_rulebook

SOURCE = Path(__file__).resolve().parents[2] / "src" / "huiyi"
EXEMPT_PARTS = {"rulebook", "migrations"}
# The history generators (huiyi demo --scale, bench/) draw synthetic records with random shares (a check-in
# rate, a drill share): they compare nothing with the standard, and read its thresholds from the rulebook
# where a value must pass or fail.
EXEMPT_FILES = {"scale.py"}
# A half is too common (timeouts, rounding) to mean the specification; so are small negative offsets
# (−3 is a tolerance of the agenda, and as often three days ago in a demo).
COMMON = {0.5}
SMALL_NEGATIVE = -10


def distinctive_values() -> set:
    values = set()
    for rule in default_rulebook().rules:
        if rule.source != "spec" or rule.value is None:
            continue
        for number in rule.value if isinstance(rule.value, tuple) else (rule.value,):
            if isinstance(number, bool):
                continue
            if (
                isinstance(number, float)
                and 0 < number < 1
                and number not in COMMON
                or number <= SMALL_NEGATIVE
            ):
                values.add(number)
    return values


def literals(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.UnaryOp)
            and isinstance(node.op, ast.USub)
            and isinstance(node.operand, ast.Constant)
        ):
            if isinstance(node.operand.value, int | float) and not isinstance(node.operand.value, bool):
                yield node.lineno, -node.operand.value
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, int | float)
            and not isinstance(node.value, bool)
        ):
            yield node.lineno, node.value


def test_REQ_QLT_03_no_specification_number_is_a_python_literal_outside_the_rulebook():
    watched = distinctive_values()
    assert {0.05, 0.95, -65} <= watched  # the scan looks for what it should
    found = []
    for path in SOURCE.rglob("*.py"):
        if EXEMPT_PARTS & set(path.relative_to(SOURCE).parts) or path.name in EXEMPT_FILES:
            continue
        for line, value in literals(path):
            if (isinstance(value, float) or value < 0) and value in watched:
                found.append(f"{path.relative_to(SOURCE)}:{line}: {value}")
    assert not found, "specification numbers written in Python (read them from the rulebook):\n" + "\n".join(
        found
    )
