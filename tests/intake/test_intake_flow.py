"""Inquiry → project → requirements list → client confirmation → discrepancy (REQ-INT-01…07, CCP-01)."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from pypdf import PdfReader

from huiyi.core import links
from huiyi.projects.intake import queries, services
from huiyi.projects.intake.models import KeyStep, RequirementsRevision
from huiyi.projects.models import MeetingType
from huiyi.quality.metrics import measure
from huiyi.rulebook.services import rulebook_for

FULL_ITEMS = {
    key: {"text": f"{key} 已确认", "completion": Decimal("1"), "unclear": False}
    for key in ("what", "when", "where", "who", "why", "how", "how_much")
}


def _inquiry(manager, client_org, at=None):
    return services.create_inquiry(
        by=manager, client=client_org, contact_name="王经理", channel="phone", summary="年会 300 人", at=at
    )


def _walk_steps(inquiry, manager, start, minutes=(3, 8, 20, 4)):
    moment = start
    data = {
        "identify_client": {"credentials_note": "营业执照已核验"},
        "classify_request": {"classification": "custom"},
        "capability_match": {"capability_ok": True},
        "next_appointment": {"next_appointment": start + timedelta(days=1)},
    }
    for step, taken in zip(services.CONTACT_STEPS, minutes, strict=True):
        moment += timedelta(minutes=taken)
        inquiry = services.record_contact_step(inquiry, step, by=manager, at=moment, **data[step])
    return inquiry


def _project_fields():
    start = timezone.now() + timedelta(days=40)
    return {
        "name": "年度客户大会",
        "meeting_type": MeetingType.objects.get(key="annual"),
        "start": start,
        "end": start + timedelta(hours=8),
        "expected_attendees": 300,
    }


def test_req_int_01_step_times_measured_from_timestamps_and_compared_with_rules(manager, client_org):
    start = timezone.now() - timedelta(hours=1)
    inquiry = _walk_steps(_inquiry(manager, client_org, at=start), manager, start)
    timings = queries.contact_step_timings(inquiry)
    assert [row["minutes"] for row in timings] == [3, 8, 20, 4]
    # capability match took 20 min against the rulebook's limit; the others are within theirs
    assert [row["within"] for row in timings] == [True, True, False, True]


def test_req_int_01_steps_in_order_and_once(manager, client_org):
    inquiry = _inquiry(manager, client_org)
    with pytest.raises(ValidationError) as error:
        services.record_contact_step(inquiry, "classify_request", by=manager, classification="urgent")
    assert "step" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.record_contact_step(inquiry, "identify_client", by=manager, credentials_note="")
    assert "credentials_note" in error.value.message_dict
    services.record_contact_step(inquiry, "identify_client", by=manager, credentials_note="ok")
    with pytest.raises(ValidationError):
        services.record_contact_step(inquiry, "identify_client", by=manager, credentials_note="again")


def test_req_int_01_new_client_created_with_the_inquiry(manager):
    inquiry = services.create_inquiry(
        by=manager,
        new_client={"name": "新客户科技有限公司", "kind": "enterprise"},
        contact_name="李女士",
        channel="email",
        summary="培训会",
    )
    assert inquiry.client.name == "新客户科技有限公司"


def test_req_int_02_convert_starts_key_step_clocks_from_receipt(manager, client_org):
    start = timezone.now() - timedelta(hours=2)
    inquiry = _walk_steps(_inquiry(manager, client_org, at=start), manager, start)
    project = services.convert_inquiry(inquiry, by=manager, **_project_fields())
    inquiry.refresh_from_db()
    assert inquiry.project == project
    steps = {s.key: s for s in KeyStep.objects.filter(project=project)}
    rb = rulebook_for(project)
    assert steps["initial_survey"].started_at == start
    assert steps["service_agreement"].due_at - start == timedelta(
        hours=rb.value("int.key_step.service_agreement")
    )
    assert project.members.filter(user=manager, role__key="account_manager").exists()


def test_req_int_01_convert_needs_all_four_steps(manager, client_org):
    inquiry = _inquiry(manager, client_org)
    with pytest.raises(ValidationError):
        services.convert_inquiry(inquiry, by=manager, **_project_fields())


def test_req_int_02_overdue_key_steps_notify_account_manager_once(manager, client_org):
    start = timezone.now() - timedelta(days=5)
    inquiry = _walk_steps(_inquiry(manager, client_org, at=start), manager, start)
    project = services.convert_inquiry(inquiry, by=manager, **_project_fields())
    assert services.notify_overdue_key_steps() == 3
    assert services.notify_overdue_key_steps() == 0
    assert manager.notifications.count() == 3
    assert project.key_steps.filter(overdue_notified_at__isnull=False).count() == 3


@pytest.fixture
def project(manager, make_project):
    return make_project(members=[(manager, "account_manager")])


def test_req_int_05_completeness_and_first_save_completes_initial_survey(project, manager):
    items = dict(FULL_ITEMS)
    items["how"] = {"text": "", "completion": Decimal("0"), "unclear": False}
    items["who"] = {"text": "VIP 待定", "completion": Decimal("0.5"), "unclear": True}
    revision = services.save_requirements(
        project, by=manager, items=items, values={"budget": Decimal("500000")}
    )
    rb = rulebook_for(project)
    from huiyi.projects.intake import completeness

    score = completeness.of_revision(revision, rb)
    assert score.index == (Decimal(5) + Decimal("0.5")) / 7
    assert any("How" in entry for entry in score.missing)
    assert KeyStep.objects.get(project=project, key="initial_survey").completed_at is not None
    assert measure("no_unclear_requirement_items", project, rb).value == 0
    assert measure("requirement_information_recorded_rate", project, rb).value == Decimal(6) / 7
    assert queries.client_budget(project) == Decimal("500000")


def test_req_int_06_payment_terms_validated_and_nothing_saved(project, manager):
    with pytest.raises(ValidationError) as error:
        services.save_requirements(
            project,
            by=manager,
            values={
                "budget": Decimal("100000"),
                "payment_schedule": "advance_balance",
                "advance_amount": Decimal("60000"),
                "advance_due": timezone.localdate(),
                "balance_amount": Decimal("50000"),
                "balance_due": timezone.localdate() - timedelta(days=1),
            },
        )
    assert {"balance_due", "balance_amount"} <= set(error.value.message_dict)
    assert not RequirementsRevision.objects.filter(project=project).exists()


def test_req_int_06_refund_policy_defaults_from_rulebook(project, manager):
    revision = services.save_requirements(project, by=manager, items=FULL_ITEMS)
    rb = rulebook_for(project)
    assert revision.refund_window_days == rb.value("int.refund.late_cancellation_window")
    assert revision.refund_non_refundable_share == Decimal(
        str(rb.value("int.refund.late_cancellation_non_refundable"))
    )
    assert revision.services == ["venue_setup", "sign_in"]


def test_req_int_07_confirmation_link_records_who_when_where_and_is_single_use(project, manager):
    revision = services.save_requirements(project, by=manager, items=FULL_ITEMS)
    link, token = services.send_for_confirmation(revision, by=manager)
    confirmed = services.confirm_requirements(token, name="王经理", address="10.0.0.8")
    assert confirmed.is_confirmed and confirmed.confirmed_by_name == "王经理"
    assert confirmed.confirmation_link == link and confirmed.confirmed_address == "10.0.0.8"
    with pytest.raises(links.LinkUsed):
        services.confirm_requirements(token, name="someone else")
    rb = rulebook_for(project)
    assert measure("requirements_list_confirmed", project, rb).value == 1
    assert measure("requirement_records_accurate", project, rb).value == 1
    with translation.override("en"):
        expected = str(_("Requirements list confirmed by the client"))
    with translation.override("zh-hans"):
        expected_zh = str(_("Requirements list confirmed by the client"))
    assert manager.notifications.filter(title__in=[expected, expected_zh]).exists()


def test_req_int_07_expired_link_changes_nothing(project, manager):
    revision = services.save_requirements(project, by=manager, items=FULL_ITEMS)
    _link, token = services.send_for_confirmation(revision, by=manager, lifetime=timedelta(seconds=-1))
    with pytest.raises(links.LinkExpired):
        services.confirm_requirements(token, name="王经理")
    revision.refresh_from_db()
    assert revision.status == "sent" and revision.confirmed_at is None


def test_req_int_07_edit_after_confirmation_creates_new_revision(project, manager):
    revision = services.save_requirements(project, by=manager, items=FULL_ITEMS)
    _link, token = services.send_for_confirmation(revision, by=manager)
    services.confirm_requirements(token, name="王经理")
    second = services.save_requirements(project, by=manager, values={"budget": Decimal("800000")})
    assert second.number == 2 and second.status == "draft"
    assert second.items.count() == 7
    revision.refresh_from_db()
    assert revision.budget is None and revision.is_confirmed
    rb = rulebook_for(project)
    assert measure("requirements_list_confirmed", project, rb).value == 0
    # the phase output still points at the confirmed revision
    from huiyi.projects.outputs import evidence_for

    assert evidence_for(project, "client_requirements_confirmation") is not None


def test_req_int_07_editing_a_sent_list_withdraws_its_link(project, manager):
    revision = services.save_requirements(project, by=manager, items=FULL_ITEMS)
    _link, token = services.send_for_confirmation(revision, by=manager)
    services.save_requirements(project, by=manager, values={"budget": Decimal("1")})
    with pytest.raises(links.LinkRevoked):
        services.confirm_requirements(token, name="王经理")


def test_req_int_07_comment_uses_the_link_and_returns_to_draft(project, manager):
    revision = services.save_requirements(project, by=manager, items=FULL_ITEMS)
    _link, token = services.send_for_confirmation(revision, by=manager)
    services.comment_requirements(token, name="王经理", text="人数改为 350", address="1.2.3.4")
    revision.refresh_from_db()
    assert revision.status == "draft" and revision.comments.get().text == "人数改为 350"


def test_req_int_07_discrepancies_give_the_error_rate(project, manager):
    with pytest.raises(ValidationError):
        services.record_discrepancy(project, item="what", description="x", by=manager)
    revision = services.save_requirements(project, by=manager, items=FULL_ITEMS)
    _link, token = services.send_for_confirmation(revision, by=manager)
    services.confirm_requirements(token, name="王经理")
    with pytest.raises(ValidationError) as error:
        services.record_discrepancy(project, item="nonsense", description="x", by=manager)
    assert "item" in error.value.message_dict
    services.record_discrepancy(project, item="who", description="VIP 人数少记 2 位", by=manager)
    rb = rulebook_for(project)
    items = 1 + 2 + 1 + 7  # basic information, two basic services, budget, 5W2H
    assert measure("requirements_error_rate", project, rb).value == Decimal(1) / items
    assert measure("requirements_accuracy", project, rb).value == 1 - Decimal(1) / items
    assert measure("requirement_records_accurate", project, rb).value == 0


def test_req_int_07_pdf_in_chinese_and_english(project, manager, client):
    services.save_requirements(
        project,
        by=manager,
        items=FULL_ITEMS,
        values={"budget": Decimal("300000"), "payment_method": "acceptance_bill"},
    )
    client.force_login(manager)
    url = reverse("intake:requirements_pdf", args=[project.pk])
    chinese = client.get(url + "?lang=zh-hans")
    assert chinese["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(chinese.content)).pages)
    assert "会议需求清单" in text and "承兑汇票" in text and "300,000.00" in text
    english = client.get(url + "?lang=en")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(english.content)).pages)
    assert "Meeting requirements list" in text and "Acceptance bill" in text
