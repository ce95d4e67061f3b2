"""SOP library (REQ-QLT-10): procedures linked to clauses, versions, quarterly optimisation meetings."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from huiyi.quality.metrics import Measurement, NotMeasurable, measure
from huiyi.quality.sop import queries, services
from huiyi.rulebook.services import active_rulebook

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_user, org):
    return make_user("quality_officer", org["company"], username="officer")


@pytest.fixture
def planner(make_user, org):
    return make_user("planner", org["north_events"], username="planner")


def _procedure(by):
    return services.create_procedure(
        code="SOP-DOC-01",
        title={"zh-hans": "会后资料归档", "en": "Archiving"},
        rule_ids=["doc.archive_deadline"],
        by=by,
    )


def test_req_qlt_10_procedure_is_linked_to_clauses(officer):
    """REQ-QLT-10: a procedure names the rulebook clauses it applies; unknown ones are refused."""
    procedure = _procedure(officer)
    assert procedure.requirements == ["REQ-DOC-03"] and procedure.rule_ids == ["doc.archive_deadline"]
    with pytest.raises(ValidationError) as error:
        services.create_procedure(code="X", title="x", rule_ids=["no.such"], by=officer)
    assert "rule_ids" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.create_procedure(code="Y", title="y", by=officer)
    assert "requirements" in error.value.message_dict


def test_req_qlt_10_versions_are_numbered_approved_and_cite_the_meeting(officer, planner):
    """REQ-QLT-10: each change is a new approved version with its note, meeting and improvement actions."""
    procedure = _procedure(officer)
    v1 = services.add_version(
        procedure,
        text="v1",
        change_note="First",
        effective_from=dt.date(2026, 1, 5),
        approved_by=officer,
        by=officer,
    )
    meeting = services.record_meeting(
        held_on=dt.date(2026, 3, 30),
        title="Q1",
        decisions="Change archiving",
        attendees=[officer],
        by=officer,
    )
    v2 = services.add_version(
        procedure,
        text="v2",
        change_note="Owner named",
        effective_from=dt.date(2026, 4, 1),
        approved_by=officer,
        meeting=meeting,
        by=officer,
    )
    assert (v1.number, v2.number) == (1, 2) and v2.meeting == meeting
    assert list(queries.versions(procedure).values_list("number", flat=True)) == [2, 1]
    assert queries.procedures().get(pk=procedure.pk).current_number == 2
    with pytest.raises(ValidationError) as error:  # a planner may not approve
        services.add_version(
            procedure,
            text="v3",
            change_note="x",
            effective_from=dt.date(2026, 5, 1),
            approved_by=planner,
            by=officer,
        )
    assert "approved_by" in error.value.message_dict
    with pytest.raises(ValidationError) as error:  # before the meeting that decided it
        services.add_version(
            procedure,
            text="v3",
            change_note="x",
            effective_from=dt.date(2026, 3, 1),
            approved_by=officer,
            meeting=meeting,
            by=officer,
        )
    assert "effective_from" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.add_version(
            procedure, change_note="x", effective_from=dt.date(2026, 5, 1), approved_by=officer, by=officer
        )
    assert "text" in error.value.message_dict
    assert procedure.versions.count() == 2


def test_req_qlt_10_quarterly_meeting_interval_from_the_rulebook(officer, org):
    """REQ-QLT-10: months since the last meeting against qlt.sop.optimisation_meeting_interval."""
    limit = active_rulebook().value("qlt.sop.optimisation_meeting_interval")
    today = dt.date(2026, 11, 28)
    assert queries.meeting_status(today=today).overdue  # none yet
    services.record_meeting(
        held_on=dt.date(2026, 4, 10), title="Q2", decisions="d", other_attendees="admin", by=officer
    )
    services.record_meeting(
        held_on=dt.date(2026, 9, 28), title="Q3", decisions="d", attendees=[officer], by=officer
    )
    status = queries.meeting_status(today=today)
    assert status.months_since == Decimal("2.00") and not status.overdue
    assert status.due == dt.date(2026, 9, 28) + dt.timedelta(days=0) + (
        dt.date(2026, 12, 28) - dt.date(2026, 9, 28)
    )
    assert status.previous_gap > limit and status.previous_gap_ok is False
    late = queries.meeting_status(today=dt.date(2027, 1, 5))
    assert late.overdue and late.months_since > limit


def test_req_qlt_10_metric_is_registered(officer, make_project):
    project = make_project()
    rulebook = active_rulebook()
    assert isinstance(measure("process_optimisation_meeting_interval", project, rulebook), NotMeasurable)
    services.record_meeting(
        held_on=dt.date.today() - dt.timedelta(days=31),
        title="Q",
        decisions="d",
        attendees=[officer],
        by=officer,
    )
    outcome = measure("process_optimisation_meeting_interval", project, rulebook)
    assert isinstance(outcome, Measurement) and Decimal("0.9") < outcome.value < Decimal("1.1")


def test_req_qlt_10_meeting_needs_attendees_and_decisions(officer):
    with pytest.raises(ValidationError) as error:
        services.record_meeting(held_on=dt.date(2026, 3, 1), title="Q", decisions="", by=officer)
    assert "decisions" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.record_meeting(held_on=dt.date(2026, 3, 1), title="Q", decisions="d", by=officer)
    assert "attendees" in error.value.message_dict
