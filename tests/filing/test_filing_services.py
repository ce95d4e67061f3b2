"""Phase outputs filed as documents (issue 8; REQ-DOC-01, REQ-DOC-02, REQ-QLT-01)."""

import logging

import pytest

from huiyi.documents import filing, services
from huiyi.documents.models import Document
from huiyi.incidents import services as incidents
from huiyi.rulebook.services import rulebook_for

from .conftest import pdf_bytes

pytestmark = pytest.mark.django_db


def _fake(monkeypatch, doc_type: str, content: dict, uploads=None):
    """Replace an output's builder by one returning content["bytes"] (None: not ready)."""

    def build(project):
        return None if content["bytes"] is None else (content["bytes"], "plan.pdf")

    monkeypatch.setitem(
        filing._REGISTRY,
        doc_type,
        filing.Output(doc_type, build=build, retention_class="external_service_contract", uploads=uploads),
    )


def test_req_qlt_01_every_phase_output_of_the_rulebook_has_a_builder(team):
    """REQ-QLT-01: each phase output of the rulebook is registered for filing."""
    rulebook = rulebook_for(team["project"])
    outputs = {o.id for phase in rulebook.phases for o in phase.outputs}
    assert outputs and outputs <= set(filing.registered())


def test_req_doc_01_an_output_files_once_with_the_rulebook_classes(team, monkeypatch):
    """REQ-DOC-01/02: the first filing creates the document, classed by the rulebook, named by the rule."""
    project = team["project"]
    content = {"bytes": None}
    _fake(monkeypatch, "meeting_plan", content)
    assert filing.file_output(project, "meeting_plan", team["pm"]).state == "not_ready"
    assert not Document.objects.filter(project=project).exists()

    content["bytes"] = pdf_bytes("plan v1")
    result = filing.file_output(project, "meeting_plan", team["pm"])
    assert result.state == "created"
    document = Document.objects.get(project=project, doc_type="meeting_plan")
    assert document.retention_class == "external_service_contract" and document.retention_until is not None
    assert document.versions.count() == 1 and document.current_version.author == team["pm"]
    assert services.follows_naming_rule(document.current_version)
    assert document.current_version.name.endswith("-会议策划方案.pdf")


def test_req_doc_01_same_content_twice_adds_no_version_changed_content_adds_v2(team, monkeypatch):
    """REQ-DOC-01: identical content (same SHA-256) adds nothing; a changed file becomes version 2."""
    project = team["project"]
    content = {"bytes": pdf_bytes("plan v1")}
    _fake(monkeypatch, "meeting_plan", content)
    filing.file_output(project, "meeting_plan", team["pm"])
    again = filing.file_output(project, "meeting_plan", team["pm"])
    document = Document.objects.get(project=project, doc_type="meeting_plan")
    assert again.state == "unchanged" and document.versions.count() == 1

    content["bytes"] = pdf_bytes("plan v2")
    changed = filing.file_output(project, "meeting_plan", None)
    document.refresh_from_db()
    assert changed.state == "added" and document.versions.count() == 2
    assert document.current_version.number == 2
    assert document.current_version.author == project.created_by or project.members.filter(
        user=document.current_version.author
    )


def test_req_doc_01_signed_copy_is_a_version_of_the_same_document(team, monkeypatch):
    """The client's signed copy is filed as a further version of the plan's document, once."""
    project = team["project"]
    signed = [filing.Built(pdf_bytes("signed"), "签字版.pdf", "e-signed copy")]
    content = {"bytes": pdf_bytes("plan v1")}
    _fake(monkeypatch, "meeting_plan", content, uploads=lambda p: signed)
    assert filing.file_output(project, "meeting_plan", team["pm"]).state == "created"
    assert filing.file_output(project, "meeting_plan", team["pm"]).state == "unchanged"
    document = Document.objects.get(project=project, doc_type="meeting_plan")
    assert [v.change_note for v in document.versions.order_by("number")] == ["", "e-signed copy"]
    assert Document.objects.filter(project=project, doc_type="meeting_plan").count() == 1


def test_req_doc_01_real_builders_are_deterministic(team):
    """The same record renders the same bytes (frozen clock, invariant PDF): the daily job adds nothing."""
    project = team["project"]
    incidents.confirm_no_incident(project, by=team["onsite"], note="平稳")
    first = filing.file_output(project, "incident_report", team["onsite"])
    second = filing.file_output(project, "incident_report", team["onsite"])
    assert (first.state, second.state) == ("created", "unchanged")
    assert first.document.current_version.mime == "application/pdf"


def test_req_doc_01_failure_never_breaks_the_originating_action(
    team, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    """A builder that fails after the commit is logged; the confirmation stands; the job files it later."""
    project = team["project"]
    original = filing._REGISTRY["incident_report"]

    def broken(project):
        raise RuntimeError("renderer down")

    monkeypatch.setitem(filing._REGISTRY, "incident_report", filing.Output("incident_report", build=broken))
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True) as callbacks:
        calm = incidents.confirm_no_incident(project, by=team["onsite"])
    assert callbacks, "the save of the confirmation schedules a filing"
    assert calm.pk and "renderer down" in caplog.text
    assert not Document.objects.filter(project=project, doc_type="incident_report").exists()

    monkeypatch.setitem(filing._REGISTRY, "incident_report", original)
    from huiyi.documents import filing_tasks

    counts = filing_tasks.file_all()
    assert counts.get("created", 0) >= 1
    assert Document.objects.filter(project=project, doc_type="incident_report").count() == 1


def test_req_doc_01_hook_files_after_commit(team, django_capture_on_commit_callbacks):
    """The originating save files the output once its transaction commits."""
    project = team["project"]
    with django_capture_on_commit_callbacks(execute=True):
        incidents.confirm_no_incident(project, by=team["onsite"])
    document = Document.objects.get(project=project, doc_type="incident_report")
    assert document.versions.count() == 1


def test_req_doc_01_file_outputs_now_action(team, client):
    """The lead's "file outputs now" files what is ready; someone who may not file is refused."""
    project = team["project"]
    incidents.confirm_no_incident(project, by=team["onsite"])
    client.force_login(team["stranger"])
    response = client.post(f"/documents/projects/{project.pk}/file-outputs/")
    assert response.status_code in (403, 404)
    assert not Document.objects.filter(project=project).exists()
    client.force_login(team["pm"])
    response = client.post(f"/documents/projects/{project.pk}/file-outputs/")
    assert response.status_code == 302
    assert Document.objects.filter(project=project, doc_type="incident_report").count() == 1
    page = client.get(f"/documents/projects/{project.pk}/")
    html = page.content.decode()
    assert 'data-output="incident_report" class="output-present"' in html
    assert 'data-output="meeting_plan" class="output-missing"' in html
