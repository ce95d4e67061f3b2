"""Whether a phase may close (REQ-QLT-01): its outputs exist and its control points have been evaluated."""

from __future__ import annotations

from dataclasses import dataclass, field

from huiyi.core.translation import localize
from huiyi.rulebook.services import rulebook_for

from .models import MeetingProject, Phase
from .outputs import Evidence, evidence_for


@dataclass
class OutputState:
    key: str
    name: str
    evidence: Evidence | None


@dataclass
class ControlPointState:
    key: str
    name: str
    criteria: int
    evaluated: int
    failed: int

    @property
    def complete(self) -> bool:
        return self.criteria > 0 and self.evaluated == self.criteria


@dataclass
class PhaseReadiness:
    phase: int
    label: str
    outputs: list[OutputState] = field(default_factory=list)
    control_points: list[ControlPointState] = field(default_factory=list)

    @property
    def missing_outputs(self) -> list[OutputState]:
        return [o for o in self.outputs if o.evidence is None]

    @property
    def unevaluated(self) -> list[ControlPointState]:
        return [c for c in self.control_points if not c.complete]

    @property
    def ready(self) -> bool:
        return not self.missing_outputs and not self.unevaluated

    def missing_summary(self) -> dict:
        return {
            "outputs": [o.key for o in self.missing_outputs],
            "control_points": [c.key for c in self.unevaluated],
        }


def readiness(project: MeetingProject, phase: int | None = None) -> PhaseReadiness:
    from huiyi.quality.queries import current_results  # the quality app reads projects; import late

    phase = phase or project.phase
    rulebook = rulebook_for(project)
    definition = rulebook.phases[phase - 1]
    state = PhaseReadiness(phase=phase, label=str(Phase(phase).label))
    for item in definition.outputs:
        state.outputs.append(
            OutputState(item.id, localize(item.name.as_dict()), evidence_for(project, item.id))
        )
    results = current_results(project)
    for key in definition.control_points:
        rules = [r for r in rulebook.rules_for(key) if r.kind in {"threshold", "checklist", "range", "ratio"}]
        evaluated = [
            results[r.id] for r in rules if r.id in results and results[r.id].verdict != "not_measurable"
        ]
        control_point = rulebook.control_point(key)
        state.control_points.append(
            ControlPointState(
                key=key,
                name=localize(control_point.name.as_dict()),
                criteria=len(rules),
                evaluated=len(evaluated),
                failed=sum(1 for r in evaluated if r.verdict == "fail"),
            )
        )
    return state
