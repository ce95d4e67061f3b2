"""Likelihood × impact → risk level (REQ-INC-10), with the four levels of the project's rulebook.

The levels and their names are the rulebook's rules of metric ``risk_level`` (inc.risk_level.1–4). The matrix
(scales and score bands) is read from the rulebook's top-level ``risk_matrix`` when it has one, else from
``risk_matrix.yaml`` beside this module (the documented default; the standard gives no matrix).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from huiyi.rulebook.display import text

DEFAULT_FILE = Path(__file__).with_name("risk_matrix.yaml")
LEVEL_METRIC = "risk_level"


@dataclass(frozen=True)
class Level:
    number: int
    code: str
    name: dict
    rule_id: str

    @property
    def label(self) -> str:
        return text(self.name)


@dataclass(frozen=True)
class Matrix:
    likelihood: dict[int, dict]
    impact: dict[int, dict]
    bands: tuple[tuple[int, int], ...]
    levels: dict[int, Level]
    source: str

    @property
    def likelihood_scale(self) -> list[int]:
        return sorted(self.likelihood)

    @property
    def impact_scale(self) -> list[int]:
        return sorted(self.impact)

    def level_number(self, likelihood: int, impact: int) -> int:
        score = likelihood * impact
        for minimum, level in self.bands:
            if score >= minimum:
                return level
        raise ValidationError({"likelihood": _("The risk matrix has no level for this score.")})

    def level(self, likelihood: int, impact: int) -> Level:
        return self.levels[self.level_number(likelihood, impact)]

    def check(self, likelihood, impact) -> tuple[int, int]:
        """Both values as whole numbers on their scales; else a ValidationError naming the field."""
        errors = {}
        values = {}
        for field, scale in (("likelihood", self.likelihood_scale), ("impact", self.impact_scale)):
            raw = likelihood if field == "likelihood" else impact
            try:
                number = int(str(raw).strip())
                if str(number) != str(raw).strip() or number not in scale:
                    raise ValueError
            except (TypeError, ValueError):
                errors[field] = _("Give a whole number from %(low)s to %(high)s.") % {
                    "low": scale[0],
                    "high": scale[-1],
                }
                continue
            values[field] = number
        if errors:
            raise ValidationError(errors)
        return values["likelihood"], values["impact"]


@functools.cache
def _default_data() -> dict:
    return yaml.safe_load(DEFAULT_FILE.read_text(encoding="utf-8"))


def matrix_for(rulebook) -> Matrix:
    data = (getattr(rulebook, "_data", None) or {}).get("risk_matrix") or _default_data()
    levels = {}
    for rule in rulebook.rules_where(metric=LEVEL_METRIC):
        number = int(rule.value)
        levels[number] = Level(number, rule.level_code or str(number), rule.name.as_dict(), rule.id)
    bands = tuple(
        sorted(((int(b["min"]), int(b["level"])) for b in data["bands"]), key=lambda band: -band[0])
    )
    unknown = {level for _minimum, level in bands} - set(levels)
    if unknown:
        raise ValueError(f"risk matrix bands name levels the rulebook does not have: {sorted(unknown)}")
    return Matrix(
        likelihood={int(k): v for k, v in data["likelihood"].items()},
        impact={int(k): v for k, v in data["impact"].items()},
        bands=bands,
        levels=levels,
        source=data.get("source", "rulebook"),
    )
