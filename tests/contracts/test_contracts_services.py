"""Contract services: REQ-CON-01 (scope, standards, payments), REQ-CON-02/03 (change requests), REQ-CON-04
(breaches), REQ-CON-05 (retention)."""

import hashlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from huiyi.contracts import services
from huiyi.contracts.models import Breach, ChangeRequest, Contract
from huiyi.core import links
from huiyi.projects.outputs import evidence_for
from huiyi.quality.metrics import measure
from huiyi.rulebook.services import rulebook_for

from .conftest import SCOPE, payments, pdf_upload

pytestmark = pytest.mark.django_db


def test_REQ_CON_01_new_contract_has_scope_and_quality_standards_from_the_rulebook(team, draft):
    rulebook = rulebook_for(team["project"])
    expected = [rule.id for rule in rulebook.rules if rule.id.startswith("con.quality.")]
    standards = list(draft.standards.all())
    assert [s.rule_id for s in standards] == expected
    av = next(s for s in standards if s.rule_id == "con.quality.av_failure_rate")
    assert "1%" in av.target["zh-hans"] and "1%" in av.target["en"]
    assert [stage for stage, _label, _text in draft.scope()] == [
        "preparation",
        "onsite",
        "in_meeting",
        "post_meeting",
    ]
    assert draft.status == Contract.Status.DRAFT and draft.version == 1
    assert draft.number == f"HT-{team['project'].code}"


def test_REQ_CON_01_payment_lines_must_add_up_to_the_value(team):
    with pytest.raises(ValidationError) as error:
        services.create_contract(
            team["project"], by=team["pm"], value=Decimal("90000.00"), payments=payments(), **SCOPE
        )
    assert "payments" in error.value.message_dict
    assert not Contract.objects.exists()


def test_REQ_CON_01_signing_needs_the_signed_copy_and_records_hash_and_key_step(team, draft):
    with pytest.raises(ValidationError) as error:
        services.sign_contract(draft, by=team["pm"])
    assert "signed_copy" in error.value.message_dict
    content = b"%PDF-1.4 the scan"
    services.attach_signed_copy(draft, pdf_upload(content=content), by=team["pm"])
    contract = services.sign_contract(draft, by=team["pm"])
    assert contract.status == Contract.Status.SIGNED and contract.signed_by == team["pm"]
    assert contract.signed_copy_sha256 == hashlib.sha256(content).hexdigest()
    assert contract.signed_copy_size == len(content) and contract.signed_copy_mime == "application/pdf"
    from huiyi.projects.intake.models import KeyStep

    step = KeyStep.objects.get(project=team["project"], key="service_agreement")
    assert step.completed_at is not None
    assert evidence_for(team["project"], "service_contract") is not None


def test_REQ_CON_01_a_planner_may_not_draw_up_contracts(team):
    with pytest.raises(PermissionDenied):
        services.create_contract(
            team["project"], by=team["planner"], value=Decimal("100000.00"), payments=payments(), **SCOPE
        )


def test_REQ_CON_05_retention_from_the_meeting_end_and_deletion_refused(team, signed):
    years = rulebook_for(team["project"]).value("con.retention.external_contract")
    end = timezone.localtime(team["project"].end).date()
    assert signed.retention_until == end.replace(year=end.year + int(years))
    with pytest.raises(ValidationError):
        services.delete_contract(signed, by=team["director"])
    assert Contract.objects.filter(pk=signed.pk).exists()


def test_REQ_CON_05_a_draft_may_be_deleted(team, draft):
    services.delete_contract(draft, by=team["director"])
    assert not Contract.objects.exists()


def test_REQ_CON_02_change_request_without_affected_date_is_refused(team, signed):
    with pytest.raises(ValidationError) as error:
        services.submit_change_request(
            signed, by=team["pm"], kind="scope", description="加一场晚宴", affected_at=None, cost_impact=0
        )
    assert "affected_at" in error.value.message_dict
    assert not ChangeRequest.objects.exists()


def test_REQ_CON_02_late_flag_is_computed_from_the_rulebook_lead_time(team, signed):
    lead = rulebook_for(team["project"]).value("con.change_request.lead_time")
    now = timezone.now()
    late = services.submit_change_request(
        signed,
        by=team["pm"],
        kind="time",
        description="提前开始",
        affected_at=now + timedelta(hours=lead - 1),
        cost_impact=Decimal("0"),
        submitted_at=now,
    )
    on_time = services.submit_change_request(
        signed,
        by=team["pm"],
        kind="time",
        description="换会议室",
        affected_at=now + timedelta(hours=lead),
        cost_impact=Decimal("0"),
        submitted_at=now,
    )
    assert late.is_late and not on_time.is_late
    assert late.lead_hours == Decimal(lead - 1) and late.required_lead_hours == Decimal(lead)
    assert (late.sequence, on_time.sequence) == (1, 2)
    measured = measure("change_request_lead_time", team["project"], rulebook_for(team["project"]))
    assert measured.value == Decimal(lead - 1)


def test_REQ_CON_03_cost_impact_of_an_extension_uses_the_coefficient(team, signed):
    # One local day, whatever the hour the suite runs at (start + 8 h may otherwise cross midnight).
    project = team["project"]
    start = timezone.localtime(project.start).replace(hour=9, minute=0, second=0, microsecond=0)
    type(project).objects.filter(pk=project.pk).update(start=start, end=start + timedelta(hours=8))
    project.refresh_from_db()
    coefficient = Decimal(str(rulebook_for(team["project"]).value("con.change_cost_coefficient")))
    change = services.submit_change_request(
        signed,
        by=team["pm"],
        kind="time",
        description="会期延长半天",
        affected_at=timezone.now() + timedelta(days=10),
        extension_days=Decimal("0.5"),
    )
    # the test project runs one day: half a day is half the meeting
    assert change.cost_from_formula
    assert change.cost_impact == (Decimal("100000.00") * Decimal("0.5") * coefficient).quantize(
        Decimal("0.01")
    )


def test_REQ_CON_02_both_sides_confirm_then_the_contract_is_amended_as_v2(team, signed):
    change = services.submit_change_request(
        signed,
        by=team["am"],
        kind="scope",
        description="增加会后晚宴",
        affected_at=timezone.now() + timedelta(days=10),
        cost_impact=Decimal("8000.00"),
        scope_stage="post_meeting",
        scope_text="会后总结与答谢晚宴",
    )
    with pytest.raises(PermissionDenied):
        services.approve_change_request(change, by=team["am"])
    change = services.approve_change_request(change, by=team["pm"])
    assert change.status == ChangeRequest.Status.PENDING
    token = services.issue_client_link(change, by=team["am"])
    change = services.confirm_by_client_link(token, name="刘洋", address="203.0.113.5")
    assert change.status == ChangeRequest.Status.APPLIED
    new = change.resulting_version
    assert new.version == 2 and new.previous_id == signed.pk and new.status == Contract.Status.SIGNED
    assert new.value == Decimal("108000.00")
    assert new.scope_post_meeting == "会后总结与答谢晚宴"
    assert sum(p.amount for p in new.payments.all()) == new.value
    assert new.standards.count() == signed.standards.count()
    signed.refresh_from_db()
    assert signed.status == Contract.Status.AMENDED and signed.value == Decimal("100000.00")
    with pytest.raises(links.LinkUsed):
        services.confirm_by_client_link(token, name="刘洋")


def test_REQ_CON_02_client_confirmation_recorded_by_staff_with_the_name(team, signed):
    change = services.submit_change_request(
        signed,
        by=team["pm"],
        kind="budget",
        description="增加预算",
        affected_at=timezone.now() + timedelta(days=10),
        cost_impact=Decimal("1000.00"),
    )
    with pytest.raises(ValidationError) as error:
        services.record_client_confirmation(change, by=team["am"], client_name=" ")
    assert "client_name" in error.value.message_dict
    change = services.record_client_confirmation(change, by=team["am"], client_name="刘洋")
    assert change.client_channel == "recorded" and change.status == ChangeRequest.Status.PENDING
    change = services.approve_change_request(change, by=team["director"])
    assert change.status == ChangeRequest.Status.APPLIED


def test_REQ_CON_02_expired_link_changes_nothing(team, signed):
    change = services.submit_change_request(
        signed,
        by=team["pm"],
        kind="budget",
        description="增加预算",
        affected_at=timezone.now() + timedelta(days=10),
        cost_impact=Decimal("1000.00"),
    )
    token = services.issue_client_link(change, by=team["pm"], lifetime=timedelta(seconds=-1))
    with pytest.raises(links.LinkExpired):
        services.confirm_by_client_link(token, name="刘洋")
    change.refresh_from_db()
    assert change.client_confirmed_at is None


def test_REQ_CON_04_breach_with_class_from_the_rulebook_and_proportional_refund(team, signed):
    breach = services.record_breach(
        signed,
        by=team["pm"],
        breach_class="minor",
        description="投影仪单次故障",
        occurred_at=timezone.now(),
        responsibility="provider",
        refund_ratio=Decimal("0.02"),
        remedy_measures="更换备用投影仪",
        remedy_deadline=timezone.localdate() + timedelta(days=3),
    )
    assert breach.rule_id == "con.breach.minor" and breach.remedy_amount == Decimal("2000.00")
    breach = services.update_remedy_status(breach, by=team["pm"], status=Breach.RemedyStatus.COMPLETED)
    assert breach.remedy_completed_at is not None
    with pytest.raises(ValidationError) as error:
        services.record_breach(
            signed,
            by=team["pm"],
            breach_class="catastrophic",
            description="?",
            occurred_at=timezone.now(),
            responsibility="provider",
            remedy_amount=Decimal("1"),
            remedy_measures="-",
            remedy_deadline=timezone.localdate(),
        )
    assert "breach_class" in error.value.message_dict
