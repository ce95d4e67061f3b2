"""Reads of the rulebook for the browser, the API and reports: by chapter, by phase, search, versions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext

from . import display
from .loader import ControlPoint, Phase, Rule, Rulebook
from .models import RulebookVersion
from .requirements import REQUIREMENTS
from .services import value_histories

__all__ = [
    "CHAPTERS",
    "chapter_of",
    "RuleRow",
    "by_chapter",
    "by_phase",
    "search",
    "rule_rows",
    "version_list",
]


def _t(zh: str, en: str) -> dict[str, str]:
    return {"zh-hans": zh, "en": en}


#: The chapters of REQUIREMENTS.md, in its order: prefix → (name, clauses of the standard).
CHAPTERS: dict[str, tuple[dict[str, str], str]] = {
    "GEN": (_t("范围、术语与原则", "Scope, terms, principles"), "§1"),
    "INT": (_t("接洽与需求", "Intake and requirements"), "§2 概述, §2.1"),
    "PLN": (_t("策划、方案版本与评审", "Planning, plan versions, review"), "§2.2, §3.2 CCP 2–3"),
    "CON": (_t("合同", "Contracts"), "§2.3"),
    "RES": (_t("资源、场地与供应商", "Resources, venues, suppliers"), "§2.1 2.3, §2.4, §2.6(1), §4.2, §4.4"),
    "PRE": (_t("执行准备", "Execution preparation"), "§2.5, §3.3"),
    "ONS": (_t("现场管控", "On-site control"), "§2.6, §3.2 CCP 6/8"),
    "INC": (_t("突发事件与应急", "Incidents and emergencies"), "§2.6(4), §2.8, §9"),
    "TEC": (_t("技术支持", "Technical support"), "§2.7, §6"),
    "FBK": (
        _t("反馈、满意度、投诉与改进", "Feedback, satisfaction, complaints, improvement"),
        "§2.9, §3.4, §8",
    ),
    "QLT": (_t("质量体系", "Quality system"), "§3.1, §3.2, §4, §10, §11"),
    "DOC": (_t("文件与保密", "Documents and confidentiality"), "§2.9, §3.5, §4.5, §7"),
    "PPL": (_t("人员", "People"), "§2.4(2), §4.3, §5"),
}


def chapter_of(req: str) -> str:
    """``"REQ-ONS-03"`` → ``"ONS"``."""
    return req.split("-")[1] if req.count("-") >= 2 else ""


@dataclass
class RuleRow:
    """A rule with what a reader needs beside it: its value in words and the versions that set it."""

    rule: Rule
    name: str
    value: str
    kind: str
    source: str
    source_hint: str
    clock: str
    history: list[tuple[RulebookVersion, Any]] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.rule.id

    @property
    def changed_in(self) -> list[RulebookVersion]:
        """The versions after the first in which the value changed."""
        return [version for version, _ in self.history[1:]]


def rule_rows(
    rules: Iterable[Rule],
    *,
    language: str | None = None,
    histories: dict[str, list[tuple[RulebookVersion, Any]]] | None = None,
) -> list[RuleRow]:
    histories = histories if histories is not None else {}
    return [
        RuleRow(
            rule=r,
            name=display.text(r.name, language),
            value=display.format_value(r, language),
            kind=display.kind_label(r.kind, language),
            source=display.source_label(r.source, language),
            source_hint=display.source_hint(r.source, language),
            clock=display.clock_label(r.clock, language),
            history=histories.get(r.id, []),
        )
        for r in rules
    ]


@dataclass
class RequirementGroup:
    id: str
    title: str
    rows: list[RuleRow]
    also: list[RuleRow]  # rules of other requirements that also serve this one (see_also)
    formulas: list[tuple[str, str]] = field(default_factory=list)  # (name, expression) of the requirement


@dataclass
class Chapter:
    code: str
    name: str
    clause: str
    requirements: list[RequirementGroup]

    @property
    def rule_count(self) -> int:
        return sum(len(r.rows) for r in self.requirements)


def by_chapter(
    rulebook: Rulebook, *, language: str | None = None, with_history: bool = True
) -> list[Chapter]:
    """Every requirement of the catalogue, chapter by chapter, each with the rules that come from it.

    Requirements without a number still appear (with no rules), so every REQ ID can be found.
    """
    histories = value_histories() if with_history else {}
    rows = {row.id: row for row in rule_rows(rulebook.rules, language=language, histories=histories)}
    primary: dict[str, list[RuleRow]] = {}
    secondary: dict[str, list[RuleRow]] = {}
    for rule in rulebook.rules:
        primary.setdefault(rule.req, []).append(rows[rule.id])
        for other in rule.see_also:
            secondary.setdefault(other, []).append(rows[rule.id])
    formulas: dict[str, list[tuple[str, str]]] = {}
    for formula in rulebook.formulas.values():
        entry = (display.text(formula.name, language), formula.expression)
        formulas.setdefault(formula.req, []).append(entry)
    chapters: list[Chapter] = []
    for code, (name, clause) in CHAPTERS.items():
        reqs = sorted(req for req in REQUIREMENTS if chapter_of(req) == code)
        chapters.append(
            Chapter(
                code=code,
                name=display.text(name, language),
                clause=clause,
                requirements=[
                    RequirementGroup(
                        id=req,
                        title=gettext(REQUIREMENTS[req]),
                        rows=primary.get(req, []),
                        also=secondary.get(req, []),
                        formulas=formulas.get(req, []),
                    )
                    for req in reqs
                ],
            )
        )
    return chapters


@dataclass
class ControlPointGroup:
    control_point: ControlPoint
    name: str
    owner: str
    rows: list[RuleRow]


@dataclass
class PhaseGroup:
    phase: Phase
    name: str
    outputs: list[str]
    control_points: list[ControlPointGroup]
    other_rows: list[RuleRow]  # rules of the phase that belong to no control point


def by_phase(
    rulebook: Rulebook, *, language: str | None = None, with_history: bool = True
) -> tuple[list[PhaseGroup], list[RuleRow]]:
    """The five phases with their control points in order and the rules of each; then rules of no phase."""
    histories = value_histories() if with_history else {}
    rows = rule_rows(rulebook.rules, language=language, histories=histories)
    by_cp: dict[str, list[RuleRow]] = {}
    by_ph: dict[str, list[RuleRow]] = {}
    loose: list[RuleRow] = []
    for row in rows:
        if row.rule.control_point:
            by_cp.setdefault(row.rule.control_point, []).append(row)
        elif row.rule.phase:
            by_ph.setdefault(row.rule.phase, []).append(row)
        else:
            loose.append(row)
    phases = []
    for phase in rulebook.phases:
        cps = []
        for cp_id in phase.control_points:
            cp = rulebook.control_point(cp_id)
            role = rulebook.roles.get(cp.owner_role)
            cps.append(
                ControlPointGroup(
                    control_point=cp,
                    name=display.text(cp.name, language),
                    owner=display.text(role.name, language) if role else cp.owner_role,
                    rows=by_cp.get(cp_id, []),
                )
            )
        phases.append(
            PhaseGroup(
                phase=phase,
                name=display.text(phase.name, language),
                outputs=[display.text(o.name, language) for o in phase.outputs],
                control_points=cps,
                other_rows=by_ph.get(phase.id, []),
            )
        )
    return phases, loose


def _haystack(rule: Rule) -> str:
    parts = [
        rule.id,
        rule.req,
        *rule.see_also,
        rule.clause,
        rule.metric,
        rule.control_point or "",
        rule.name.zh_hans,
        rule.name.en,
        rule.description.zh_hans if rule.description else "",
        rule.description.en if rule.description else "",
        display.format_value(rule, "zh-hans"),
        display.format_value(rule, "en"),
        display.format_raw(rule.value),
        REQUIREMENTS.get(rule.req, ""),
    ]
    return "\n".join(parts).casefold()


def search(rulebook: Rulebook, q: str) -> list[Rule]:
    """Rules whose id, requirement, clause, metric, name, description or value contains every word of ``q``.

    ``"Wi-Fi"``, ``"-65"``, ``"REQ-ONS-03"``, ``"ccp02"``, ``"预算"`` all work; words are ANDed.
    """
    words = [w.casefold() for w in (q or "").split() if w.strip()]
    if not words:
        return []
    return [r for r in rulebook.rules if all(w in _haystack(r) for w in words)]


def version_list() -> QuerySet[RulebookVersion]:
    """Every version, newest first, without the (large) rule data; with who created and activated it."""
    return (
        RulebookVersion.objects.select_related("created_by", "activated_by", "based_on")
        .defer("data", "based_on__data")
        .annotate(project_count=Count("projects"))
        .order_by("-number")
    )
