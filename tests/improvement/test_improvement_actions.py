"""Improvement actions (REQ-FBK-04): the status moves one step at a time, bad input changes nothing, the
effect is evaluated within the rulebook's allowance counted on the calendar, the completion rate is the
rulebook formula done / all, and reminders are sent once."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from huiyi.core.models import Notification
from huiyi.feedback.improvement import services, tasks, timing
from huiyi.feedback.improvement.models import ImprovementAction
from huiyi.quality import formulas
from huiyi.quality.metrics import Measurement, NotMeasurable, measure
from huiyi.rulebook.services import rulebook_for

pytestmark = pytest.mark.django_db

Status = ImprovementAction.Status
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def _done(item, by, at=None):
    services.start_action(item, by=by, at=at - dt.timedelta(days=1) if at else None)
    return services.complete_action(item, result="已完成", by=by, at=at)


def test_req_fbk_04_status_moves_in_order_and_out_of_order_is_refused(team, add_action):
    item = add_action()
    pm = team["pm"]
    assert item.status == Status.PLANNED and item.number == 1
    with pytest.raises(ValidationError) as refused:
        services.complete_action(item, result="做完了", by=pm)
    assert "status" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.evaluate_effect(item, effect="achieved", note="有效", by=pm)
    assert "status" in refused.value.message_dict
    item.refresh_from_db()
    assert item.status == Status.PLANNED and item.done_at is None
    services.start_action(item, by=pm)
    with pytest.raises(ValidationError):
        services.start_action(item, by=pm)  # a second tap says so and changes nothing
    with pytest.raises(ValidationError) as refused:
        services.evaluate_effect(item, effect="achieved", note="有效", by=pm)
    assert "status" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.complete_action(item, result="  ", by=pm)
    assert "result" in refused.value.message_dict
    services.complete_action(item, result="新增两个通道", by=pm)
    with pytest.raises(ValidationError) as refused:
        services.advance(item, Status.PLANNED, by=pm)
    assert "status" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.evaluate_effect(item, effect="excellent", note="有效", by=pm)
    assert "effect" in refused.value.message_dict
    evaluated = services.evaluate_effect(item, effect="achieved", note="复查排队 3 分钟", by=pm)
    assert evaluated.status == Status.EFFECT_EVALUATED and evaluated.effect_evaluated_by == pm
    with pytest.raises(ValidationError):
        services.evaluate_effect(item, effect="achieved", note="再评一次", by=pm)


@pytest.mark.parametrize(
    ("field", "change"),
    [
        ("problem", {"problem": "   "}),
        ("action", {"action": ""}),
        ("expected_effect", {"expected_effect": ""}),
        ("deadline", {"deadline": "next week"}),
        ("category", {"category": "weather"}),
    ],
)
def test_req_fbk_04_bad_input_names_the_field_and_saves_nothing(team, field, change):
    values = {
        "problem": "签到排队过长",
        "action": "增设通道",
        "owner": team["pm"],
        "deadline": timezone.localdate(),
        "expected_effect": "排队缩短",
        **change,
    }
    with pytest.raises(ValidationError) as refused:
        services.create_action(team["project"], by=team["pm"], **values)
    assert field in refused.value.message_dict
    assert not ImprovementAction.objects.exists()


def test_req_fbk_04_owner_must_see_the_project(team):
    with pytest.raises(ValidationError) as refused:
        services.create_action(
            team["project"],
            problem="p",
            action="a",
            owner=team["outsider"],
            deadline=timezone.localdate(),
            expected_effect="e",
            by=team["pm"],
        )
    assert "owner" in refused.value.message_dict


def test_req_fbk_04_effect_deadline_is_calendar_months_from_the_rulebook(team, add_action):
    """Done on 31 January at 10:00 (Shanghai): with the default one month, due on 28 February at 10:00 — a
    calendar month, not 30 days and not working days (the Spring Festival holiday does not move it)."""
    rule = rulebook_for(team["project"]).rules_where(metric=services.EFFECT_METRIC)[0]
    assert rule.id == "fbk.effect_evaluation_deadline" and rule.unit == "months" and rule.clock == "calendar"
    item = add_action()
    services.start_action(item, by=team["pm"])
    item.started_at = dt.datetime(2026, 1, 5, tzinfo=SHANGHAI)
    item.save(update_fields=["started_at"])
    done_at = dt.datetime(2026, 1, 31, 10, 0, tzinfo=SHANGHAI)
    item = services.complete_action(item, result="完成", by=team["pm"], at=done_at)
    months = int(timing.amount(rule))
    assert item.effect_due == dt.datetime(2026, 1 + months, 28, 10, 0, tzinfo=SHANGHAI)
    assert item.effect_due_rule == rule.id
    # measured: evaluated 20 days after completion → well within one month
    item = services.evaluate_effect(item, effect="partly", note="部分改善", by=team["pm"])
    ImprovementAction.objects.filter(pk=item.pk).update(effect_evaluated_at=done_at + dt.timedelta(days=20))
    measured = measure("improvement_effect_evaluation_time", team["project"], rulebook_for(team["project"]))
    assert isinstance(measured, Measurement)
    assert measured.value == Decimal("0.71")  # 20 of February's 28 days
    assert rule.passes(measured.value)


def test_req_fbk_04_timing_helpers():
    start = dt.datetime(2026, 3, 15, 9, 0, tzinfo=SHANGHAI)
    assert timing.elapsed(start, dt.datetime(2026, 4, 15, 9, 0, tzinfo=SHANGHAI), "months") == Decimal("1.00")
    assert timing.elapsed(start, dt.datetime(2026, 9, 15, 9, 0, tzinfo=SHANGHAI), "months") == Decimal("6.00")
    assert timing.elapsed(start, start - dt.timedelta(days=1), "months") == Decimal(0)
    assert timing.elapsed(start, start + dt.timedelta(hours=36), "calendar_days") == Decimal("1.50")


def test_req_fbk_04_effect_evaluation_late_is_measured_before_it_happens(team, add_action):
    item = add_action()
    done_at = timezone.now() - dt.timedelta(days=70)
    services.start_action(item, by=team["pm"])
    ImprovementAction.objects.filter(pk=item.pk).update(started_at=done_at - dt.timedelta(days=1))
    item.refresh_from_db()
    item = services.complete_action(item, result="完成", by=team["pm"], at=done_at)
    assert item.effect_overdue()
    rulebook = rulebook_for(team["project"])
    measured = measure("improvement_effect_evaluation_time", team["project"], rulebook)
    assert measured.value > Decimal(2)
    assert not rulebook.rules_where(metric=services.EFFECT_METRIC)[0].passes(measured.value)


def test_req_fbk_04_completion_rate_is_done_over_all(team, add_action):
    rulebook = rulebook_for(team["project"])
    assert isinstance(measure("improvement_completion_rate", team["project"], rulebook), NotMeasurable)
    first, second, third, _fourth = (add_action(problem=f"问题 {n}") for n in range(4))
    _done(first, team["pm"])
    _done(second, team["pm"])
    services.evaluate_effect(second, effect="achieved", note="有效", by=team["pm"])
    services.start_action(third, by=team["pm"])
    measured = measure("improvement_completion_rate", team["project"], rulebook)
    assert measured.value == Decimal("0.5") == formulas.completion_rate(2, 4)
    assert measured.evidence["done"] == 2 and measured.evidence["total"] == 4
    assert measured.evidence["formula"] == rulebook.formulas["improvement_completion_rate"].expression


def test_req_fbk_04_only_a_planned_action_is_deleted_and_done_actions_are_frozen(team, add_action):
    item = add_action()
    _done(item, team["pm"])
    with pytest.raises(ValidationError):
        services.delete_action(item, by=team["pm"])
    with pytest.raises(ValidationError) as refused:
        services.update_action(item, by=team["pm"], problem="改写历史")
    assert "status" in refused.value.message_dict
    planned = add_action(problem="另一个问题")
    services.delete_action(planned, by=team["pm"])
    assert ImprovementAction.objects.count() == 1


def test_req_fbk_04_reminders_due_soon_overdue_and_effect_are_sent_once(team, add_action):
    soon = add_action(problem="即将到期", deadline_in_days=1)
    late = add_action(problem="已逾期", deadline_in_days=-2)
    far = add_action(problem="还早", deadline_in_days=60)
    effect = add_action(problem="待评估效果")
    _done(effect, team["pm"], at=timezone.now() - dt.timedelta(days=40))
    sent = tasks.send_reminders()
    assert sent > 0
    titles = list(Notification.objects.values_list("title", "recipient__username"))
    texts = " ".join(t for t, _ in titles)
    assert soon.code in texts and late.code in texts and effect.code in texts and far.code not in texts
    assert tasks.send_reminders() == 0  # dedupe: nothing twice
    assert Notification.objects.count() == len(titles)
