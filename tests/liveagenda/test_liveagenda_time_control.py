"""Time control of the live agenda (REQ-ONS-05, §2.6(3) 3.2): deviations judged by the rulebook's ±3 min,
one-tap start/end, "start next", frozen planned times, Q&A answers and tea breaks."""

from datetime import timedelta
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.utils import timezone

from huiyi.onsite.agenda import queries, services, timing
from huiyi.onsite.agenda.models import AgendaItem, QaAnswer
from huiyi.rulebook.loader import default_rulebook

pytestmark = pytest.mark.django_db

SEGMENT = default_rulebook().rule("ons.time.segment_deviation")


def _audited(item, reason: str) -> bool:
    return any(
        entry.changes_dict.get("reason", ["", ""])[1] == reason
        for entry in LogEntry.objects.get_for_object(item)
    )


def _tap(item, team, start_offset, end_offset=None):
    """Start (and end) an item at offsets in seconds from its planned start."""
    services.start_item(item, by=team["director"], at=item.planned_start + timedelta(seconds=start_offset))
    if end_offset is not None:
        item.refresh_from_db()
        services.end_item(item, by=team["director"], at=item.planned_end + timedelta(seconds=end_offset))
    item.refresh_from_db()
    return item


@pytest.mark.parametrize(
    ("seconds", "passes"),
    [(180, True), (-180, True), (181, False), (-181, False), (0, True), (179, True)],
)
def test_req_ons_05_deviation_boundaries_are_the_rulebooks_plus_minus_three_minutes(seconds, passes):
    judged = timing.judge(SEGMENT, timedelta(seconds=seconds))
    assert judged.passes is passes
    assert judged.value == Decimal(seconds) / 60


def test_req_ons_05_the_rule_decides_not_the_code():
    """A rulebook with a wider tolerance judges the same deviation as passing."""
    from dataclasses import replace

    wider = replace(SEGMENT, value=(-5, 5))
    assert timing.judge(wider, timedelta(minutes=4)).passes
    assert not timing.judge(SEGMENT, timedelta(minutes=4)).passes


def test_req_ons_05_start_and_duration_deviation_per_item(team, add_item):
    item = add_item("董事长报告", start=0, minutes=30)
    # Starts 2 min late, ends 6 min late: start +2 (passes), duration +4 (fails).
    item = _tap(item, team, 120, 360)
    row = queries.item_row(item, queries.rules_for(team["project"]))
    assert row.start.value == 2 and row.start.passes
    assert row.duration.value == 4 and not row.duration.passes
    assert row.verdict is False


def test_req_ons_05_exactly_three_minutes_over_passes_and_a_second_more_fails(team, add_item):
    on_edge = _tap(add_item("A", start=0, minutes=10), team, 0, 180)
    beyond = _tap(add_item("B", start=20, minutes=10), team, 0, 181)
    rules = queries.rules_for(team["project"])
    assert queries.item_row(on_edge, rules).duration.passes
    assert not queries.item_row(beyond, rules).duration.passes


def test_req_ons_05_one_tap_start_then_start_next_ends_the_running_item(team, add_item):
    first = add_item("开幕致辞", kind="opening", start=0, minutes=10)
    second = add_item("董事长报告", start=10, minutes=30)
    third = add_item("财务报告", start=40, minutes=30)
    started = services.start_next(team["project"], by=team["director"])
    assert started == first and started.actual_start is not None and started.started_by == team["director"]
    now_second = services.start_next(team["project"], by=team["director"])
    first.refresh_from_db()
    assert now_second == second
    assert first.actual_end == now_second.actual_start and first.ended_by == team["director"]
    assert queries.running_item(team["project"]) == second
    assert queries.next_item(team["project"]) == third
    services.end_item(second, by=team["director"])
    services.start_next(team["project"], by=team["director"])
    with pytest.raises(ValidationError) as error:
        services.start_next(team["project"], by=team["director"])
    assert "agenda" in error.value.message_dict


def test_req_ons_05_a_second_tap_changes_nothing(team, add_item):
    item = add_item("A")
    item = services.start_item(item, by=team["director"])
    first_start = item.actual_start
    with pytest.raises(ValidationError) as error:
        services.start_item(item, by=team["supervisor"])
    assert "actual_start" in error.value.message_dict
    item.refresh_from_db()
    assert item.actual_start == first_start and item.started_by == team["director"]
    services.end_item(item, by=team["director"])
    with pytest.raises(ValidationError):
        services.end_item(item, by=team["director"])


def test_req_ons_05_end_before_start_and_future_taps_are_refused(team, add_item):
    item = add_item("A")
    with pytest.raises(ValidationError) as error:
        services.end_item(item, by=team["director"])
    assert "actual_end" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.start_item(item, by=team["director"], at=timezone.now() + timedelta(hours=1))
    assert "actual_start" in error.value.message_dict
    item = services.start_item(item, by=team["director"], at=timezone.now() - timedelta(minutes=5))
    with pytest.raises(ValidationError) as error:
        services.end_item(item, by=team["director"], at=item.actual_start - timedelta(minutes=1))
    assert "actual_end" in error.value.message_dict
    item.refresh_from_db()
    assert item.actual_end is None


def test_req_ons_05_planned_times_are_frozen_after_the_start_unless_a_reason_is_given(team, add_item):
    item = add_item("A", start=0, minutes=30)
    # Before the start: free to edit, no reason asked.
    item = services.update_item(
        item, by=team["director"], planned_end=item.planned_end + timedelta(minutes=5)
    )
    services.start_item(item, by=team["director"])
    planned_end = item.planned_end
    with pytest.raises(ValidationError) as error:
        services.update_item(item, by=team["director"], planned_end=planned_end + timedelta(minutes=10))
    assert "reason" in error.value.message_dict
    item.refresh_from_db()
    assert item.planned_end == planned_end
    # The title may change without a reason; planned times with one, and the audit trail keeps it.
    services.update_item(item, by=team["director"], title="A(修订)")
    services.update_item(
        item,
        by=team["director"],
        reason="主办方要求延长",
        planned_end=planned_end + timedelta(minutes=10),
    )
    item.refresh_from_db()
    assert item.planned_end == planned_end + timedelta(minutes=10)
    assert _audited(item, "主办方要求延长")


def test_req_ons_05_a_started_item_cannot_be_deleted(team, add_item):
    item = services.start_item(add_item("A"), by=team["director"])
    with pytest.raises(ValidationError):
        services.delete_item(item, by=team["director"])
    assert AgendaItem.objects.filter(pk=item.pk).exists()
    planned = add_item("B", start=60)
    services.delete_item(planned, by=team["director"])
    assert not AgendaItem.objects.filter(pk=planned.pk).exists()


def test_req_ons_05_unknown_kind_and_end_before_start_are_refused(team):
    project = team["project"]
    with pytest.raises(ValidationError) as error:
        services.create_item(
            project, kind="party", title="x", planned_start=project.start, planned_end=project.end
        )
    assert "kind" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.create_item(
            project,
            kind="speech",
            title="x",
            planned_start=project.start,
            planned_end=project.start - timedelta(minutes=1),
        )
    assert "planned_end" in error.value.message_dict
    assert not AgendaItem.objects.exists()


def test_req_ons_05_qa_answers_are_timed_and_judged_by_the_per_answer_limit(team, add_item):
    qa = add_item("问答", kind="qa", start=0, minutes=30)
    services.start_item(qa, by=team["director"], at=qa.planned_start)
    t0 = qa.planned_start + timedelta(minutes=1)
    short = services.start_answer(qa, by=team["director"], label="独立董事提问", at=t0)
    services.end_answer(short, by=team["director"], at=t0 + timedelta(minutes=2))
    long = services.start_answer(qa, by=team["director"], at=t0 + timedelta(minutes=3))
    # Starting another answer ends the running one (one tap per answer).
    services.start_answer(qa, by=team["director"], at=t0 + timedelta(minutes=5, seconds=1))
    long.refresh_from_db()
    assert long.ended_at == t0 + timedelta(minutes=5, seconds=1)
    row = queries.item_row(AgendaItem.objects.get(pk=qa.pk), queries.rules_for(team["project"]))
    verdicts = [a.judged.passes for a in row.answers if a.judged]
    assert verdicts == [True, False]  # exactly 2 min passes; 2 min 1 s fails
    # Ending the Q&A ends the answer still running.
    services.end_item(qa, by=team["director"], at=t0 + timedelta(minutes=6))
    assert not QaAnswer.objects.filter(item=qa, ended_at__isnull=True).exists()


def test_req_ons_05_answers_need_a_running_qa(team, add_item):
    tea = add_item("茶歇", kind="tea_break")
    services.start_item(tea, by=team["director"])
    with pytest.raises(ValidationError):
        services.start_answer(tea, by=team["director"])
    qa = add_item("问答", kind="qa", start=60)
    with pytest.raises(ValidationError):
        services.start_answer(qa, by=team["director"])


@pytest.mark.parametrize(
    ("minutes", "passes"), [(15, True), (20, True), (18, True), (14, False), (21, False)]
)
def test_req_ons_05_tea_break_judged_by_the_duration_range(team, add_item, minutes, passes):
    tea = add_item("茶歇", kind="tea_break", start=0, minutes=20)
    services.start_item(tea, by=team["director"], at=tea.planned_start)
    services.end_item(tea, by=team["director"], at=tea.planned_start + timedelta(minutes=minutes))
    tea.refresh_from_db()
    row = queries.item_row(tea, queries.rules_for(team["project"]))
    assert row.tea_break.passes is passes


def test_req_ons_05_correcting_recorded_times_needs_a_reason_and_is_audited(team, add_item):
    item = _tap(add_item("A", start=0, minutes=30), team, 60, 60)
    with pytest.raises(ValidationError) as error:
        services.correct_actual_times(
            item,
            by=team["director"],
            actual_start=item.planned_start,
            actual_end=item.planned_end,
            reason=" ",
        )
    assert "reason" in error.value.message_dict
    services.correct_actual_times(
        item,
        by=team["director"],
        actual_start=item.planned_start,
        actual_end=item.planned_end,
        reason="晚点了开始键",
    )
    item.refresh_from_db()
    assert item.actual_start == item.planned_start
    assert _audited(item, "晚点了开始键")


def test_req_ons_05_copy_from_the_confirmed_plan(team, make_user):
    """The confirmed plan version's agenda draft is copied once; the kind is read from the title."""
    from huiyi.projects.planning.models import AgendaItem as PlanAgendaItem
    from huiyi.projects.planning.models import PlanStatus, PlanVersion

    project = team["project"]
    with pytest.raises(ValidationError):
        services.copy_from_plan(project, by=team["director"])
    version = PlanVersion.objects.create(project=project, number=1, status=PlanStatus.CONFIRMED)
    start = project.start
    PlanAgendaItem.objects.create(
        version=version, starts_at=start, ends_at=start + timedelta(minutes=10), title="开幕致辞"
    )
    PlanAgendaItem.objects.create(version=version, starts_at=start + timedelta(minutes=10), title="上午茶歇")
    PlanAgendaItem.objects.create(version=version, starts_at=start + timedelta(minutes=30), title="闭幕")
    created, unplaced = services.copy_from_plan(project, by=team["director"])
    assert [(i.title, i.kind) for i in created] == [("开幕致辞", "opening"), ("上午茶歇", "tea_break")]
    assert created[1].planned_end == start + timedelta(minutes=30)  # the next item's start
    assert unplaced == ["闭幕"]
    again, _ = services.copy_from_plan(project, by=team["director"])
    assert again == [] and AgendaItem.objects.filter(project=project).count() == 2
