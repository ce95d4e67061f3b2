"""Capability measures of one person over a period (REQ-PPL-02, §5), each computed from existing records and
returned with how it was computed (formula and counts), so a review shows its evidence.

    professional skill → exam pass rate      assessments of the plan's sessions and of pre-meeting trainings
    communication      → satisfaction        survey responses on the meetings they worked on (0–100)
    time management    → number of delays    their tasks due in the period, done late or still open
    teamwork           → team feedback       colleagues' peer feedback (1–5)
    adaptability       → incident handling   hours from report to resolution of incidents they acknowledged

A measure with nothing to count has ``value`` None ("no data"), never a zero presented as a fact.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_noop, pgettext_lazy

from .models import ModuleAttendance, PeerFeedback
from .queries import rate

DIMENSIONS = (
    ("skill", pgettext_lazy("capability", "Professional skill")),
    ("communication", pgettext_lazy("capability", "Communication")),
    ("time", pgettext_lazy("capability", "Time management")),
    ("teamwork", pgettext_lazy("capability", "Teamwork")),
    ("adaptability", pgettext_lazy("capability", "Adaptability")),
)
DIMENSION_LABELS = dict(DIMENSIONS)

# Formulas are stored untranslated in a review's snapshot and translated when shown.
FORMULAS = {
    "skill": gettext_noop("assessments passed / assessments taken"),
    "communication": gettext_noop("mean weighted survey score of their meetings, on 100"),
    "time": gettext_noop("tasks due in the period done after their due time or still open past it"),
    "teamwork": gettext_noop("mean teamwork score of colleagues' feedback (1–5)"),
    "adaptability": gettext_noop("mean hours from report to resolution of incidents they acknowledged"),
}
UNITS = {
    "skill": "ratio",
    "communication": "score_100",
    "time": "count",
    "teamwork": "score_5",
    "adaptability": "hours",
}


@dataclass
class Measure:
    key: str
    value: Decimal | int | None
    evidence: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self):
        return DIMENSION_LABELS[self.key]

    @property
    def formula(self) -> str:
        return FORMULAS[self.key]

    @property
    def unit(self) -> str:
        return UNITS[self.key]

    def as_data(self) -> dict:
        data = asdict(self)
        data["value"] = None if self.value is None else str(self.value)
        data["formula"] = self.formula
        data["unit"] = self.unit
        return data


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def skill(user, start: dt.date, end: dt.date) -> Measure:
    from huiyi.projects.preparation.models import TrainingAttendance

    plan = ModuleAttendance.objects.filter(
        user=user, attended=True, score__isnull=False, session__held_on__gte=start, session__held_on__lt=end
    ).aggregate(taken=Count("pk"), passed=Count("pk", filter=Q(score__gte=F("session__pass_mark"))))
    meeting = TrainingAttendance.objects.filter(
        user=user,
        attended=True,
        score__isnull=False,
        session__held_at__gte=_aware(start),
        session__held_at__lt=_aware(end),
    ).aggregate(taken=Count("pk"), passed=Count("pk", filter=Q(score__gte=F("session__pass_mark"))))
    taken = plan["taken"] + meeting["taken"]
    passed = plan["passed"] + meeting["passed"]
    value = rate(passed, taken)
    return Measure(
        "skill",
        value,
        {
            "passed": passed,
            "taken": taken,
            "plan_passed": plan["passed"],
            "plan_taken": plan["taken"],
            "meeting_passed": meeting["passed"],
            "meeting_taken": meeting["taken"],
        },
    )


def communication(user, start: dt.date, end: dt.date, rulebook=None) -> Measure:
    from huiyi.feedback.surveys import scoring
    from huiyi.feedback.surveys.models import Response
    from huiyi.projects.models import ProjectMember

    if rulebook is None:
        from huiyi.rulebook.services import active_rulebook

        rulebook = active_rulebook()
    projects = ProjectMember.objects.filter(
        user=user, project__start__gte=_aware(start), project__start__lt=_aware(end)
    ).values("project_id")
    row = Response.objects.filter(survey__project__in=projects, score__isnull=False).aggregate(
        mean=Avg("score"), responses=Count("pk"), projects=Count("survey__project", distinct=True)
    )
    mean = row["mean"]
    value = None
    if mean is not None:
        value = scoring.on_hundred(Decimal(str(mean)), rulebook).quantize(Decimal("0.01"))
    return Measure(
        "communication",
        value,
        {
            "responses": row["responses"],
            "meetings": row["projects"],
            "mean_on_scale": None if mean is None else str(Decimal(str(mean)).quantize(Decimal("0.01"))),
            "scale_max": scoring.scale(rulebook)[1],
        },
    )


def time_management(user, start: dt.date, end: dt.date, now: dt.datetime | None = None) -> Measure:
    from huiyi.projects.preparation.models import Task

    now = now or timezone.now()
    tasks = Task.objects.filter(owner=user, due__gte=_aware(start), due__lt=_aware(end))
    row = tasks.aggregate(
        tasks=Count("pk"),
        late=Count("pk", filter=Q(done_at__isnull=False, done_at__gt=F("due"))),
        open_late=Count("pk", filter=Q(done_at__isnull=True, due__lt=now)),
    )
    value = None if not row["tasks"] else row["late"] + row["open_late"]
    return Measure(
        "time",
        value,
        {"tasks": row["tasks"], "done_late": row["late"], "open_past_due": row["open_late"]},
    )


def teamwork(user, start: dt.date, end: dt.date) -> Measure:
    row = PeerFeedback.objects.filter(subject=user, given_on__gte=start, given_on__lt=end).aggregate(
        mean=Avg("score"), n=Count("pk"), givers=Count("created_by", distinct=True)
    )
    value = None if row["mean"] is None else Decimal(str(row["mean"])).quantize(Decimal("0.01"))
    return Measure("teamwork", value, {"feedback": row["n"], "colleagues": row["givers"]})


def adaptability(user, start: dt.date, end: dt.date) -> Measure:
    from huiyi.incidents.models import ChainStep

    rows = list(
        ChainStep.objects.filter(
            acknowledged_by=user,
            incident__is_drill=False,
            incident__reported_at__gte=_aware(start),
            incident__reported_at__lt=_aware(end),
        )
        .values_list("incident_id", "incident__reported_at", "incident__resolved_at")
        .distinct()
    )
    incidents = {pk: (reported, resolved) for pk, reported, resolved in rows}
    hours = [
        Decimal(str((resolved - reported).total_seconds())) / Decimal(3600)
        for reported, resolved in incidents.values()
        if resolved is not None
    ]
    value = None if not hours else (sum(hours, Decimal(0)) / len(hours)).quantize(Decimal("0.01"))
    return Measure(
        "adaptability",
        value,
        {"incidents": len(incidents), "resolved": len(hours), "unresolved": len(incidents) - len(hours)},
    )


def measures(user, start: dt.date, end: dt.date, *, rulebook=None, now=None) -> list[Measure]:
    """The five measures of REQ-PPL-02 for ``user`` over [start, end)."""
    return [
        skill(user, start, end),
        communication(user, start, end, rulebook),
        time_management(user, start, end, now),
        teamwork(user, start, end),
        adaptability(user, start, end),
    ]
