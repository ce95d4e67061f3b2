"""Violations and accountability (REQ-QLT-08): record → investigate → responsibility → sanction → appeal."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from huiyi.quality.accountability import queries, services
from huiyi.quality.accountability.models import Violation
from huiyi.quality.models import Nonconformance
from huiyi.rulebook.services import active_rulebook

pytestmark = pytest.mark.django_db


def _report(by, project, **kwargs):
    values = {
        "title": "Sign-in sheet left on the public desk",
        "description": "Attendee list with phone numbers left unattended for an hour.",
        "occurred_at": timezone.now() - timedelta(days=1),
        "org_unit": None,
        "project": project,
        "rule_id": "",
        "by": by,
    }
    values.update(kwargs)
    return services.report_violation(**values)


def _sanctioned(officer, director, staff, project):
    v = _report(officer, project)
    services.start_investigation(v, investigator=officer, by=officer)
    services.determine_responsibility(
        v,
        findings="Left by the PM.",
        responsible_person=staff,
        responsible_role="project_manager",
        by=officer,
    )
    return services.notify_sanction(v, sanction="warning", detail="Written warning", by=director)


def test_req_qlt_08_full_case_with_appeal(officer, director, staff, project):
    """REQ-QLT-08: record, investigation, responsibility (person and role), sanction, appeal, closure."""
    v = _sanctioned(officer, director, staff, project)
    assert v.org_unit == project.org_unit and v.investigation_due and v.appeal_due > v.sanction_notified_at
    services.appeal(v, text="I was called to the stage by the client.", by=staff)
    v.refresh_from_db()
    assert v.status == Violation.Status.APPEALED
    with pytest.raises(ValidationError):
        services.decide_appeal(v, outcome="reduced", note="x", by=staff)  # not one's own appeal
    services.decide_appeal(v, outcome="reduced", note="Mitigating circumstances.", by=director)
    v = services.close_violation(v, note="Done", by=director, performance_review_ref="PR-2026-Q3-17")
    assert v.status == Violation.Status.CLOSED and v.performance_review_ref == "PR-2026-Q3-17"
    steps = list(v.events.values_list("step", flat=True))
    assert steps == [
        "reported",
        "investigation",
        "determined",
        "sanctioned",
        "appealed",
        "appeal_decided",
        "closed",
    ]


def test_req_qlt_08_appeal_window_comes_from_the_rulebook(officer, director, staff, project):
    """REQ-QLT-08: the appeal window is qlt.violation.appeal_window working days from the notification."""
    from huiyi.calendar import services as calendar

    v = _sanctioned(officer, director, staff, project)
    days = int(active_rulebook().value("qlt.violation.appeal_window"))
    assert v.appeal_due == calendar.due(v.sanction_notified_at, working_days=days).due
    with pytest.raises(ValidationError):
        services.close_violation(v, by=director)  # window still open
    Violation.objects.filter(pk=v.pk).update(appeal_due=timezone.now() - timedelta(minutes=1))
    v.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.appeal(v, text="Too late", by=staff)
    assert "appeal_text" in error.value.message_dict
    assert services.close_violation(v, by=director).status == Violation.Status.CLOSED


def test_req_qlt_08_only_the_person_concerned_appeals(officer, director, staff, project):
    v = _sanctioned(officer, director, staff, project)
    with pytest.raises(ValidationError):
        services.appeal(v, text="On their behalf", by=officer)
    assert not staff.has_perm("accountability.sanction", v)
    assert staff.has_perm("accountability.appeal", v) and not officer.has_perm("accountability.appeal", v)


def test_req_qlt_08_visibility_matrix(officer, director, staff, project, make_user, org):
    """REQ-QLT-08: only the roles the rulebook names (within their units) and the person concerned see it."""
    v = _sanctioned(officer, director, staff, project)
    named = active_rulebook().rule("qlt.violation.visible_to").command
    assert set(named) == {"quality_officer", "project_director", "hr"}
    hr = make_user("hr", org["company"])
    south_officer = make_user("quality_officer", org["south"])
    colleague = make_user("project_manager", org["north_events"])
    planner = make_user("planner", org["north_events"])
    reporter_only = make_user("on_site_director", org["north_events"])
    allowed = [officer, director, hr, staff]
    denied = [south_officer, colleague, planner, reporter_only]
    for user in allowed:
        assert user.has_perm("accountability.view", v), user
        assert queries.visible_violations(user).filter(pk=v.pk).exists(), user
    for user in denied:
        assert not user.has_perm("accountability.view", v), user
        assert not queries.visible_violations(user).filter(pk=v.pk).exists(), user
    # the reporter does not see the case afterwards unless a named role or concerned
    other = _report(reporter_only, project, title="Late set-up")
    assert not reporter_only.has_perm("accountability.view", other)
    # the person concerned sees only their own case
    unrelated = _report(officer, project, title="Unrelated")
    assert not staff.has_perm("accountability.view", unrelated)


def test_req_qlt_08_steps_in_order_and_validated(officer, director, staff, project):
    v = _report(officer, project)
    with pytest.raises(ValidationError):
        services.notify_sanction(v, sanction="warning", detail="x", by=director)
    with pytest.raises(ValidationError) as error:
        _report(officer, project, occurred_at=timezone.now() + timedelta(days=1))
    assert "occurred_at" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _report(officer, project, rule_id="no.such.rule")
    assert "rule_id" in error.value.message_dict
    services.start_investigation(v, investigator=officer, by=officer)
    with pytest.raises(ValidationError) as error:
        services.determine_responsibility(
            v, findings="x", responsible_person=staff, responsible_role="nope", by=officer
        )
    assert "responsible_role" in error.value.message_dict


def test_req_qlt_08_breach_opens_a_nonconformance_once(officer, project):
    v = _report(officer, project, rule_id="qlt.sop.optimisation_meeting_interval")
    assert v.clause == "§3.1(3)" and v.req == "REQ-QLT-10"
    nc = services.open_nonconformance(v, severity="minor", by=officer)
    assert nc.source == Nonconformance.Source.VIOLATION and v.code in nc.description["en"]
    assert services.open_nonconformance(v, by=officer).pk == nc.pk
    assert Nonconformance.objects.count() == 1


def test_req_qlt_08_violations_kpi_counts_visible_cases(officer, staff, project, make_user, org):
    import datetime as dt

    from huiyi.quality.kpis.registry import Scope, get

    _report(officer, project)
    _report(officer, project, title="Second")
    today = timezone.localdate()
    scope = Scope(today - dt.timedelta(days=30), today + dt.timedelta(days=1), user=officer)
    assert get("violations").compute(scope).value == 2
    outsider = make_user("quality_officer", org["south"])
    scope = Scope(today - dt.timedelta(days=30), today + dt.timedelta(days=1), user=outsider)
    assert get("violations").compute(scope).value == 0
