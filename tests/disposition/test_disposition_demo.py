"""REQ-DOC-06: the demo shows a destruction awaiting the lead's approval and an earlier one, recorded."""

from huiyi.core.models import Notification
from huiyi.documents.disposition import demo, queries
from huiyi.documents.disposition.models import DestructionRecord, DispositionRequest


def test_req_doc_06_demo_pending_request_and_completed_destruction(
    org, make_user, make_project, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path / "media"
    lead = make_user("project_manager", org["north_events"], username="yang.fan", display_name="杨帆")
    quality = make_user("quality_officer", org["company"], username="han.mei", display_name="韩梅")
    project = make_project(code="HY-2026-081", start_in_days=-55, members=[(lead, "project_manager")])
    with django_capture_on_commit_callbacks(execute=True):
        demo.build([project], {"quality_officer": quality, "project_manager": lead})
    pending = DispositionRequest.objects.get(status=DispositionRequest.Status.PENDING)
    assert pending.requested_by == quality and pending.document.project == project
    assert pending.document in queries.queue(lead, state="requested")
    key = f"disposition.request:{pending.pk}"
    assert Notification.objects.filter(recipient=lead, dedupe_key=key).exists()
    record = DestructionRecord.objects.get()
    assert (record.requested_by, record.approved_by, record.destroyed_by) == (quality, lead, quality)
    assert record.files.count() == 2 and record.storage_cleared_at is not None
    assert record.approved_at < record.destroyed_at
    assert record.document.destroyed_at == record.destroyed_at
