"""Every change of the live agenda: one function per business action, in a transaction, audited.

Time control (REQ-ONS-05, §2.6(3) 3.2): the director taps an item's actual start and end; starting an item
ends the one running at the same instant, so "start next" is one tap. Once an item has started its planned
times are the yardstick of its deviation: changing them needs a reason, which the audit trail keeps.
Reminders (tea break, progress report) are recorded so that a retried or repeated run never sends twice.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from huiyi.core.audit import record_event
from huiyi.core.notifications import notify
from huiyi.projects.models import MeetingProject

from . import queries, timing
from .models import (
    SCORE_MAX,
    AgendaItem,
    AgendaSettings,
    CoverageItem,
    ProgressReport,
    QaAnswer,
    SatisfactionEntry,
    TeaBreakReminder,
)

log = logging.getLogger(__name__)

#: A tap's time may come from a phone whose clock runs a little ahead of the server's.
CLOCK_SKEW = timedelta(minutes=1)
PLANNED_FIELDS = ("planned_start", "planned_end")
EDITABLE_FIELDS = ("kind", "title", "speaker", "room", "room_text", *PLANNED_FIELDS)


def _save(instance):
    instance.full_clean()
    instance.save()
    return instance


def _lock(project) -> None:
    """Serialise the time-control actions of one project (two phones tapping at once)."""
    MeetingProject.objects.select_for_update().filter(pk=project.pk).first()


def _tap_time(at: datetime | None, field: str) -> datetime:
    now = timezone.now()
    if at is None:
        return now
    if timezone.is_naive(at):
        raise ValidationError({field: _("Give the time with its time zone.")})
    if at > now + CLOCK_SKEW:
        raise ValidationError({field: _("The time must not be in the future.")})
    return at


def _in_language(user):
    """Notices are written in the recipient's preferred language (else the organisation's default)."""
    return override(user.language or settings.LANGUAGE_CODE)


def _hhmm(value: datetime) -> str:
    return timezone.localtime(value).strftime("%H:%M")


# -- agenda items -----------------------------------------------------------------------------------------


def _check_kind(kind) -> None:
    if kind not in AgendaItem.Kind.values:
        raise ValidationError({"kind": _("Unknown kind: %(kind)s.") % {"kind": kind}})


def _check_room(room) -> None:
    if room is not None and not room.is_active:
        raise ValidationError({"room": _("This room is no longer in use.")})


@transaction.atomic
def create_item(
    project,
    *,
    kind,
    title,
    planned_start,
    planned_end,
    speaker: str = "",
    room=None,
    room_text: str = "",
    created_by=None,
    plan_item_id: int | None = None,
) -> AgendaItem:
    _check_kind(kind)
    _check_room(room)
    item = AgendaItem(
        project=project,
        kind=kind,
        title=title,
        speaker=speaker or "",
        room=room,
        room_text=room_text or "",
        planned_start=planned_start,
        planned_end=planned_end,
        created_by=created_by,
        plan_item_id=plan_item_id,
    )
    return _save(item)


@transaction.atomic
def update_item(item: AgendaItem, *, by, reason: str = "", **changes) -> AgendaItem:
    """Change an item. After it started, its planned times are frozen unless a reason is given."""
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in sorted(unknown)})
    if "kind" in changes:
        _check_kind(changes["kind"])
    if "room" in changes and changes["room"] != item.room:
        _check_room(changes["room"])
    planned_changes = {
        name: [getattr(item, name), changes[name]]
        for name in PLANNED_FIELDS
        if name in changes and changes[name] != getattr(item, name)
    }
    reason = (reason or "").strip()
    if planned_changes and item.is_started and not reason:
        raise ValidationError(
            {
                "reason": _(
                    "This item started at %(time)s: its planned times are frozen. "
                    "Give a reason to change them."
                )
                % {"time": _hhmm(item.actual_start)}
            }
        )
    for name, value in changes.items():
        setattr(item, name, "" if value is None and name in ("speaker", "room_text") else value)
    _save(item)
    if planned_changes and item.is_started:
        record_event(item, by, {**planned_changes, "reason": ["", reason]})
    return item


@transaction.atomic
def delete_item(item: AgendaItem, *, by) -> None:
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if item.is_started:
        raise ValidationError(
            {"actual_start": _("An item that has started is a record: it cannot be deleted.")}
        )
    if item.coverage_items.filter(covered_at__isnull=False).exists():
        raise ValidationError(
            {"coverage": _("This item's photos or video are ticked: it cannot be deleted.")}
        )
    item.delete()


#: Words of a plan's agenda title that tell the kind of the item (the plan's agenda has no kind).
KIND_WORDS = (
    (AgendaItem.Kind.TEA_BREAK, ("茶歇", "tea break", "coffee break")),
    (AgendaItem.Kind.QA, ("问答", "提问", "q&a", "questions")),
    (AgendaItem.Kind.OPENING, ("开幕", "开场", "opening", "welcome")),
    (AgendaItem.Kind.CLOSING, ("闭幕", "结束", "closing")),
    (AgendaItem.Kind.MEAL, ("午餐", "晚餐", "晚宴", "午宴", "用餐", "lunch", "dinner", "banquet")),
    (AgendaItem.Kind.CEREMONY, ("签约", "仪式", "颁奖", "signing", "ceremony", "award")),
)


def guess_kind(title: str) -> str:
    lowered = title.lower()
    for kind, words in KIND_WORDS:
        if any(word in lowered for word in words):
            return kind
    return AgendaItem.Kind.SPEECH


@transaction.atomic
def copy_from_plan(project, *, by) -> tuple[list[AgendaItem], list[str]]:
    """Copy the agenda draft of the client-confirmed plan version; items copied before are skipped.

    An item of the plan without an end takes the next item's start; the last one without an end cannot be
    placed and is reported back by title. Returns (created items, titles skipped for want of an end).
    """
    from huiyi.projects.planning import queries as planning

    version = planning.confirmed_version(project)
    if version is None:
        raise ValidationError({"plan": _("No plan version has been confirmed by the client yet.")})
    _lock(project)
    copied = set(
        AgendaItem.objects.filter(project=project, plan_item_id__isnull=False).values_list(
            "plan_item_id", flat=True
        )
    )
    plan_items = list(version.agenda_items.order_by("starts_at", "position", "pk"))
    created, unplaced = [], []
    for index, source in enumerate(plan_items):
        if source.pk in copied:
            continue
        end = source.ends_at
        if end is None:
            following = next(
                (p.starts_at for p in plan_items[index + 1 :] if p.starts_at > source.starts_at), None
            )
            end = following
        if end is None or end <= source.starts_at:
            unplaced.append(source.title)
            continue
        created.append(
            create_item(
                project,
                kind=guess_kind(source.title),
                title=source.title,
                planned_start=source.starts_at,
                planned_end=end,
                speaker="",
                room_text="",
                created_by=by,
                plan_item_id=source.pk,
            )
        )
    if created:
        record_event(
            project, by, {"live_agenda": ["", f"copied {len(created)} items from plan {version.label}"]}
        )
    return created, unplaced


# -- time control (REQ-ONS-05) ----------------------------------------------------------------------------


def _end(item: AgendaItem, *, by, at: datetime) -> AgendaItem:
    if at < item.actual_start:
        raise ValidationError(
            {
                "actual_end": _("The end must not be before the start (%(time)s).")
                % {"time": _hhmm(item.actual_start)}
            }
        )
    running_answer = item.answers.filter(ended_at__isnull=True).first()
    if running_answer is not None:
        running_answer.ended_at = max(at, running_answer.started_at)
        _save(running_answer)
    item.actual_end = at
    item.ended_by = by
    return _save(item)


@transaction.atomic
def start_item(item: AgendaItem, *, by, at: datetime | None = None) -> AgendaItem:
    """Mark the actual start (one tap); the item running until now ends at the same instant."""
    at = _tap_time(at, "actual_start")
    _lock(item.project)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if item.is_started:
        raise ValidationError(
            {
                "actual_start": _("“%(title)s” started at %(time)s already.")
                % {"title": item.title, "time": _hhmm(item.actual_start)}
            }
        )
    for running in AgendaItem.objects.select_for_update().filter(
        project=item.project, actual_start__isnull=False, actual_end__isnull=True
    ):
        _end(running, by=by, at=max(at, running.actual_start))
    item.actual_start = at
    item.started_by = by
    return _save(item)


@transaction.atomic
def end_item(item: AgendaItem, *, by, at: datetime | None = None) -> AgendaItem:
    """Mark the actual end (one tap)."""
    at = _tap_time(at, "actual_end")
    _lock(item.project)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if not item.is_started:
        raise ValidationError({"actual_end": _("“%(title)s” has not started.") % {"title": item.title}})
    if item.is_done:
        raise ValidationError(
            {
                "actual_end": _("“%(title)s” ended at %(time)s already.")
                % {"title": item.title, "time": _hhmm(item.actual_end)}
            }
        )
    return _end(item, by=by, at=at)


@transaction.atomic
def start_next(project, *, by, at: datetime | None = None) -> AgendaItem:
    """End the running item and start the first item not started yet, in planned order (one tap)."""
    _lock(project)
    following = queries.next_item(project)
    if following is None:
        raise ValidationError({"agenda": _("Every item of the agenda has started.")})
    return start_item(following, by=by, at=at)


@transaction.atomic
def correct_actual_times(item: AgendaItem, *, by, actual_start, actual_end, reason: str) -> AgendaItem:
    """Correct a tap made late or by mistake: a reason is required and the audit trail keeps old and new."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the recorded times are corrected.")})
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if actual_start is None and actual_end is not None:
        raise ValidationError({"actual_start": _("An end needs a start.")})
    for field, value in (("actual_start", actual_start), ("actual_end", actual_end)):
        if value is not None:
            _tap_time(value, field)
    if actual_start and actual_end and actual_end < actual_start:
        raise ValidationError({"actual_end": _("The end must not be before the start.")})
    changes = {
        "actual_start": [item.actual_start, actual_start],
        "actual_end": [item.actual_end, actual_end],
        "reason": ["", reason],
    }
    item.actual_start, item.actual_end = actual_start, actual_end
    if actual_start is None:
        item.started_by = None
    if actual_end is None:
        item.ended_by = None
    _save(item)
    record_event(item, by, changes)
    return item


@transaction.atomic
def start_answer(item: AgendaItem, *, by, label: str = "", at: datetime | None = None) -> QaAnswer:
    """Start timing one answer of the Q&A (one tap); an answer still running ends now."""
    at = _tap_time(at, "started_at")
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if item.kind not in queries.TIMED_ANSWER_KINDS:
        raise ValidationError({"item": _("Answers are timed in a Q&A or a session.")})
    if not item.is_running:
        raise ValidationError({"item": _("Start “%(title)s” first.") % {"title": item.title}})
    for running in item.answers.filter(ended_at__isnull=True):
        running.ended_at = max(at, running.started_at)
        _save(running)
    return _save(QaAnswer(item=item, label=(label or "")[:200], started_at=at, started_by=by))


@transaction.atomic
def end_answer(answer: QaAnswer, *, by, at: datetime | None = None) -> QaAnswer:
    at = _tap_time(at, "ended_at")
    answer = QaAnswer.objects.select_for_update().get(pk=answer.pk)
    if answer.ended_at is not None:
        raise ValidationError(
            {"ended_at": _("This answer ended at %(time)s already.") % {"time": _hhmm(answer.ended_at)}}
        )
    if at < answer.started_at:
        raise ValidationError({"ended_at": _("The end must not be before the start.")})
    answer.ended_at = at
    return _save(answer)


# -- tea-break reminder (REQ-ONS-05) ----------------------------------------------------------------------


def _agenda_url(project) -> str:
    return reverse("liveagenda:agenda", args=[project.pk])


def _expected_tea_break_end(item: AgendaItem, now: datetime) -> datetime | None:
    """The end to announce: a running break ends its planned length after its actual start; a break not
    tapped yet counts as under way from its planned start, unless another item is still running."""
    if item.is_running:
        return item.actual_start + item.planned_duration
    if (
        item.planned_start <= now
        and not AgendaItem.objects.filter(
            project_id=item.project_id, actual_start__isnull=False, actual_end__isnull=True
        ).exists()
    ):
        return item.planned_end
    return None


def send_tea_break_reminders(now: datetime | None = None) -> int:
    """Remind the director and reception ``tea_break_reminder`` before each tea break ends. Returns how many
    reminders were recorded. Each break gets one reminder, ever (a row per break, locked while sending)."""
    now = now or timezone.now()
    sent = 0
    horizon = timedelta(days=1)
    for candidate in queries.tea_breaks_to_remind(now, horizon=horizon):
        rule = queries.rules_for(candidate.project).reminder
        lead = timing.rule_duration(rule)
        with transaction.atomic():
            item = AgendaItem.objects.select_for_update().select_related("project").get(pk=candidate.pk)
            if item.is_done or TeaBreakReminder.objects.filter(item=item).exists():
                continue
            end = _expected_tea_break_end(item, now)
            if end is None or now < end - lead or (now >= end and not item.is_running):
                continue
            recipients = queries.members_with_roles(item.project, queries.TEA_BREAK_ROLES)
            if not recipients:
                log.warning("tea break %s of project %s: nobody to remind", item.pk, item.project_id)
                continue
            try:
                with transaction.atomic():
                    TeaBreakReminder.objects.create(
                        item=item, expected_end=end, sent_at=now, recipients=[user.pk for user in recipients]
                    )
            except IntegrityError:  # another worker recorded it first
                continue
            for user in recipients:
                _notify_tea_break(user, item, end)
            sent += 1
    return sent


def _notify_tea_break(user, item: AgendaItem, end: datetime) -> None:
    with _in_language(user):
        title = _("Tea break ends at %(time)s: %(project)s") % {"time": _hhmm(end), "project": item.project}
        body = _("“%(title)s” ends at %(time)s. Please call the attendees back to their seats.") % {
            "title": item.title,
            "time": _hhmm(end),
        }
    notify(
        user,
        title,
        body=body,
        url=_agenda_url(item.project),
        kind="tea_break",
        dedupe_key=f"liveagenda.tea_break.{item.pk}",
    )


# -- progress reports (REQ-ONS-06) ------------------------------------------------------------------------


def _check_score(value, field: str):
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Enter a number from 0 to %(max)s.") % {"max": SCORE_MAX}}) from None
    if not number.is_finite() or number < 0 or number > SCORE_MAX:
        raise ValidationError({field: _("Enter a number from 0 to %(max)s.") % {"max": SCORE_MAX}})
    return number


@transaction.atomic
def create_progress_report(
    project,
    *,
    reporter,
    status,
    issues: str = "",
    solutions: str = "",
    owner: str = "",
    resolved_at=None,
    client_feedback: str = "",
    satisfaction=None,
    reported_at: datetime | None = None,
    created_by=None,
) -> ProgressReport:
    if status not in ProgressReport.Status.values:
        raise ValidationError({"status": _("Choose on track, at risk or off track.")})
    reported_at = _tap_time(reported_at, "reported_at")
    if resolved_at is not None:
        _tap_time(resolved_at, "resolved_at")
    report = ProgressReport(
        project=project,
        reported_at=reported_at,
        reporter=reporter,
        status=status,
        issues=issues or "",
        solutions=solutions or "",
        owner=owner or "",
        resolved_at=resolved_at,
        client_feedback=client_feedback or "",
        satisfaction=_check_score(satisfaction, "satisfaction"),
        created_by=created_by or reporter,
    )
    return _save(report)


def send_progress_report_reminders(now: datetime | None = None) -> int:
    """During each meeting, tell its on-site director(s) when the next progress report is due (once per due
    time: the notification's dedupe key carries it)."""
    now = now or timezone.now()
    sent = 0
    for project in queries.projects_meeting_now(now):
        timeline = queries.report_timeline(project, now)
        if timeline.next_due is None or timeline.next_due > now:
            continue
        for user in queries.members_with_roles(project, [queries.DIRECTOR_ROLE]):
            with _in_language(user):
                title = _("Progress report due: %(project)s") % {"project": project}
                body = _("The next progress report was due at %(time)s.") % {"time": _hhmm(timeline.next_due)}
            key = f"liveagenda.progress.{project.pk}.{timeline.next_due.isoformat()}"
            url = reverse("liveagenda:reports", args=[project.pk])
            if notify(user, title, body=body, url=url, kind="progress_report", dedupe_key=key):
                sent += 1
    return sent


# -- photo/video coverage (REQ-ONS-08) --------------------------------------------------------------------


@transaction.atomic
def generate_coverage(project, *, by) -> list[CoverageItem]:
    """A required coverage item for each opening, speech, ceremony and closing of the agenda (once each)."""
    _lock(project)
    existing = set(
        CoverageItem.objects.filter(project=project, agenda_item__isnull=False).values_list(
            "agenda_item_id", flat=True
        )
    )
    created = []
    for item in AgendaItem.objects.filter(project=project, kind__in=list(queries.COVERED_KINDS)).order_by(
        "planned_start", "pk"
    ):
        if item.pk in existing:
            continue
        created.append(
            _save(
                CoverageItem(
                    project=project,
                    agenda_item=item,
                    kind=queries.COVERED_KINDS[item.kind],
                    title=item.title,
                    created_by=by,
                )
            )
        )
    return created


@transaction.atomic
def add_coverage_item(project, *, kind, title, required: bool = True, created_by=None) -> CoverageItem:
    if kind not in CoverageItem.Kind.values:
        raise ValidationError({"kind": _("Unknown moment: %(kind)s.") % {"kind": kind}})
    return _save(
        CoverageItem(project=project, kind=kind, title=title, required=required, created_by=created_by)
    )


@transaction.atomic
def tick_coverage(item: CoverageItem, *, by, note: str = "", link: str = "", at=None) -> CoverageItem:
    at = _tap_time(at, "covered_at")
    item = CoverageItem.objects.select_for_update().get(pk=item.pk)
    if item.is_covered:
        raise ValidationError(
            {
                "covered_at": _("Ticked at %(time)s by %(person)s already.")
                % {"time": _hhmm(item.covered_at), "person": item.covered_by}
            }
        )
    item.covered_at = at
    item.covered_by = by
    item.note = note or ""
    item.link = link or ""
    return _save(item)


@transaction.atomic
def untick_coverage(item: CoverageItem, *, by) -> CoverageItem:
    item = CoverageItem.objects.select_for_update().get(pk=item.pk)
    if not item.is_covered:
        raise ValidationError({"covered_at": _("This moment is not ticked.")})
    item.covered_at = None
    item.covered_by = None
    return _save(item)


# -- on-site satisfaction (REQ-ONS-08) and the minutes owner (REQ-PPL-04) ---------------------------------


@transaction.atomic
def add_satisfaction(
    project,
    *,
    score,
    respondent,
    respondent_name: str = "",
    note: str = "",
    recorded_at=None,
    created_by=None,
) -> SatisfactionEntry:
    if respondent not in SatisfactionEntry.Respondent.values:
        raise ValidationError({"respondent": _("Choose attendee or host.")})
    number = _check_score(score, "score")
    if number is None:
        raise ValidationError({"score": _("Enter a number from 0 to %(max)s.") % {"max": SCORE_MAX}})
    entry = SatisfactionEntry(
        project=project,
        respondent=respondent,
        respondent_name=respondent_name or "",
        score=number,
        note=note or "",
        recorded_at=_tap_time(recorded_at, "recorded_at"),
        created_by=created_by,
    )
    return _save(entry)


@transaction.atomic
def set_minutes_owner(project, *, by, minutes_owner=None, minutes_owner_name: str = "") -> AgendaSettings:
    name = (minutes_owner_name or "").strip()
    if minutes_owner is not None and not project.members.filter(user=minutes_owner).exists():
        raise ValidationError({"minutes_owner": _("Choose a member of the project team.")})
    if minutes_owner is not None and name:
        raise ValidationError({"minutes_owner_name": _("Name one person: a team member or someone else.")})
    row, _created = AgendaSettings.objects.select_for_update().get_or_create(project=project)
    row.minutes_owner = minutes_owner
    row.minutes_owner_name = name
    return _save(row)
