"""CCP 8 and REQ-ONS-05/06/08, REQ-PPL-04 measured from the live agenda's records.

Thresholds are never here: the evaluator compares these values with the project's pinned rulebook. Values are
in the rule's unit (minutes, hours, ratio, score out of 100, boolean).
"""

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from huiyi.quality import formulas
from huiyi.quality.metrics import Measurement, NotMeasurable, metric

from . import queries, timing
from .models import AgendaItem, TeaBreakReminder

NO_FINISHED_ITEM = _("No agenda item has both an actual start and end yet.")
#: Shown as evidence of the process deviation (translated when displayed).
PROCESS_FORMULA = gettext_noop("|actual − planned| / planned, over the span of the finished agenda items")


def _m(value: Decimal) -> str:
    return str(timing.shown(value, Decimal("0.01")))


def _iso(value) -> str:
    return value.isoformat() if value else ""


@metric("agenda_segment_deviation")
def agenda_segment_deviation(project, rulebook):
    """REQ-ONS-05 (§2.6(3) 3.2): the segment deviation furthest from plan, in minutes and signed, so that the
    range rule (±tolerance) judges it. A segment's deviation is the rulebook's: actual − planned duration of
    each finished agenda item. (Late starts are shown per item and weigh in the process deviation.)"""
    rules = queries.rules_for(project)
    rows = queries.item_rows(project, rules)
    worst = queries.worst_deviation(rows)
    if worst is None:
        return NotMeasurable(NO_FINISHED_ITEM)
    row, judged = worst
    return Measurement(
        value=timing.shown(judged.value, Decimal("0.01")),
        evidence={
            "item": row.item.pk,
            "title": row.item.title,
            "items_measured": sum(1 for r in rows if r.duration is not None),
            "items_outside_tolerance": [
                {"item": r.item.pk, "title": r.item.title, "minutes": _m(r.duration.value)}
                for r in rows
                if r.duration is not None and not r.duration.passes
            ],
        },
    )


@metric("process_deviation")
def process_deviation(project, rulebook):
    """CCP 8 (§3.2 CCP 8, REQ-ONS-05): process deviation = |actual − planned| / planned
    (``formulas.process_deviation``), measured over the span of the finished agenda items: planned = from the
    earliest planned start to the latest planned end of those items, actual = from their earliest actual
    start to their latest actual end. Over-runs, late changes and dropped items all move the span."""
    finished = list(
        AgendaItem.objects.filter(
            project=project, actual_start__isnull=False, actual_end__isnull=False
        ).order_by("planned_start", "pk")
    )
    if not finished:
        return NotMeasurable(NO_FINISHED_ITEM)
    planned_start = min(item.planned_start for item in finished)
    planned_end = max(item.planned_end for item in finished)
    actual_start = min(item.actual_start for item in finished)
    actual_end = max(item.actual_end for item in finished)
    planned = timing.minutes(planned_end - planned_start)
    actual = timing.minutes(actual_end - actual_start)
    value = formulas.process_deviation(planned, actual)
    return Measurement(
        value=value.quantize(Decimal("0.0001")),
        evidence={
            "formula": PROCESS_FORMULA,
            "items": len(finished),
            "planned_minutes": _m(planned),
            "actual_minutes": _m(actual),
            "planned": [_iso(planned_start), _iso(planned_end)],
            "actual": [_iso(actual_start), _iso(actual_end)],
        },
    )


@metric("qa_answer_duration")
def qa_answer_duration(project, rulebook):
    """REQ-ONS-05 (§2.6(3) 3.2): the longest timed answer of the meeting's Q&A, in minutes."""
    answers = [
        answer
        for row in queries.item_rows(project)
        for answer in (a.answer for a in row.answers)
        if answer.ended_at is not None
    ]
    if not answers:
        return NotMeasurable(_("No Q&A answer has been timed yet."))
    longest = max(answers, key=lambda a: (a.duration, -a.pk))
    return Measurement(
        value=timing.shown(timing.minutes(longest.duration), Decimal("0.01")),
        evidence={
            "answer": longest.pk,
            "item": longest.item_id,
            "label": longest.label,
            "answers_timed": len(answers),
        },
    )


@metric("tea_break_duration")
def tea_break_duration(project, rulebook):
    """REQ-ONS-05 (§2.6(3) 3.2): the duration of the tea break furthest outside the rulebook's range (any
    one when all lie inside), in minutes."""
    rule = queries.rules_for(project).tea_break
    breaks = list(
        AgendaItem.objects.filter(
            project=project,
            kind=AgendaItem.Kind.TEA_BREAK,
            actual_start__isnull=False,
            actual_end__isnull=False,
        ).order_by("planned_start", "pk")
    )
    if not breaks:
        return NotMeasurable(_("No tea break has both an actual start and end yet."))
    measured = [(item, timing.minutes(item.actual_duration)) for item in breaks]
    item, value = max(measured, key=lambda pair: timing.distance_outside(pair[1], rule.low, rule.high))
    return Measurement(
        value=timing.shown(value, Decimal("0.01")),
        evidence={
            "item": item.pk,
            "title": item.title,
            "tea_breaks": [{"item": i.pk, "minutes": _m(m)} for i, m in measured],
        },
    )


@metric("tea_break_reminder_lead_time")
def tea_break_reminder_lead_time(project, rulebook):
    """REQ-ONS-05 (§2.6(3) 3.2): the shortest lead time of the tea-break reminders (the end announced − when
    the reminder went out), in minutes. A tea break that ended without a reminder counts as 0."""
    reminders = list(TeaBreakReminder.objects.filter(item__project=project).select_related("item"))
    missed = list(
        AgendaItem.objects.filter(
            project=project,
            kind=AgendaItem.Kind.TEA_BREAK,
            actual_end__isnull=False,
            tea_break_reminder__isnull=True,
        )
    )
    if not reminders and not missed:
        return NotMeasurable(_("No tea-break reminder has been sent yet."))
    leads = [(r.item, timing.minutes(r.lead_time)) for r in reminders] + [(i, Decimal(0)) for i in missed]
    item, value = min(leads, key=lambda pair: pair[1])
    return Measurement(
        value=timing.shown(value, Decimal("0.01")),
        evidence={
            "item": item.pk,
            "title": item.title,
            "reminders": [
                {"item": r.item_id, "sent_at": _iso(r.sent_at), "end": _iso(r.expected_end)}
                for r in reminders
            ],
            "without_reminder": [i.pk for i in missed],
        },
    )


@metric("progress_report_interval")
def progress_report_interval(project, rulebook):
    """REQ-ONS-06 (§2 overview): the longest gap, in hours, between consecutive progress reports during the
    meeting — its start to the first report and the last report to its end (or to now) count too."""
    now = timezone.now()
    timeline = queries.report_timeline(project, now)
    if not timeline.started:
        return NotMeasurable(_("The meeting has not started yet."))
    longest = timeline.longest
    return Measurement(
        value=timing.shown(longest.hours, Decimal("0.01")),
        evidence={
            "reports": len([r for r in timeline.reports if project.start < r.reported_at <= project.end]),
            "longest_gap": [_iso(longest.start), _iso(longest.end)],
            "missed": [[_iso(g.start), _iso(g.end)] for g in timeline.missed],
            "meeting_running": not timeline.finished,
        },
    )


@metric("photo_video_coverage")
def photo_video_coverage(project, rulebook):
    """REQ-ONS-08 (§3.2 CCP 8): required key moments photographed or filmed / required key moments."""
    summary = queries.coverage(project)
    required = summary.required
    if not required:
        return NotMeasurable(_("No key moment to cover has been listed yet."))
    covered = summary.covered
    value = formulas.ratio(len(covered), len(required), part_name="covered", whole_name="required")
    return Measurement(
        value=value.quantize(Decimal("0.0001")),
        evidence={
            "covered": len(covered),
            "required": len(required),
            "not_covered": [item.title for item in required if not item.is_covered],
        },
    )


@metric("onsite_satisfaction_score")
def onsite_satisfaction_score(project, rulebook):
    """REQ-ONS-08 (§3.2 CCP 8): the average of the scores (0–100) entered from quick on-site surveys."""
    summary = queries.satisfaction(project)
    if not summary.count:
        return NotMeasurable(_("No on-site satisfaction score has been entered yet."))
    return Measurement(
        value=summary.average,
        evidence={
            "entries": summary.count,
            "by_respondent": {
                kind: sum(1 for e in summary.entries if e.respondent == kind)
                for kind in sorted({e.respondent for e in summary.entries})
            },
        },
    )


@metric("minutes_owner_named")
def minutes_owner_named(project, rulebook):
    """REQ-PPL-04 (§4.3(3)): 1 when a person is named for the minutes; 0 once the meeting started without."""
    row = queries.settings_of(project)
    if row.minutes_owner_named:
        return Measurement(value=Decimal(1), evidence={"minutes_owner": row.minutes_owner_display})
    if timezone.now() < project.start:
        return NotMeasurable(_("Nobody is named for the minutes yet."))
    return Measurement(value=Decimal(0), evidence={"minutes_owner": ""})
