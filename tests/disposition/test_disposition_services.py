"""REQ-DOC-04, REQ-DOC-06, REQ-CON-05: retention ends per class, the lead's approval, refusals, destruction
that removes every stored byte and keeps its record, legal hold, the daily notice and the metric."""

import datetime as dt
import os

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from huiyi.core.models import Notification
from huiyi.documents import services as documents
from huiyi.documents.disposition import queries, services
from huiyi.documents.disposition.metrics import destruction_approved
from huiyi.documents.disposition.models import DestructionRecord, DispositionRequest, LegalHoldEvent
from huiyi.documents.models import Document
from huiyi.documents.services import add_years
from huiyi.quality.metrics import Measurement, NotMeasurable
from huiyi.rulebook.services import rulebook_for

from .conftest import PDF, file_document, pdf

CLASS_YEARS = {  # the rulebook's defaults (standard.yaml), asserted here as the specification states them
    "agenda": 1,
    "discussion_records": 3,
    "sign_in_records": 2,
    "external_service_contract": 3,
    "internal_management_document": 1,
}


def _stored_bytes(root) -> list[bytes]:
    found = []
    for folder, _dirs, files in os.walk(root):
        for name in files:
            with open(os.path.join(folder, name), "rb") as handle:
                found.append(handle.read())
    return found


def _approved(document, requester, approver):
    request = services.request_destruction(document, by=requester, reason="保存期满,按规定销毁")
    return services.approve(request, by=approver, note="同意")


# ---------------------------------------------------------------------------------------------------------
# retention end per class, end to end through the queue


def test_req_doc_04_req_con_05_retention_end_per_class_through_the_queue(old):
    """Each class enters the queue on the day its period ends, not the day before; permanent never does."""
    project, pm = old["project"], old["pm"]
    end = timezone.localtime(project.end).date()
    contract_end = end + dt.timedelta(days=10)
    docs = {
        "agenda": file_document(project, pm, doc_type="agenda", retention_class="agenda"),
        "discussion_records": file_document(project, pm, retention_class="discussion_records"),
        "sign_in_records": file_document(
            project, pm, doc_type="sign_in_sheet", retention_class="sign_in_records"
        ),
        "external_service_contract": file_document(
            project,
            pm,
            doc_type="contract",
            retention_class="external_service_contract",
            trigger_kind="contract_end",
            trigger_date=contract_end,
        ),
        "internal_management_document": file_document(
            project,
            pm,
            doc_type="other",
            retention_class="internal_management_document",
            trigger_kind="contract_end",
            trigger_date=contract_end,
        ),
    }
    permanent = file_document(project, pm, doc_type="attendee_list", retention_class="attendee_list")
    rulebook = rulebook_for(project)
    for key, years in CLASS_YEARS.items():
        rule = next(r for r in rulebook.rules if r.applies_to.get("document_class") == key)
        assert rule.value == years, key
        document = docs[key]
        start = contract_end if document.trigger_kind == "contract_end" else end
        assert document.retention_until == add_years(start, years), key
        day = document.retention_until
        assert document not in queries.queue(pm, today=day - dt.timedelta(days=1)), key
        assert document in queries.queue(pm, today=day), key
        assert document in queries.queue(pm, state="upcoming", today=day - dt.timedelta(days=30), days=90), (
            key
        )
        assert document in queries.due(today=day)
    far = end + dt.timedelta(days=365 * 100)
    assert permanent.retention_permanent and permanent not in queries.due(today=far)
    assert permanent not in queries.queue(pm, today=far)


def test_req_doc_04_queue_filters_and_hold_state(old, due_document):
    pm = old["pm"]
    agenda = file_document(old["project"], pm, doc_type="agenda", retention_class="agenda")
    assert set(queries.queue(pm)) == {due_document, agenda}
    assert list(queries.queue(pm, doc_type="agenda")) == [agenda]
    assert list(queries.queue(pm, retention_class="discussion_records")) == [due_document]
    assert list(queries.queue(pm, project=old["project"])) != []
    services.place_hold(agenda, by=pm, reason="诉讼取证")
    assert list(queries.queue(pm, state="held")) == [agenda]
    services.request_destruction(due_document, by=pm, reason="期满")
    assert list(queries.queue(pm, state="requested")) == [due_document]
    assert list(queries.queue(old["stranger"])) == []  # another company's meeting: nothing


# ---------------------------------------------------------------------------------------------------------
# who approves


def test_req_doc_06_approvers_are_the_meetings_lead_and_the_director(old, due_document):
    names = {u.username for u in services.approvers(due_document)}
    assert names == {"pm", "director"}
    assert "project_manager" in services.approving_roles(due_document)


def test_req_doc_06_self_approval_refused(old, due_document):
    request = services.request_destruction(due_document, by=old["pm"], reason="期满")
    with pytest.raises(ValidationError) as refused:
        services.approve(request, by=old["pm"])
    assert "decided_by" in refused.value.message_dict
    request.refresh_from_db()
    assert request.status == DispositionRequest.Status.PENDING
    approved = services.approve(request, by=old["director"])
    assert approved.status == DispositionRequest.Status.APPROVED and approved.decided_by == old["director"]


@pytest.mark.parametrize("who", ["planner", "quality", "stranger", "other_pm"])
def test_req_doc_06_wrong_role_refused(old, due_document, who):
    request = services.request_destruction(due_document, by=old["director"], reason="期满")
    with pytest.raises(PermissionDenied):
        services.approve(request, by=old[who])
    with pytest.raises(PermissionDenied):
        services.reject(request, by=old[who], note="不同意")
    request.refresh_from_db()
    assert request.status == DispositionRequest.Status.PENDING


def test_req_doc_06_planner_cannot_even_ask(old, due_document):
    with pytest.raises(PermissionDenied):
        services.request_destruction(due_document, by=old["planner"], reason="期满")


def test_req_doc_06_reject_needs_a_reason(old, due_document):
    request = services.request_destruction(due_document, by=old["pm"], reason="期满")
    with pytest.raises(ValidationError) as refused:
        services.reject(request, by=old["director"], note=" ")
    assert "note" in refused.value.message_dict
    rejected = services.reject(request, by=old["director"], note="该纪要仍在审计抽查范围内")
    assert rejected.status == DispositionRequest.Status.REJECTED
    # a new request may follow a rejection
    assert services.request_destruction(due_document, by=old["pm"], reason="审计结束").pk != request.pk


# ---------------------------------------------------------------------------------------------------------
# refusals


def test_req_doc_06_before_retention_end_refused(org, make_user, make_project, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    pm = make_user("project_manager", org["north_events"], username="pm2")
    project = make_project(start_in_days=-3, members=[(pm, "project_manager")])
    young = file_document(project, pm, doc_type="agenda", retention_class="agenda")
    with pytest.raises(ValidationError) as refused:
        services.request_destruction(young, by=pm, reason="不需要了")
    assert young.retention_until.isoformat() in " ".join(refused.value.messages)
    assert not DispositionRequest.objects.exists()


def test_req_doc_06_permanent_document_refused(old):
    permanent = file_document(
        old["project"], old["pm"], doc_type="attendee_list", retention_class="attendee_list"
    )
    with pytest.raises(ValidationError) as refused:
        services.request_destruction(permanent, by=old["pm"], reason="清理")
    assert [code for code, _m in services.blockers(permanent)] == ["permanent"]
    assert "document" in refused.value.message_dict


def test_req_doc_06_destruction_without_approval_refused(old, due_document):
    request = services.request_destruction(due_document, by=old["pm"], reason="期满")
    with pytest.raises(ValidationError) as refused:
        services.destroy(request, by=old["director"])
    assert "status" in refused.value.message_dict
    services.reject(request, by=old["director"], note="暂缓")
    with pytest.raises(ValidationError):
        services.destroy(request, by=old["director"])
    assert not DestructionRecord.objects.exists()
    assert default_storage.exists(due_document.current_version.file.name)


def test_req_doc_06_legal_hold_refuses_request_approval_and_destruction(old, due_document):
    """A hold blocks everything, also when placed after the approval."""
    pm, director = old["pm"], old["director"]
    services.place_hold(due_document, by=pm, reason="合同纠纷诉讼保全")
    with pytest.raises(ValidationError) as refused:
        services.request_destruction(due_document, by=pm, reason="期满")
    assert [e.code for e in refused.value.error_dict["document"]] == ["legal_hold"]
    services.lift_hold(due_document, by=pm, reason="诉讼结案")
    request = services.request_destruction(due_document, by=pm, reason="期满")
    services.place_hold(due_document, by=director, reason="监管部门调阅")
    with pytest.raises(ValidationError):
        services.approve(request, by=director)
    services.lift_hold(due_document, by=director, reason="调阅结束")
    services.approve(request, by=director)
    services.place_hold(due_document, by=director, reason="再次保全")  # after the approval
    with pytest.raises(ValidationError) as refused:
        services.destroy(request, by=pm)
    assert [e.code for e in refused.value.error_dict["document"]] == ["legal_hold"]
    due_document.refresh_from_db()
    assert due_document.destroyed_at is None and not DestructionRecord.objects.exists()


def test_req_doc_06_legal_hold_needs_the_hold_permission_and_a_reason_and_is_audited(old, due_document):
    for outsider in ("quality", "stranger", "planner"):  # documents.hold: the meeting's leads only
        with pytest.raises(PermissionDenied):
            services.place_hold(due_document, by=old[outsider], reason="x")
    with pytest.raises(ValidationError):
        services.place_hold(due_document, by=old["pm"], reason="")
    event = services.place_hold(due_document, by=old["pm"], reason="诉讼保全")
    assert event.action == LegalHoldEvent.Action.PLACED and event.by == old["pm"]
    due_document.refresh_from_db()
    assert due_document.legal_hold
    with pytest.raises(ValidationError):
        services.place_hold(due_document, by=old["pm"], reason="again")
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Document), object_pk=str(due_document.pk)
    )
    assert any("诉讼保全" in str(e.changes) for e in entries)
    assert LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(LegalHoldEvent)).exists()


# ---------------------------------------------------------------------------------------------------------
# destruction


def test_req_doc_06_destruction_removes_every_stored_byte_and_keeps_the_record(
    old, django_capture_on_commit_callbacks
):
    """Two versions of a plain document and an encrypted very-high one: afterwards MEDIA_ROOT holds no byte of
    any version, and the record names file, sha256, size, time, destroyer, requester, approver, reason."""
    pm, director = old["pm"], old["director"]
    one, two = PDF + b"% first\n", PDF + b"% second version\n"
    minutes = file_document(old["project"], pm, retention_class="discussion_records", body=one)
    documents.add_version(minutes, upload=pdf("v2.pdf", two), by=pm, change_note="修订")
    secret_body = PDF + b"% very high\n"
    secret = documents.create_document(
        project=old["project"],
        doc_type="sign_in_sheet",
        title="签到记录(绝密)",
        retention_class="sign_in_records",
        confidentiality="very_high",
        upload=pdf("sign.pdf", secret_body),
        by=pm,
    )
    assert secret.current_version.encrypted
    paths = [v.file.name for d in (minutes, secret) for v in d.versions.all()]
    assert all(default_storage.exists(p) for p in paths)

    records = []
    for document in (minutes, secret):
        request = _approved(document, pm, director)
        with django_capture_on_commit_callbacks(execute=True):
            records.append(services.destroy(request, by=pm))

    assert not any(default_storage.exists(p) for p in paths)
    remaining = _stored_bytes(old["media"])
    for body in (one, two, secret_body):
        assert not any(body in blob for blob in remaining)
    assert remaining == []

    record = DestructionRecord.objects.get(document=minutes)
    assert record.storage_cleared_at is not None
    assert (record.requested_by, record.approved_by, record.destroyed_by) == (pm, director, pm)
    assert record.reason == "保存期满,按规定销毁" and record.project_code == old["project"].code
    files = list(record.files.order_by("number"))
    assert [f.number for f in files] == [1, 2]
    assert [f.size for f in files] == [len(one), len(two)]
    assert all(len(f.sha256) == 64 and f.deleted_at for f in files)
    assert files[0].name == minutes.versions.get(number=1).name
    assert DestructionRecord.objects.get(document=secret).files.get().encrypted
    minutes.refresh_from_db()
    assert minutes.destroyed_at == record.destroyed_at and minutes.destroyed_by == pm
    assert DispositionRequest.objects.get(document=minutes).status == DispositionRequest.Status.EXECUTED
    # the document stays, takes no new version, and cannot be destroyed twice
    with pytest.raises(ValidationError):
        documents.add_version(minutes, upload=pdf("v3.pdf"), by=pm)
    assert [c for c, _m in services.blockers(minutes)] == ["destroyed"]


def test_req_doc_06_crash_after_commit_is_finished_by_the_purge_job(
    old, due_document, django_capture_on_commit_callbacks
):
    """The record commits first; if the deletes never ran (a crash), the daily job deletes the leftovers."""
    path = due_document.current_version.file.name
    request = _approved(due_document, old["pm"], old["director"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        record = services.destroy(request, by=old["pm"])
    assert len(callbacks) == 1  # the deletes wait for the commit …
    assert default_storage.exists(path)  # … and here they never ran
    assert record.storage_cleared_at is None
    assert services.purge_leftovers() == 1
    assert not default_storage.exists(path)
    record.refresh_from_db()
    assert record.storage_cleared_at is not None
    assert services.purge_leftovers() == 0  # idempotent


def test_req_doc_06_crash_before_commit_keeps_the_files_and_writes_no_record(old, due_document):
    """A failure inside the transaction rolls everything back: no record without destruction, no lost file."""
    path = due_document.current_version.file.name
    request = _approved(due_document, old["pm"], old["director"])
    with pytest.raises(RuntimeError), transaction.atomic():
        services.destroy(request, by=old["pm"])
        raise RuntimeError("power cut")
    assert default_storage.exists(path)
    assert not DestructionRecord.objects.exists()
    due_document.refresh_from_db()
    assert due_document.destroyed_at is None


def test_req_doc_06_destroy_needs_the_permission(old, due_document):
    request = _approved(due_document, old["pm"], old["director"])
    with pytest.raises(PermissionDenied):
        services.destroy(request, by=old["planner"])


# ---------------------------------------------------------------------------------------------------------
# the daily notice and the metric


def test_req_doc_04_due_notice_once_per_document(old, due_document):
    sent = services.notify_due()
    assert sent == 2  # the lead and the director
    assert services.notify_due() == 0
    assert Notification.objects.filter(dedupe_key=f"disposition.due:{due_document.pk}").count() == 2
    recipients = set(
        Notification.objects.filter(kind="disposition").values_list("recipient__username", flat=True)
    )
    assert recipients == {"pm", "director"}


def test_req_doc_06_metric_every_destruction_approved(old, due_document, django_capture_on_commit_callbacks):
    project = old["project"]
    rulebook = rulebook_for(project)
    assert isinstance(destruction_approved(project, rulebook), NotMeasurable)
    request = _approved(due_document, old["pm"], old["director"])
    with django_capture_on_commit_callbacks(execute=True):
        services.destroy(request, by=old["pm"])
    result = destruction_approved(project, rulebook)
    assert isinstance(result, Measurement) and result.value == 1
    # a document marked destroyed without any record (outside the flow) makes it fail
    other = file_document(project, old["pm"], doc_type="agenda", retention_class="agenda")
    Document.objects.filter(pk=other.pk).update(destroyed_at=timezone.now())
    result = destruction_approved(project, rulebook)
    assert result.value == 0 and result.evidence["unapproved"] == [other.pk]
