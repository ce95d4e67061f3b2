"""A level I incident end to end (REQ-INC-01…06), drills excluded from real measures (REQ-INC-07), the
incident report PDF, the plan review, the metrics and the phase output."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from huiyi.incidents import report as pdf_report
from huiyi.incidents import services
from huiyi.incidents.models import ChainStep, PlanReview, ResponsePlan
from huiyi.projects.outputs import evidence_for
from huiyi.quality.metrics import Measurement, NotMeasurable, measure
from huiyi.rulebook.services import rulebook_for


def _measure(project, key):
    return measure(key, project, rulebook_for(project))


@pytest.mark.django_db
def test_req_inc_01_level_i_scenario_end_to_end(team, report):
    project = team["project"]
    incident = report(type="fire", place="二楼宴会厅后厨", impact="后厨起火,浓烟", injuries=True)
    assert incident.level == "I"
    # level I command includes the host's principal and the government authorities (REQ-INC-03)
    assert incident.chain.filter(role="host_principal").exists()
    assert any("政府" in t.text.get("zh-hans", "") for t in incident.tasks.all())
    first = incident.chain.get(position=1)
    services.check_timers(now=first.ack_due + timedelta(seconds=5))  # the director misses it
    # the host confirmed by phone; the director records it
    services.acknowledge(
        incident.chain.get(position=2), by=team["director"], now=first.ack_due + timedelta(seconds=30)
    )
    services.set_level(incident, level="I", by=team["director"])
    for task in incident.tasks.all():
        services.tick_task(task, by=team["security"])
    services.record_action(incident, by=team["security"], message="已疏散至东门集合点,清点 58 人")
    services.release_information(
        incident,
        by=team["director"],
        channel="broadcast",
        facts="后厨起火已扑灭",
        measures="疏散完毕",
        notes="请勿返回",
    )
    with pytest.raises(ValidationError):
        services.close_incident(incident, by=team["director"])  # not resolved yet
    services.resolve(incident, by=team["director"], resolution="消防到场确认明火扑灭")
    services.close_incident(incident, by=team["director"], lessons="后厨灭火毯需补充")
    incident.refresh_from_db()
    assert incident.status == "closed"
    assert not incident.chain.filter(state=ChainStep.State.WAITING).exists()
    review = PlanReview.objects.get(incident=incident)
    assert review.status == "open" and review.plan.incident_type == "fire"
    # the report
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf_report.render(incident))).pages)
    assert "突发事件处理报告" in text
    assert "后厨灭火毯需补充" in text
    # the review makes a new version when the steps change
    plan = review.plan
    steps = [*plan.steps, {"zh-hans": "检查后厨灭火毯", "en": "Check the kitchen fire blankets"}]
    services.complete_plan_review(review, by=team["boss"], findings="补充后厨检查", steps=steps)
    plan.refresh_from_db()
    assert plan.version == 2 and review.plan.steps[-1]["en"] == "Check the kitchen fire blankets"
    # metrics and phase output
    response = _measure(project, "critical_incident_response_time")
    assert isinstance(response, Measurement) and response.value > 0
    relay = _measure(project, "information_relay_time")
    assert isinstance(relay, Measurement)
    assert _measure(project, "response_plan_reviewed_after_incident").value == 1
    assert evidence_for(project, "incident_report") is not None


@pytest.mark.django_db
def test_req_inc_07_drill_runs_through_the_same_procedure_and_never_counts(team):
    project = team["project"]
    drill = services.plan_drill(
        project,
        by=team["director"],
        scenario_type="fire",
        scheduled_at=project.start,
        participants=[team["security"], team["medical"]],
        scenario="厨房起火疏散演练",
    )
    incident = services.run_drill(drill, by=team["director"])
    assert incident.is_drill and incident.chain.filter(state=ChainStep.State.PAGED).exists()
    services.acknowledge(incident.chain.get(position=1), by=team["director"])
    services.resolve(incident, by=team["director"], resolution="演练完成")
    drill = services.evaluate_drill(drill, by=team["director"], findings="疏散用时达标")
    assert drill.status == "evaluated"
    assert drill.evaluation["steps"][0]["in_time"] is True
    # never in real measures or the phase output
    for key in (
        "critical_incident_response_time",
        "information_relay_time",
        "emergency_response_standard_time",
    ):
        assert isinstance(_measure(project, key), NotMeasurable), key
    assert evidence_for(project, "incident_report") is None
    with pytest.raises(ValidationError):
        services.run_drill(drill, by=team["director"])  # run once


@pytest.mark.django_db
def test_calm_meeting_confirmation_is_the_phase_output(team, report):
    project = team["project"]
    assert evidence_for(project, "incident_report") is None
    services.confirm_no_incident(project, by=team["director"])
    assert evidence_for(project, "incident_report") is not None


@pytest.mark.django_db
def test_req_tec_02_av_failure_rate_against_con_01(team, report):
    from huiyi.resources.models import Booking, Equipment

    project = team["project"]
    assert isinstance(_measure(project, "av_failure_rate"), NotMeasurable)
    devices = [
        Equipment.objects.create(name=f"投影仪 {n}", category="projector", serial_number=f"PJ-T{n}")
        for n in range(4)
    ]
    for device in devices:
        Booking.objects.create(
            project=project, kind="equipment", equipment=device, starts_at=project.start, ends_at=project.end
        )
    assert _measure(project, "av_failure_rate").value == 0
    report(equipment=devices[0])
    value = _measure(project, "av_failure_rate_per_meeting").value
    assert value == pytest.approx(0.25)
    rule = rulebook_for(project).rule("tec.av_failure_rate")
    assert not rule.passes(value)


@pytest.mark.django_db
def test_req_inc_06_plans_not_reviewed_for_the_rulebook_interval_are_flagged(team):
    from django.utils import timezone

    from huiyi.incidents import queries

    services.ensure_default_plans()
    assert ResponsePlan.objects.count() == 9
    rule = rulebook_for(team["project"]).rule("inc.plan.review_interval")
    ResponsePlan.objects.filter(incident_type="fire").update(
        last_reviewed_at=timezone.now() - timedelta(days=31 * (int(rule.value) + 1))
    )
    flagged = {plan.incident_type for plan, _due, overdue in queries.plans_with_review_state() if overdue}
    assert flagged == {"fire"}
    months = _measure(team["project"], "response_plan_review_interval")
    assert not rule.passes(months.value)
