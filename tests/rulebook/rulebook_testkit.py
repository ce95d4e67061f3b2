"""Shared helpers of the rulebook tests (no fixtures with side effects, no Django)."""

from __future__ import annotations

import copy
import os
import re
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]


def requirements_path() -> Path | None:
    """``REQUIREMENTS.md`` of the shared spec when it is present (``HUIYI_REQUIREMENTS`` overrides)."""
    candidates = [
        os.environ.get("HUIYI_REQUIREMENTS"),
        REPO_ROOT.parent / "shared" / "spec" / "REQUIREMENTS.md",
    ]
    for c in candidates:
        if c and Path(c).is_file():
            return Path(c)
    return None


def normalised(text: str) -> str:
    """Whitespace collapsed, so phrases wrapped over two lines of the Markdown still match."""
    return re.sub(r"\s+", " ", text)


def minimal_rulebook() -> dict[str, Any]:
    """The smallest valid rulebook: one phase, one control point, one rule of each common shape."""
    text = {"zh-hans": "名称", "en": "Name"}
    return copy.deepcopy(
        {
            "version": 1,
            "title": text,
            "roles": {"project_director": {"name": text}, "finance": {"name": text}},
            "phases": [
                {
                    "id": "P1",
                    "name": text,
                    "outputs": [{"id": "plan", "name": text}],
                    "control_points": ["CCP-02"],
                    "weight": 1.0,
                }
            ],
            "control_points": [
                {"id": "CCP-02", "name": text, "phase": "P1", "owner_role": "project_director"}
            ],
            "weight_groups": {"final": {"name": text, "req": "REQ-FBK-08", "sum_to_one": True}},
            "rules": [
                {
                    "id": "ccp02.budget_deviation",
                    "req": "REQ-PLN-03",
                    "clause": "§3.2 CCP 2",
                    "control_point": "CCP-02",
                    "phase": "P1",
                    "owner_role": "project_director",
                    "kind": "threshold",
                    "metric": "budget_deviation",
                    "op": "<=",
                    "value": 0.05,
                    "unit": "ratio",
                    "name": text,
                },
                {
                    "id": "ons.environment.temperature",
                    "req": "REQ-ONS-04",
                    "clause": "§2.6(2) 2.2",
                    "kind": "range",
                    "metric": "room_temperature_c",
                    "op": "between",
                    "value": [20, 24],
                    "unit": "celsius",
                    "name": text,
                },
                {
                    "id": "fbk.collect_deadline",
                    "req": "REQ-FBK-03",
                    "clause": "§2.9(2)",
                    "kind": "deadline",
                    "metric": "feedback_collection_time",
                    "op": "<=",
                    "value": 3,
                    "unit": "working_days",
                    "clock": "working_days",
                    "starts_at": "meeting_end",
                    "name": text,
                },
                {
                    "id": "fbk.final_score.alpha",
                    "req": "REQ-FBK-08",
                    "clause": "§2 overview",
                    "kind": "weight",
                    "group": "final",
                    "metric": "final_score_weight",
                    "op": "==",
                    "value": 0.6,
                    "unit": "weight",
                    "name": text,
                },
                {
                    "id": "fbk.final_score.beta",
                    "req": "REQ-FBK-08",
                    "clause": "§2 overview",
                    "kind": "weight",
                    "group": "final",
                    "metric": "final_score_weight",
                    "op": "==",
                    "value": 0.4,
                    "unit": "weight",
                    "name": text,
                },
                {
                    "id": "doc.retention.attendee_list",
                    "req": "REQ-DOC-04",
                    "clause": "§4.5(2)",
                    "kind": "retention",
                    "metric": "retention_period",
                    "op": ">=",
                    "value": None,
                    "permanent": True,
                    "unit": "years",
                    "name": text,
                },
            ],
        }
    )


def rule_in(data: dict[str, Any], rule_id: str) -> dict[str, Any]:
    """The rule dict with this id inside rulebook data (for mutating a copy)."""
    for r in data["rules"]:
        if r["id"] == rule_id:
            return r
    raise KeyError(rule_id)
