"""The demo (issue 6, done when): on the meeting day a projector failure notifies the director, escalates when
not acknowledged, meets its 5-minute diagnosis clock, is resolved, has its report and a plan review; the
finished meeting has an evaluated fire drill (REQ-INC-01…07)."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from huiyi.clients.models import Contact
from huiyi.core.models import Notification
from huiyi.incidents import clocks, demo, report
from huiyi.incidents.models import ChainStep, Drill, Incident, PlanReview
from huiyi.quality.metrics import Measurement, measure
from huiyi.resources.models import Booking, Equipment
from huiyi.rulebook.services import rulebook_for

pytestmark = pytest.mark.django_db


def test_demo_builds_the_projector_failure_and_the_drill(make_user, make_project, org, client_org):
    unit = org["north_events"]
    people = {
        "on_site_director": make_user("on_site_director", unit, username="zhou"),
        "technical_support": make_user("technical_support", unit, username="wu"),
        "security": make_user("security", unit, username="wang"),
        "reception": make_user("reception", unit, username="zheng"),
        "project_director": make_user("project_director", unit, username="zhao"),
    }
    Contact.objects.create(client=client_org, name="刘洋", phone="13800000001", is_primary=True)
    now = timezone.now()
    day = make_project(
        unit,
        code="HY-2026-105",
        phase=3,
        start=now - timedelta(hours=3),
        end=now + timedelta(hours=4),
        venue_name="浦江科技总部 20 楼会议室",
        members=[
            (people["on_site_director"], "on_site_director"),
            (people["technical_support"], "technical_support"),
        ],
    )
    projector = Equipment.objects.create(name="激光投影仪 1", category="projector", serial_number="PJ-001")
    Booking.objects.create(
        project=day, kind="equipment", equipment=projector, starts_at=day.start, ends_at=day.end
    )
    past = make_project(
        unit,
        code="HY-2026-096",
        phase=4,
        start=now - timedelta(days=9),
        end=now - timedelta(days=8),
        members=[(people["on_site_director"], "on_site_director")],
    )
    demo.build([day, past], people)
    demo.build([day, past], people)  # built twice: nothing doubles

    incident = Incident.objects.get(project=day)
    assert incident.status == "closed" and incident.equipment == projector
    assert incident.reported_at == day.start + timedelta(minutes=40)
    first = incident.chain.get(position=1)
    assert first.user == people["on_site_director"] and first.escalated_at and first.acknowledged_at
    assert Notification.objects.filter(recipient=people["on_site_director"], kind="incident").exists()
    rulebook = rulebook_for(day)
    by_key = {c.key: c for c in clocks.incident_clocks(incident, rulebook)}
    assert by_key["diagnosis"].status == "met"
    assert PlanReview.objects.filter(incident=incident, status="open").exists()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(report.render(incident))).pages)
    assert "突发事件处理报告" in text
    assert not incident.chain.filter(state=ChainStep.State.PAGED).exists()
    assert incident.chain.get(role="host_principal").state == ChainStep.State.ACKNOWLEDGED
    assert isinstance(measure("equipment_failure_diagnosis_time", day, rulebook), Measurement)
    assert all(e.at <= timezone.now() for e in incident.timeline.all())

    drill = Drill.objects.get(project=past)
    assert drill.status == "evaluated" and drill.incident.is_drill
    assert drill.evaluation["steps"]
