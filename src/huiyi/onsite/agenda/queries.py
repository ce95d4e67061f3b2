"""Reads of the live agenda for pages, the cockpit panel, the API, the metrics and the reminders.

Every verdict is the project's pinned rulebook's: the rules are looked up by id (REQ-ONS-05, REQ-ONS-06,
REQ-ONS-08, REQ-PPL-04, §3.2 CCP 8) and passed the measured value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch
from django.utils import timezone

from huiyi.projects.models import MeetingProject
from huiyi.rulebook.services import rulebook_for

from . import timing
from .models import (
    AgendaItem,
    AgendaSettings,
    CoverageItem,
    ProgressReport,
    QaAnswer,
    SatisfactionEntry,
)

SEGMENT_RULE = "ons.time.segment_deviation"
QA_RULE = "ons.time.qa_answer"
TEA_BREAK_RULE = "ons.time.tea_break_duration"
REMINDER_RULE = "ons.time.tea_break_reminder"
REPORT_RULE = "ons.progress_report.interval"
PROCESS_RULE = "ccp08.process_deviation"
COVERAGE_RULE = "ccp08.photo_video_coverage"
SATISFACTION_RULE = "ccp08.onsite_satisfaction"
MINUTES_OWNER_RULE = "ppl.minutes_owner_named"

#: Roles told about time control on the day: the director runs it, reception serves the tea break.
DIRECTOR_ROLE = "on_site_director"
TEA_BREAK_ROLES = (DIRECTOR_ROLE, "reception")
#: Agenda kinds whose moment is photographed or filmed, and the coverage moment each one becomes.
COVERED_KINDS = {
    AgendaItem.Kind.OPENING: CoverageItem.Kind.OPENING,
    AgendaItem.Kind.SPEECH: CoverageItem.Kind.SPEECH,
    AgendaItem.Kind.CEREMONY: CoverageItem.Kind.CEREMONY,
    AgendaItem.Kind.CLOSING: CoverageItem.Kind.CLOSING,
}
#: Answers are timed in Q&A items and in sessions (a speech often ends with questions).
TIMED_ANSWER_KINDS = (AgendaItem.Kind.QA, AgendaItem.Kind.SPEECH)


@dataclass(frozen=True)
class Rules:
    segment: object
    qa: object
    tea_break: object
    reminder: object
    report: object


def tolerance_seconds(rule) -> list[int]:
    """A range rule's bounds in seconds (for the running clock in the browser)."""
    return [int(timing.rule_duration(rule, bound).total_seconds()) for bound in rule.value]


def rules_for(project) -> Rules:
    rulebook = rulebook_for(project)
    return Rules(
        segment=rulebook.rule(SEGMENT_RULE),
        qa=rulebook.rule(QA_RULE),
        tea_break=rulebook.rule(TEA_BREAK_RULE),
        reminder=rulebook.rule(REMINDER_RULE),
        report=rulebook.rule(REPORT_RULE),
    )


# -- agenda items -----------------------------------------------------------------------------------------


@dataclass
class AnswerRow:
    answer: QaAnswer
    judged: timing.Judged | None


@dataclass
class ItemRow:
    item: AgendaItem
    start: timing.Judged | None = None
    duration: timing.Judged | None = None
    tea_break: timing.Judged | None = None
    answers: list[AnswerRow] = field(default_factory=list)

    @property
    def verdict(self) -> bool | None:
        """None before anything is measured; else whether every measured check passes."""
        checks = [j.passes for j in (self.start, self.duration, self.tea_break) if j is not None]
        checks += [a.judged.passes for a in self.answers if a.judged is not None]
        return all(checks) if checks else None

    @property
    def running_answer(self) -> QaAnswer | None:
        return next((a.answer for a in self.answers if a.answer.ended_at is None), None)


def items(project):
    return (
        AgendaItem.objects.filter(project=project)
        .select_related("room", "started_by", "ended_by")
        .prefetch_related(Prefetch("answers", queryset=QaAnswer.objects.order_by("started_at", "pk")))
        .order_by("planned_start", "pk")
    )


def item_row(item: AgendaItem, rules: Rules) -> ItemRow:
    row = ItemRow(item=item)
    start = timing.start_deviation(item.planned_start, item.actual_start)
    if start is not None:
        row.start = timing.judge(rules.segment, start)
    duration = timing.duration_deviation(
        item.planned_start, item.planned_end, item.actual_start, item.actual_end
    )
    if duration is not None:
        row.duration = timing.judge(rules.segment, duration)
        if item.kind == AgendaItem.Kind.TEA_BREAK:
            row.tea_break = timing.judge(rules.tea_break, item.actual_duration)
    for answer in item.answers.all():
        judged = None if answer.ended_at is None else timing.judge(rules.qa, answer.duration)
        row.answers.append(AnswerRow(answer=answer, judged=judged))
    return row


def item_rows(project, rules: Rules | None = None) -> list[ItemRow]:
    rules = rules or rules_for(project)
    return [item_row(item, rules) for item in items(project)]


@dataclass
class Board:
    """What the director needs at a glance: the rows, the running item, the next one, the rules."""

    project: MeetingProject
    rules: Rules
    rows: list[ItemRow]
    now: datetime

    @property
    def running(self) -> ItemRow | None:
        return next((row for row in self.rows if row.item.is_running), None)

    @property
    def next(self) -> ItemRow | None:
        return next((row for row in self.rows if not row.item.is_started), None)

    @property
    def running_overrun(self) -> timing.Judged | None:
        """Elapsed − planned duration of the running item, judged by the segment tolerance."""
        running = self.running
        if running is None:
            return None
        item = running.item
        return timing.judge(self.rules.segment, (self.now - item.actual_start) - item.planned_duration)

    @property
    def running_elapsed(self) -> timedelta | None:
        running = self.running
        return None if running is None else self.now - running.item.actual_start

    @property
    def worst(self) -> tuple[ItemRow, timing.Judged] | None:
        return worst_deviation(self.rows)

    @property
    def done_count(self) -> int:
        return sum(1 for row in self.rows if row.item.is_done)


def board(project, now: datetime | None = None) -> Board:
    rules = rules_for(project)
    return Board(project=project, rules=rules, rows=item_rows(project, rules), now=now or timezone.now())


def worst_deviation(rows: list[ItemRow]) -> tuple[ItemRow, timing.Judged] | None:
    """The segment whose duration deviates furthest from plan (ties: the earlier item). The rulebook defines a
    segment's deviation as actual − planned duration; a late start shows on the item but is the previous
    segment's over-run (or a late opening), so it is not counted twice."""
    worst = None
    for row in rows:
        judged = row.duration
        if judged is not None and (worst is None or abs(judged.value) > abs(worst[1].value)):
            worst = (row, judged)
    return worst


def running_item(project) -> AgendaItem | None:
    return (
        AgendaItem.objects.filter(project=project, actual_start__isnull=False, actual_end__isnull=True)
        .order_by("actual_start", "pk")
        .first()
    )


def next_item(project) -> AgendaItem | None:
    return (
        AgendaItem.objects.filter(project=project, actual_start__isnull=True)
        .order_by("planned_start", "pk")
        .first()
    )


def members_with_roles(project, role_keys) -> list:
    from huiyi.accounts.models import User

    return list(
        User.objects.filter(
            project_memberships__project=project, project_memberships__role__key__in=list(role_keys)
        )
        .distinct()
        .order_by("pk")
    )


# -- progress reports (REQ-ONS-06) ------------------------------------------------------------------------


@dataclass(frozen=True)
class Gap:
    start: datetime
    end: datetime
    hours: Decimal
    missed: bool
    ongoing: bool = False


@dataclass
class ReportTimeline:
    project: MeetingProject
    rule: object
    reports: list[ProgressReport]
    gaps: list[Gap]
    started: bool
    finished: bool
    next_due: datetime | None

    @property
    def longest(self) -> Gap | None:
        return max(self.gaps, key=lambda gap: (gap.hours, -gap.start.timestamp()), default=None)

    @property
    def missed(self) -> list[Gap]:
        return [gap for gap in self.gaps if gap.missed]

    def overdue(self, now: datetime) -> bool:
        return self.next_due is not None and self.next_due <= now


def report_timeline(project, now: datetime | None = None) -> ReportTimeline:
    """Reports and the gaps between them during the meeting: start → first, between reports, last → end (or
    → now while the meeting runs). A gap longer than the rulebook's interval is a missed report."""
    now = now or timezone.now()
    rule = rulebook_for(project).rule(REPORT_RULE)
    interval = timing.rule_duration(rule)
    reports = list(
        ProgressReport.objects.filter(project=project)
        .select_related("reporter")
        .order_by("reported_at", "pk")
    )
    started = now >= project.start
    finished = now >= project.end
    window_end = min(now, project.end)
    points = [project.start]
    points += [r.reported_at for r in reports if project.start < r.reported_at <= window_end]
    gaps = []
    if started:
        points.append(window_end)
        for index, (a, b) in enumerate(timing.gaps(points)):
            length = timing.hours(b - a)
            last = index == len(points) - 2
            gaps.append(
                Gap(
                    start=a,
                    end=b,
                    hours=length,
                    missed=not rule.passes(length),
                    ongoing=last and not finished,
                )
            )
        # The trailing point is "now" or the end, not a report: the next report is due an interval after
        # the last real point.
        last_point = points[-2] if len(points) >= 2 else project.start
    else:
        last_point = project.start
    next_due = None if finished else last_point + interval
    return ReportTimeline(
        project=project,
        rule=rule,
        reports=reports,
        gaps=gaps,
        started=started,
        finished=finished,
        next_due=next_due,
    )


# -- coverage and satisfaction (REQ-ONS-08) ---------------------------------------------------------------


@dataclass
class Coverage:
    items: list[CoverageItem]

    @property
    def required(self) -> list[CoverageItem]:
        return [item for item in self.items if item.required]

    @property
    def covered(self) -> list[CoverageItem]:
        return [item for item in self.required if item.is_covered]

    @property
    def ratio(self) -> Decimal | None:
        if not self.required:
            return None
        return Decimal(len(self.covered)) / Decimal(len(self.required))


def coverage(project) -> Coverage:
    rows = (
        CoverageItem.objects.filter(project=project)
        .select_related("agenda_item", "covered_by")
        .order_by("pk")
    )
    # The agenda's moments in agenda order, then the free items (group photo …) in the order they were added.
    moments = sorted((c for c in rows if c.agenda_item), key=lambda c: (c.agenda_item.planned_start, c.pk))
    return Coverage(items=moments + [c for c in rows if c.agenda_item is None])


@dataclass
class Satisfaction:
    entries: list[SatisfactionEntry]

    @property
    def count(self) -> int:
        return len(self.entries)

    @property
    def average(self) -> Decimal | None:
        if not self.entries:
            return None
        total = sum((entry.score for entry in self.entries), Decimal(0))
        return (total / len(self.entries)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def satisfaction(project) -> Satisfaction:
    return Satisfaction(
        entries=list(SatisfactionEntry.objects.filter(project=project).select_related("created_by"))
    )


def settings_of(project) -> AgendaSettings:
    return AgendaSettings.objects.filter(project=project).select_related(
        "minutes_owner"
    ).first() or AgendaSettings(project=project)


def team(project):
    from huiyi.accounts.models import User

    return User.objects.filter(project_memberships__project=project).distinct().order_by("username")


def projects_meeting_now(now: datetime):
    """Projects whose meeting runs at ``now`` (start ≤ now < end), not closed."""
    return MeetingProject.objects.filter(start__lte=now, end__gt=now, closed_at__isnull=True)


def tea_breaks_to_remind(now: datetime, *, horizon: timedelta):
    """Tea breaks not yet ended nor reminded whose planned end is near ``now`` (the task filters further)."""
    return (
        AgendaItem.objects.filter(
            kind=AgendaItem.Kind.TEA_BREAK,
            actual_end__isnull=True,
            tea_break_reminder__isnull=True,
            planned_end__gte=now - horizon,
            planned_end__lte=now + horizon,
            project__closed_at__isnull=True,
        )
        .select_related("project")
        .order_by("planned_end", "pk")
    )
