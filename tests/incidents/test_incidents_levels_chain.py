"""Level suggestion (REQ-INC-01), command chain paging and escalation (REQ-INC-03, REQ-ONS-09), clocks
(REQ-INC-04, REQ-INC-09) and acknowledgement permissions."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from huiyi.core.models import Notification
from huiyi.incidents import clocks, services
from huiyi.incidents.models import ChainStep, Incident, TimelineEntry
from huiyi.incidents.rules import suggest_level
from huiyi.rulebook.services import rulebook_for


@pytest.mark.parametrize(
    ("incident_type", "flags", "level"),
    [
        ("equipment_failure", {}, "II"),
        ("fire", {"injuries": True}, "I"),
        ("health", {}, "III"),
        ("health", {"injuries": True}, "II"),
        ("conflict", {"attendees_affected": True}, "II"),
        ("missing_person", {}, "IV"),
        ("missing_person", {"meeting_interrupted": True}, "I"),
        ("other", {"attendees_affected": True, "meeting_interrupted": True}, "II"),
        ("weather", {"injuries": True, "attendees_affected": True}, "II"),
    ],
)
def test_req_inc_01_level_suggested_from_type_and_impact(incident_type, flags, level):
    assert suggest_level(incident_type, **flags) == level


@pytest.mark.django_db
def test_req_inc_02_report_opens_plan_checklist_and_pages_the_director(team, report):
    incident = report()
    assert incident.level == incident.suggested_level == "II"
    assert incident.tasks.count() >= 5  # the equipment plan's steps (+ the government report for level II)
    chain = list(incident.chain.order_by("position"))
    # REQ-ONS-09: director → host → (type's service) → security centre → project director
    assert [s.role for s in chain] == [
        "on_site_director",
        "host_principal",
        "technical_support",
        "security",
        "project_director",
    ]
    assert chain[0].state == ChainStep.State.PAGED and chain[0].user == team["director"]
    assert all(s.state == ChainStep.State.WAITING for s in chain[1:])
    rulebook = rulebook_for(team["project"])
    assert chain[0].ack_due - chain[0].paged_at == clocks.relay_window(rulebook)
    page = Notification.objects.get(recipient=team["director"], kind="incident")
    assert "/incidents/ack/" in page.body  # the signed one-tap link for a phone without a session
    assert incident.timeline.filter(kind=TimelineEntry.Kind.REPORT).exists()


@pytest.mark.django_db
def test_req_inc_03_unacknowledged_step_escalates_with_time_travel_and_is_idempotent(team, report):
    incident = report()
    first = incident.chain.get(position=1)
    # before the timer runs out nothing happens
    assert services.check_timers(now=first.ack_due - timedelta(seconds=1)) == 0
    later = first.ack_due + timedelta(seconds=1)
    assert services.check_timers(now=later) == 1
    assert services.check_timers(now=later) == 0  # a retried run changes nothing twice
    first.refresh_from_db()
    host = incident.chain.get(position=2)
    assert first.state == ChainStep.State.ESCALATED and first.is_red
    assert host.state == ChainStep.State.PAGED and host.contact is not None
    assert incident.timeline.filter(kind=TimelineEntry.Kind.ESCALATION).count() == 1
    # the host has no account: the page goes by e-mail with the signed link
    from django.db import transaction  # noqa: F401

    # the host's timer runs out too: technical support is paged next
    services.check_timers(now=host.ack_due + timedelta(seconds=1))
    assert incident.chain.get(position=3).state == ChainStep.State.PAGED


@pytest.mark.django_db
def test_req_ons_09_acknowledgement_relays_to_next_step_and_stops_response_clock(team, report):
    incident = report()
    first = incident.chain.get(position=1)
    services.acknowledge(first, by=team["director"])
    first.refresh_from_db()
    incident.refresh_from_db()
    assert first.state == ChainStep.State.ACKNOWLEDGED and first.via == "app"
    assert incident.responded_at is not None
    assert incident.chain.get(position=2).state == ChainStep.State.PAGED
    with pytest.raises(ValidationError):
        services.acknowledge(first, by=team["director"])  # twice: refused, nothing changed


@pytest.mark.django_db
def test_req_inc_03_only_chain_or_project_director_acknowledge(team, report):
    incident = report()
    first = incident.chain.get(position=1)
    with pytest.raises(PermissionDenied):
        services.acknowledge(first, by=team["reception"])  # reported it, but not in the chain
    with pytest.raises(PermissionDenied):
        services.stop_clock(incident, "diagnosis", by=team["reception"])
    first.refresh_from_db()
    assert first.state == ChainStep.State.PAGED
    services.acknowledge(
        first, by=team["boss"]
    )  # the project director may record it on the director's behalf
    first.refresh_from_db()
    assert first.via == "on_behalf"


@pytest.mark.django_db
def test_signed_link_acknowledges_its_own_step_once(team, report, client):
    from huiyi.core import links

    incident = report()
    step = incident.chain.get(position=1)
    _link, token = links.issue(services.ACK_PURPOSE, step)
    response = client.post(f"/incidents/ack/{token}/")
    assert response.status_code == 200
    step.refresh_from_db()
    assert step.state == ChainStep.State.ACKNOWLEDGED and step.via == "link"
    again = client.post(f"/incidents/ack/{token}/")
    assert again.status_code == 410


@pytest.mark.django_db
def test_req_inc_09_response_clock_is_standard_time_times_priority_coefficient(team, report):
    rulebook = rulebook_for(team["project"])
    standard = rulebook.rule("inc.response.standard_time")
    for level in ("I", "II", "III", "IV"):
        coefficient = clocks.priority_coefficient(rulebook, level).value
        assert clocks.response_target(rulebook, level) == timedelta(minutes=standard.value * coefficient)
    incident = report(type="fire", injuries=True)
    assert incident.level == "I"
    by_key = {c.key: c for c in clocks.incident_clocks(incident, rulebook, incident.reported_at)}
    # level I: standard × coefficient equals CCP 8's critical response time
    critical = rulebook.rule("ccp08.critical_response_time")
    assert by_key["response"].due - incident.reported_at == clocks.rule_duration(critical)
    assert by_key["critical_response"].due == by_key["response"].due
    assert "diagnosis" not in by_key


@pytest.mark.django_db
def test_req_inc_04_type_clocks_diagnosis_and_host_report(team, report):
    rulebook = rulebook_for(team["project"])
    equipment = report()
    keys = {c.key: c for c in clocks.incident_clocks(equipment, rulebook)}
    rule = rulebook.rule("inc.plan.equipment_failure_diagnosis")
    assert keys["diagnosis"].due - equipment.reported_at == clocks.rule_duration(rule)
    assert "host_report" not in keys
    services.stop_clock(equipment, "diagnosis", by=team["director"])
    equipment.refresh_from_db()
    diagnosis = {c.key: c for c in clocks.incident_clocks(equipment, rulebook)}["diagnosis"]
    assert diagnosis.status == "met"
    conflict = report(type="conflict")
    keys = {c.key: c for c in clocks.incident_clocks(conflict, rulebook)}
    assert keys["host_report"].due - conflict.reported_at == clocks.rule_duration(
        rulebook.rule("inc.plan.conflict_report_to_host")
    )
    late = conflict.reported_at + clocks.rule_duration(rulebook.rule("inc.plan.conflict_report_to_host")) * 2
    assert {c.key: c for c in clocks.incident_clocks(conflict, rulebook, late)}["host_report"].breached


@pytest.mark.django_db
def test_req_inc_01_level_change_needs_reason_and_adds_host_to_chain(team, report):
    incident = report(type="health")
    assert incident.level == "III"
    assert not incident.chain.filter(role="host_principal").exists()
    with pytest.raises(ValidationError) as error:
        services.set_level(incident, level="I", by=team["director"])
    assert "reason" in error.value.message_dict
    services.set_level(incident, level="I", by=team["director"], reason="两人受伤送医")
    incident.refresh_from_db()
    assert incident.level == "I" and incident.level_confirmed_by == team["director"]
    assert incident.chain.filter(role="host_principal").exists()
    entry = incident.timeline.get(kind=TimelineEntry.Kind.LEVEL)
    assert "两人受伤送医" in entry.text and entry.data["before"] == "III"


@pytest.mark.django_db
def test_req_inc_02_bad_report_names_the_field_and_changes_nothing(team):
    with pytest.raises(ValidationError) as error:
        services.report_incident(team["project"], by=team["reception"], type="", place=" ", impact="x")
    assert set(error.value.message_dict) >= {"type", "place"}
    assert Incident.objects.count() == 0


@pytest.mark.django_db
def test_critical_clock_breach_opens_a_nonconformance_once(team, report):
    from huiyi.quality.models import Nonconformance

    incident = report(type="fire", injuries=True)
    rule = rulebook_for(team["project"]).rule("ccp08.critical_response_time")
    late = incident.reported_at + clocks.rule_duration(rule) + timedelta(minutes=1)
    services.check_timers(now=late)
    services.check_timers(now=late + timedelta(minutes=1))
    assert Nonconformance.objects.filter(project=team["project"], rule_id=rule.id).count() == 1
    assert incident.timeline.filter(kind=TimelineEntry.Kind.CLOCK, data__breach=rule.id).count() == 1


@pytest.mark.django_db
def test_host_contact_is_paged_by_email(team, report, django_capture_on_commit_callbacks):
    incident = report()
    with django_capture_on_commit_callbacks(execute=True):
        services.acknowledge(incident.chain.get(position=1), by=team["director"])
    assert any("liu.yang@client.example" in m.to for m in mail.outbox)
