"""REQ-DOC-05: borrowing needs the approval of the meeting's lead; paper copies are handed out and returned by
the keeper; the log keeps borrower, file, borrowed at and returned at."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from huiyi.documents.borrowing import services
from huiyi.documents.borrowing.models import Borrowing

from .conftest import later


def ask(lib, who="finance", doc="agenda", medium="paper", days=5, **kw):
    return services.request_borrowing(
        lib[doc], by=lib[who], medium=medium, purpose="核对会议记录", due_at=later(days), **kw
    )


def test_req_doc_05_only_the_meetings_lead_approves(lib):
    b = ask(lib)
    for who in ("other_pm", "planner", "keeper", "quality", "director"):
        with pytest.raises(PermissionDenied):
            services.approve(b, by=lib[who])
    services.approve(b, by=lib["pm"], note="同意")
    b.refresh_from_db()
    assert b.status == Borrowing.Status.APPROVED and b.decided_by == lib["pm"]
    assert b.approver_role == "project_manager" and b.decided_at is not None


def test_req_doc_05_borrower_cannot_approve_own_request_even_as_lead(lib):
    b = ask(lib, who="pm")
    with pytest.raises(PermissionDenied):
        services.approve(b, by=lib["pm"])
    assert Borrowing.objects.get(pk=b.pk).status == Borrowing.Status.REQUESTED


def test_req_doc_05_superuser_is_not_a_lead_by_being_one(lib, make_user):
    from huiyi.accounts.models import User

    admin = User.objects.create_superuser(username="root", password="x" * 20)
    b = ask(lib)
    with pytest.raises(PermissionDenied):
        services.approve(b, by=admin)


def test_req_doc_05_rejection_needs_a_reason_and_is_final(lib):
    b = ask(lib)
    with pytest.raises(ValidationError) as error:
        services.reject(b, by=lib["pm"], reason="  ")
    assert "reason" in error.value.message_dict
    services.reject(b, by=lib["pm"], reason="用途不明确")
    b.refresh_from_db()
    assert b.status == Borrowing.Status.REJECTED and b.decision_note == "用途不明确"
    with pytest.raises(ValidationError):
        services.approve(b, by=lib["pm"])


def test_req_doc_05_paper_handed_out_and_returned_by_the_keeper(lib):
    b = ask(lib)
    with pytest.raises(ValidationError):
        services.hand_out(b, by=lib["keeper"])  # not approved yet
    services.approve(b, by=lib["pm"])
    with pytest.raises(PermissionDenied):
        services.hand_out(b, by=lib["finance"])  # the borrower is no keeper
    with pytest.raises(PermissionDenied):
        services.hand_out(b, by=lib["planner"])  # no keeper role
    services.hand_out(b, by=lib["keeper"])
    b.refresh_from_db()
    assert b.status == Borrowing.Status.LENT and b.borrowed_at and b.handed_out_by == lib["keeper"]
    services.return_borrowing(b, by=lib["keeper"])
    b.refresh_from_db()
    assert b.status == Borrowing.Status.RETURNED and b.returned_at >= b.borrowed_at
    assert b.received_by == lib["keeper"]


def test_req_doc_05_period_limited_by_the_rulebook(lib):
    from huiyi.rulebook.services import rulebook_for

    longest = rulebook_for(lib["project"]).value(services.MAX_PERIOD_RULE)
    with pytest.raises(ValidationError) as error:
        ask(lib, days=longest + 1)
    assert "due_at" in error.value.message_dict
    assert ask(lib, days=longest - 0.01).pk


def test_req_doc_05_bad_input_changes_nothing(lib):
    with pytest.raises(ValidationError) as error:
        services.request_borrowing(
            lib["agenda"], by=lib["finance"], medium="fax", purpose="x", due_at=later(1)
        )
    assert "medium" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.request_borrowing(
            lib["agenda"], by=lib["finance"], medium="paper", purpose="", due_at=later(1)
        )
    assert "purpose" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.request_borrowing(
            lib["agenda"], by=lib["finance"], medium="paper", purpose="x", due_at=later(-1)
        )
    assert "due_at" in error.value.message_dict
    assert Borrowing.objects.count() == 0


def test_req_doc_05_a_stranger_cannot_ask_for_a_meeting_they_do_not_see(lib):
    with pytest.raises(PermissionDenied):
        ask(lib, who="stranger")


def test_req_doc_05_request_notifies_the_lead_and_decision_the_borrower(lib):
    from huiyi.core.models import Notification

    b = ask(lib)
    assert Notification.objects.filter(recipient=lib["pm"], url__endswith=f"/borrowing/{b.pk}/").exists()
    services.approve(b, by=lib["pm"])
    assert Notification.objects.filter(recipient=lib["finance"], kind="borrowing").count() == 1


def test_req_doc_05_borrower_withdraws_an_undecided_request(lib):
    b = ask(lib)
    with pytest.raises(PermissionDenied):
        services.cancel(b, by=lib["pm"])
    services.cancel(b, by=lib["finance"])
    assert Borrowing.objects.get(pk=b.pk).status == Borrowing.Status.CANCELLED


def test_req_doc_05_metric_every_borrowing_approved_by_the_lead(lib):
    from huiyi.documents.borrowing.metrics import borrowing_approved
    from huiyi.quality.metrics import Measurement, NotMeasurable
    from huiyi.rulebook.services import rulebook_for

    rulebook = rulebook_for(lib["project"])
    assert isinstance(borrowing_approved(lib["project"], rulebook), NotMeasurable)
    b = ask(lib)
    services.approve(b, by=lib["pm"])
    ask(lib, who="planner")  # still waiting: not counted
    result = borrowing_approved(lib["project"], rulebook)
    assert isinstance(result, Measurement) and result.value == 1
    assert rulebook.rule("doc.borrowing_approved").passes(result.value)
    # a record that bypassed the lead (e.g. imported) fails the check
    Borrowing.objects.filter(pk=b.pk).update(approver_role="", decided_by=lib["finance"])
    assert borrowing_approved(lib["project"], rulebook).value == 0
