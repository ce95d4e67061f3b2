"""Reads of plan versions for views, API, reports and other apps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .models import PlanStatus, PlanVersion, ResourceLine


@dataclass(frozen=True)
class PlanResource:
    """A resource line of the confirmed plan, as the resources app books against it."""

    kind: str  # venue | equipment | staff | material
    name: str
    quantity: int
    start: datetime
    end: datetime
    notes: str = ""


def confirmed_version(project) -> PlanVersion | None:
    """The confirmed (frozen) version in force, or None."""
    return PlanVersion.objects.filter(project=project, status=PlanStatus.CONFIRMED).first()


def frozen_plan_resources(project) -> list[PlanResource]:
    """The resource lines of the project's confirmed plan version; [] when no version is confirmed."""
    lines = ResourceLine.objects.filter(
        version__project=project, version__status=PlanStatus.CONFIRMED
    ).order_by("position", "pk")
    return [
        PlanResource(
            kind=line.kind,
            name=line.name,
            quantity=line.quantity,
            start=line.start,
            end=line.end,
            notes=line.notes,
        )
        for line in lines
    ]
