"""Reads of emergency preparedness for the pages, the API, the cockpit panel and the metrics."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from huiyi.calendar import services as calendar
from huiyi.core import channels
from huiyi.core.models import Delivery
from huiyi.projects.queries import visible_projects
from huiyi.rulebook.display import text
from huiyi.rulebook.services import active_rulebook, rulebook_for

from . import matrix as risk_matrix
from .models import ContactSheet, EmergencyContact, EmergencyResource, Risk, SupportDesk
from .services import resource_rules


@dataclass
class ChecklistLine:
    key: str
    name: str
    rule_id: str
    row: EmergencyResource | None

    @property
    def checked(self) -> bool:
        return self.row is not None and self.row.is_checked

    @property
    def pk(self):
        return self.row.pk if self.row else None


@dataclass
class Checklist:
    lines: list[ChecklistLine]
    start: object

    @property
    def missing(self) -> list[ChecklistLine]:
        return [line for line in self.lines if not line.checked]

    @property
    def ready(self) -> bool:
        return bool(self.lines) and not self.missing

    @property
    def done(self) -> int:
        return len(self.lines) - len(self.missing)

    @property
    def late(self) -> list[ChecklistLine]:
        """Lines first completed only after the meeting started."""
        return [
            line
            for line in self.lines
            if line.row is None or line.row.first_checked_at is None or line.row.first_checked_at > self.start
        ]


def checklist(project, rulebook=None) -> Checklist:
    """The rulebook's items (checked or not) then the lines the team added (one query)."""
    rulebook = rulebook or rulebook_for(project)
    rows = list(EmergencyResource.objects.filter(project=project).select_related("checked_by"))
    by_key = {row.resource: row for row in rows if row.resource}
    lines = [
        ChecklistLine(key, text(rule.name), rule.id, by_key.get(key))
        for key, rule in resource_rules(rulebook).items()
    ]
    lines += [ChecklistLine("", row.name, "", row) for row in rows if not row.resource]
    return Checklist(lines, project.start)


def contacts(project) -> QuerySet[EmergencyContact]:
    return EmergencyContact.objects.filter(project=project)


def sheet(project) -> ContactSheet:
    return ContactSheet.objects.filter(project=project).select_related("posted_by", "sent_by").first() or (
        ContactSheet(project=project)
    )


def support_desk() -> dict:
    """The hotline and support hours (REQ-TEC-01) for the scanner and cockpit pages."""
    desk = SupportDesk.objects.filter(pk=1).first()
    hours = calendar.business_hours()
    days = []
    for index, windows in enumerate(hours.weekly):
        if windows:
            days.append((index, ", ".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in windows)))
    return {"desk": desk, "hours": _group_days(days)}


def _group_days(days: list[tuple[int, str]]) -> list[dict]:
    """Consecutive weekdays with the same windows in one line: [{"first": 0, "last": 4, "windows": …}]."""
    groups: list[dict] = []
    for index, windows in days:
        if groups and groups[-1]["windows"] == windows and groups[-1]["last"] == index - 1:
            groups[-1]["last"] = index
        else:
            groups.append({"first": index, "last": index, "windows": windows})
    return groups


# -- risks --------------------------------------------------------------------------------------------------


def visible_risks(user) -> QuerySet[Risk]:
    """Organisation-wide risks for whoever may view risks; project risks of the projects the user sees."""
    risks = Risk.objects.select_related("project", "owner")
    if user.is_superuser:
        return risks
    if "preparedness.view_risk" not in user.get_all_permissions():
        return risks.none()
    return risks.filter(Q(project__isnull=True) | Q(project__in=visible_projects(user)))


def project_risks(project) -> QuerySet[Risk]:
    return Risk.objects.filter(project=project).select_related("owner")


@dataclass
class HeatCell:
    likelihood: int
    impact: int
    level: int
    count: int = 0
    titles: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.likelihood}-{self.impact}"


@dataclass
class HeatMap:
    rows: list[tuple[int, list[HeatCell]]]
    impacts: list[int]
    matrix: risk_matrix.Matrix
    unassessed: int

    def as_data(self) -> dict:
        """JSON-ready cells (for scripts and the API)."""
        return {
            "cells": [
                {"likelihood": c.likelihood, "impact": c.impact, "level": c.level, "count": c.count}
                for _likelihood, cells in self.rows
                for c in cells
            ],
            "unassessed": self.unassessed,
        }


def heatmap(risks, rulebook=None) -> HeatMap:
    """Open risks counted per likelihood × impact cell, likelihood from high (top) to low."""
    grid = risk_matrix.matrix_for(rulebook or active_rulebook())
    cells = {
        (lk, im): HeatCell(lk, im, grid.level_number(lk, im))
        for lk in grid.likelihood_scale
        for im in grid.impact_scale
    }
    unassessed = 0
    for risk in risks:
        if risk.status != Risk.Status.OPEN:
            continue
        cell = cells.get((risk.likelihood, risk.impact))
        if cell is None:
            unassessed += 1
            continue
        cell.count += 1
        cell.titles.append(risk.title)
    rows = [
        (lk, [cells[(lk, im)] for im in grid.impact_scale])
        for lk in sorted(grid.likelihood_scale, reverse=True)
    ]
    return HeatMap(rows, grid.impact_scale, grid, unassessed)


def top_risks(project, limit: int = 3) -> list[Risk]:
    return list(
        Risk.objects.filter(project=project, status=Risk.Status.OPEN, level__isnull=False)
        .select_related("owner")
        .order_by("level", "-likelihood", "-impact", "pk")[:limit]
    )


# -- deliveries ---------------------------------------------------------------------------------------------


def failed_deliveries() -> QuerySet[Delivery]:
    """Failed deliveries and those waiting for a retry after an error (newest first)."""
    return (
        Delivery.objects.filter(
            Q(status=Delivery.Status.FAILED) | (Q(status=Delivery.Status.PENDING) & ~Q(last_error=""))
        )
        .select_related("notification__recipient", "config")
        .order_by("-updated_at", "-pk")
    )


def delivery_rows(notification) -> list[dict]:
    return [
        {"label": channels.label(d.channel, d.config), "delivery": d}
        for d in notification.deliveries.select_related("config").order_by("pk")
    ]
