"""Phase outputs (REQ-QLT-01): which record proves that a phase produced each of its required outputs.

The rulebook lists every phase's outputs by id (`client_requirements_confirmation`, `meeting_plan`,
`service_contract`, `venue_layout_drawing` …). The app that keeps that record registers a check::

    # src/huiyi/projects/planning/outputs.py
    from huiyi.projects.outputs import Evidence, output

    @output("meeting_plan")
    def meeting_plan(project):
        version = PlanVersion.objects.filter(project=project, status="confirmed").first()
        if version is None:
            return None
        return Evidence(label=str(version), url=reverse("planning:version", args=[version.pk]))

and imports the module from its AppConfig.ready(). An output without a registered check is never present:
the phase cannot close on it until some app records it (or a director overrides with a reason).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Evidence:
    label: str
    url: str = ""


_REGISTRY: dict[str, Callable] = {}


def output(key: str, *, replace: bool = False):
    def decorate(function: Callable):
        if key in _REGISTRY and not replace:
            raise ImproperlyConfigured(f"phase output {key!r} is registered twice")
        _REGISTRY[key] = function
        return function

    return decorate


def evidence_for(project, key: str) -> Evidence | None:
    check = _REGISTRY.get(key)
    return check(project) if check else None


def is_registered(key: str) -> bool:
    return key in _REGISTRY
