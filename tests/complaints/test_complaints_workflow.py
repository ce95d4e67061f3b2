"""REQ-FBK-06: closing only with the resolution and the client's confirmation (or a documented reason),
reopening, a nonconformance raised with one action and linked both ways, attachments checked by content,
and CCP 9 (serious complaints per 100 meetings) over a period and per meeting."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from huiyi.feedback.complaints import queries, services
from huiyi.feedback.complaints.models import Complaint, ComplaintEvent
from huiyi.quality.metrics import measure, registry
from huiyi.quality.models import Nonconformance
from huiyi.rulebook.services import rulebook_for

from .conftest import at

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _new(team, severity="normal", **extra):
    values = {"channel": "on_site", "content": "会场空调过冷", "severity": severity}
    values.update(extra)
    return services.create_complaint(team["project"], by=team["am"], **values)


def test_req_fbk_06_closing_needs_the_resolution_and_the_clients_confirmation(team):
    complaint = _new(team)
    with pytest.raises(ValidationError) as error:
        services.close(
            complaint,
            by=team["am"],
            confirmed_by_name="刘洋",
            confirmation_method="phone",
            confirmed_at=timezone.now(),
        )
    assert "status" in error.value.message_dict  # not resolved yet
    with pytest.raises(ValidationError) as error:
        services.resolve(complaint, by=team["am"], resolution="   ")
    assert "resolution" in error.value.message_dict
    complaint = services.resolve(complaint, by=team["am"], resolution="调高温度并致歉")
    with pytest.raises(ValidationError) as error:
        services.close(complaint, by=team["am"])
    assert "confirmed_by_name" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.close(complaint, by=team["am"], confirmed_by_name="刘洋")
    assert {"confirmation_method", "confirmed_at"} <= set(error.value.message_dict)
    with pytest.raises(ValidationError) as error:
        services.close(
            complaint,
            by=team["am"],
            confirmed_by_name="刘洋",
            confirmation_method="phone",
            confirmed_at=timezone.now(),
            no_confirmation_reason="联系不上",
        )
    assert "no_confirmation_reason" in error.value.message_dict
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.RESOLVED  # nothing changed by the refusals
    complaint = services.close(
        complaint,
        by=team["am"],
        confirmed_by_name="刘洋",
        confirmation_method="phone",
        confirmed_at=timezone.now(),
    )
    assert complaint.status == Complaint.Status.CLOSED and complaint.closed_by == team["am"]
    event = ComplaintEvent.objects.get(complaint=complaint, kind="closed")
    assert event.data["confirmed_by"] == "刘洋" and event.data["how"] == "phone"


def test_req_fbk_06_closing_with_a_documented_reason_and_reopening(team):
    complaint = _new(team, received_at=at("2026-03-09 10:00"), now=at("2026-03-09 10:00"))
    services.resolve(complaint, by=team["am"], resolution="更换座位", now=at("2026-03-09 12:00"))
    complaint = services.close(
        complaint, by=team["am"], no_confirmation_reason="客户三次电话未接", now=at("2026-03-09 13:00")
    )
    assert complaint.no_confirmation_reason and complaint.confirmed_at is None
    complaint = services.reopen(
        complaint, by=team["pm"], reason="客户来电仍不满意", now=at("2026-03-10 12:00")
    )
    assert complaint.status == Complaint.Status.IN_PROGRESS and not complaint.no_confirmation_reason
    # The 24 h it spent resolved is not counted: 72 h − 2 h used → due 70 h after reopening.
    assert complaint.resolution_due == at("2026-03-13 10:00")


def test_req_qlt_06_a_complaint_raises_a_nonconformance_linked_both_ways(team):
    complaint = _new(team, "serious")
    nc = services.raise_nonconformance(complaint, by=team["pm"])
    assert nc.source == Nonconformance.Source.COMPLAINT and nc.severity == "major"
    assert complaint.reference in nc.description["zh-hans"] and complaint.reference in nc.description["en"]
    complaint.refresh_from_db()
    assert complaint.nonconformance == nc and nc.complaint == complaint
    assert services.raise_nonconformance(complaint, by=team["pm"]) == nc  # a retry: the same one
    assert Nonconformance.objects.filter(source="complaint").count() == 1


def test_req_fbk_06_acknowledgement_mail_to_the_complainant(team, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        complaint = _new(team, complainant_name="王女士", complainant_email="wang@example.com")
    sent = [m for m in mail.outbox if "wang@example.com" in m.to]
    assert len(sent) == 1 and complaint.reference in sent[0].subject + sent[0].body
    assert ComplaintEvent.objects.filter(complaint=complaint, kind="ack_sent").count() == 1


def test_req_fbk_06_bad_input_names_the_field_and_saves_nothing(team):
    cases = [
        ({"content": ""}, "content"),
        ({"content": "x" * (services.CONTENT_MAX_CHARS + 1)}, "content"),
        ({"severity": "urgent"}, "severity"),
        ({"channel": "fax"}, "channel"),
        ({"complainant_email": "not-an-address"}, "complainant_email"),
        ({"content": "bad\x00byte"}, "content"),
        ({"received_at": timezone.now() + dt.timedelta(days=1)}, "received_at"),
        ({"attachments": [SimpleUploadedFile("a.exe", b"MZ\x90\x00" * 10)]}, "attachments"),
        ({"attachments": [SimpleUploadedFile("e.png", b"")]}, "attachments"),
    ]
    for change, field in cases:
        with pytest.raises(ValidationError) as error:
            _new(team, **change)
        assert field in error.value.message_dict, (change, error.value)
    assert Complaint.objects.count() == 0


def test_req_fbk_06_attachments_are_kept_with_their_facts(team):
    complaint = _new(team, attachments=[SimpleUploadedFile("photo.png", PNG, content_type="text/html")])
    attachment = complaint.attachments.get()
    assert attachment.mime == "image/png" and attachment.size == len(PNG) and len(attachment.sha256) == 64
    assert attachment.file.name.endswith(".png")


def test_req_fbk_06_ccp09_serious_complaints_per_100_meetings_over_a_period(team, make_project, org):
    base = team["project"].start
    others = [make_project(org["north_events"], start_in_days=-10 + i) for i in range(3)]
    outside = make_project(org["north_events"], start_in_days=-9, out_of_scope="informal")
    _new(team, "serious")
    services.create_complaint(others[0], channel="phone", content="严重", severity="normal", by=team["am"])
    services.create_complaint(outside, channel="phone", content="不计入", severity="serious", by=team["am"])
    start = timezone.localtime(base).date()
    rate = queries.serious_rate(start, start + dt.timedelta(days=5))
    assert (rate.meetings, rate.serious) == (4, 1)  # the out-of-scope meeting and its complaint excluded
    assert rate.rate == Decimal("25.00") and rate.passed is False
    empty = queries.serious_rate(start - dt.timedelta(days=400), start - dt.timedelta(days=300))
    assert empty.meetings == 0 and empty.rate is None


def test_req_fbk_06_ccp09_metric_per_meeting(team):
    assert "serious_complaint_rate" in registry()
    result = measure("serious_complaint_rate", team["project"], rulebook_for(team["project"]))
    assert result.value == 0
    _new(team, "serious")
    _new(team, "normal")
    result = measure("serious_complaint_rate", team["project"], rulebook_for(team["project"]))
    assert result.value == 100 and result.evidence["serious_complaints"] == 1
