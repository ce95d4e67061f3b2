"""The CAPA workflow of a nonconformance (REQ-QLT-06): open → action planned → action done → effect
verified → closed, each step audited, out-of-order steps refused with a clear error."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from huiyi.quality import services
from huiyi.quality.models import CorrectiveAction, Nonconformance

pytestmark = pytest.mark.django_db


@pytest.fixture
def director(make_user, org):
    return make_user("project_director", org["north"])


@pytest.fixture
def nc(make_project, director):
    project = make_project(phase=2, members=[(director, "project_director")])
    return services.open_nonconformance(
        project,
        source="audit",
        description={"zh-hans": "签到记录缺页", "en": "Sign-in sheet pages missing"},
        severity="minor",
        by=director,
        owner_role="project_director",
    )


def test_req_qlt_06_full_workflow_in_order(nc, director):
    assert nc.status == "open" and nc.owner == director and nc.due_at is not None
    services.set_root_cause(nc, "打印份数不足", by=director)
    action = services.plan_action(
        nc,
        kind="corrective",
        description="补打并复核",
        owner=director,
        due_date=timezone.localdate(),
        by=director,
    )
    nc.refresh_from_db()
    assert nc.status == "action_planned"
    services.complete_action(action, result="已补打", by=director)
    nc.refresh_from_db()
    assert nc.status == "action_done"
    services.verify_effect(nc, note="抽查 20 份，全部完整", by=director)
    nc.refresh_from_db()
    assert nc.status == "effect_verified" and nc.verified_by == director
    services.close(nc, by=director)
    nc.refresh_from_db()
    assert nc.status == "closed" and nc.closed_at is not None
    entries = LogEntry.objects.get_for_object(nc)
    assert entries.count() >= 5
    assert all(e.actor == director for e in entries)
    assert LogEntry.objects.get_for_object(action).exists()


def test_close_before_verification_is_refused(nc, director):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.close(nc, by=director)
    assert "verified" in " ".join(error.value.message_dict["status"])
    nc.refresh_from_db()
    assert nc.status == "open"


def test_verify_needs_done_actions_a_note_a_verifier_and_a_root_cause(nc, director):
    with pytest.raises(ValidationError):
        services.verify_effect(nc, note="ok", by=director)  # nothing done yet
    action = services.plan_action(nc, kind="immediate", description="补打", by=director)
    services.complete_action(action, result="done", by=director)
    with pytest.raises(ValidationError) as error:
        services.verify_effect(nc, note="", by=director)
    assert "verification_note" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.verify_effect(nc, note="checked", by=None)
    assert "verified_by" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.verify_effect(nc, note="checked", by=director)
    assert "root_cause" in error.value.message_dict
    nc.refresh_from_db()
    assert nc.status == "action_done"


def test_completing_one_of_two_actions_keeps_action_planned(nc, director):
    first = services.plan_action(nc, kind="immediate", description="a", by=director)
    services.plan_action(nc, kind="preventive", description="b", by=director)
    services.complete_action(first, result="ok", by=director)
    nc.refresh_from_db()
    assert nc.status == "action_planned"
    with pytest.raises(ValidationError):
        services.complete_action(first, result="again", by=director)


def test_no_actions_after_verification(nc, director):
    services.set_root_cause(nc, "cause", by=director)
    action = services.plan_action(nc, kind="corrective", description="fix", by=director)
    services.complete_action(action, result="fixed", by=director)
    services.verify_effect(nc, note="verified", by=director)
    with pytest.raises(ValidationError):
        services.plan_action(nc, kind="corrective", description="late", by=director)
    assert CorrectiveAction.objects.count() == 1


def test_bad_action_input_names_the_field(nc, director):
    with pytest.raises(ValidationError) as error:
        services.plan_action(nc, kind="bogus", description="x", by=director)
    assert "kind" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.plan_action(nc, kind="corrective", description="  ", by=director)
    assert "description" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.plan_action(
            nc,
            kind="corrective",
            description="x",
            due_date=timezone.localdate(nc.opened_at) - timedelta(days=1),
            by=director,
        )
    assert "due_date" in error.value.message_dict
    assert not CorrectiveAction.objects.exists()
    assert Nonconformance.objects.get(pk=nc.pk).status == "open"


def test_open_nonconformance_validates_source_and_description(make_project, director):
    project = make_project()
    with pytest.raises(ValidationError):
        services.open_nonconformance(project, source="rumour", description="x", by=director)
    with pytest.raises(ValidationError):
        services.open_nonconformance(project, source="complaint", description=" ", by=director)
    assert not Nonconformance.objects.exists()


def test_req_ons_04_a_failed_reading_of_a_rule_outside_any_control_point_opens_one_nonconformance(
    make_project, director
):
    from huiyi.rulebook.services import rulebook_for

    project = make_project(phase=4, members=[(director, "project_director")])
    rule = rulebook_for(project).rules_where(metric="room_relative_humidity")[0]
    assert rule.control_point is None
    first = services.nonconformance_for_failed_rule(project, rule, "72", by=director, source="inspection")
    again = services.nonconformance_for_failed_rule(project, rule, "75", by=director, source="inspection")
    assert first == again
    assert first.source == "inspection" and first.rule_id == rule.id and first.req == "REQ-ONS-04"
    assert first.control_point == ""
