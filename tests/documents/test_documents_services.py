"""Documents: naming rule, upload refusals, versions, encryption at rest, very-high reads logged."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from huiyi.documents import services
from huiyi.documents.models import AccessLog, Document, DocumentVersion
from huiyi.rulebook.services import rulebook_for

from .conftest import PDF, pdf, xlsx, xlsx_bytes


def _agenda(team, **extra):
    return services.create_document(
        project=team["project"], doc_type="agenda", title="会议议程", by=team["pm"], upload=pdf(), **extra
    )


def test_req_doc_02_naming_rule_applied_and_original_name_kept(team):
    document = _agenda(team)
    version = document.current_version
    project = team["project"]
    day = timezone.localtime(project.start).date().strftime("%Y%m%d")
    assert version.name == f"{project.name}-{day}-议程.pdf"
    assert version.original_filename == "agenda.pdf"
    assert services.follows_naming_rule(version)
    assert services.suggested_name(project, "agenda") == f"{project.name}-{day}-议程"


def test_req_doc_08_versions_number_and_current(team):
    document = _agenda(team)
    second = services.add_version(
        document, upload=pdf("v2.pdf", PDF + b"%v2"), by=team["planner"], change_note="调整茶歇时间"
    )
    document.refresh_from_db()
    assert second.number == 2 and document.current_version == second
    assert [v.number for v in document.versions.all()] == [2, 1]
    assert second.change_note == "调整茶歇时间" and second.author == team["planner"]
    assert len(second.sha256) == 64 and second.size == len(PDF) + 3 and second.mime == "application/pdf"


@pytest.mark.parametrize(
    ("upload", "filename", "reason"),
    [
        (SimpleUploadedFile("a.exe", b"MZ\x90\x00"), "", "cannot be filed"),
        (SimpleUploadedFile("fake.pdf", b"<html>not a pdf</html>"), "", "not a pdf"),
        (SimpleUploadedFile("fake.docx", b"%PDF-1.4 pretending"), "", "not a docx"),
        (SimpleUploadedFile("bin.txt", b"abc\x00\x01\x02"), "", "not a txt"),
        (pdf(), "../../etc/agenda.pdf", "path"),
        (pdf(), "dir\\agenda.pdf", "path"),
        (SimpleUploadedFile("empty.pdf", b""), "", "empty"),
    ],
)
def test_req_doc_07_bad_uploads_refused_with_reason_and_nothing_stored(team, upload, filename, reason):
    document = services.create_document(
        project=team["project"], doc_type="agenda", title="议程", by=team["pm"]
    )
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.add_version(document, upload=upload, filename=filename, by=team["pm"])
    assert reason in " ".join(error.value.message_dict["file"]).lower()
    assert not DocumentVersion.objects.exists()


def test_req_doc_07_upload_over_the_size_limit_refused(team, settings):
    settings.HUIYI_DOCUMENT_MAX_BYTES = 10
    with pytest.raises(ValidationError) as error:
        _agenda(team)
    assert "file" in error.value.message_dict
    assert not Document.objects.exists()  # the whole filing is undone


def test_req_doc_07_very_high_file_encrypted_at_rest_and_round_trips(team):
    services.sign_agreement(team["project"], user=team["pm"])
    content = xlsx_bytes()
    document = services.create_document(
        project=team["project"],
        doc_type="attendee_list",
        title="参会人员名单",
        by=team["pm"],
        upload=xlsx(content=content),
    )
    version = document.current_version
    assert document.confidentiality == "very_high" and version.encrypted
    with default_storage.open(version.file.name, "rb") as handle:
        stored = handle.read()
    assert content not in stored and b"PK\x03\x04" not in stored[:64]
    assert b"".join(services.open_version(version, user=team["pm"])) == content
    assert version.file.name.startswith("documents/") and "名单" not in version.file.name


def test_req_doc_07_non_very_high_file_stored_plain(team):
    version = _agenda(team).current_version
    assert not version.encrypted
    with default_storage.open(version.file.name, "rb") as handle:
        assert handle.read() == PDF


def test_req_doc_07_every_very_high_read_logged_and_others_not(team):
    services.sign_agreement(team["project"], user=team["pm"])
    attendees = services.create_document(
        project=team["project"], doc_type="attendee_list", title="名单", by=team["pm"], upload=xlsx()
    )
    agenda = _agenda(team)
    meta = {"REMOTE_ADDR": "10.0.0.7", "HTTP_USER_AGENT": "pytest"}
    list(services.open_version(attendees.current_version, user=team["pm"], meta=meta))
    list(services.open_version(agenda.current_version, user=team["pm"], meta=meta))
    entry = AccessLog.objects.get()
    assert entry.document == attendees and entry.user == team["pm"] and entry.action == "download"
    assert entry.ip_address == "10.0.0.7" and entry.version == attendees.current_version


def test_req_doc_09_very_high_needs_a_signed_agreement(team):
    with pytest.raises(PermissionDenied):
        services.create_document(
            project=team["project"], doc_type="attendee_list", title="名单", by=team["pm"], upload=xlsx()
        )
    services.sign_agreement(team["project"], user=team["pm"])
    document = services.create_document(
        project=team["project"], doc_type="attendee_list", title="名单", by=team["pm"], upload=xlsx()
    )
    with pytest.raises(PermissionDenied):
        list(services.open_version(document.current_version, user=team["onsite"]))
    assert not AccessLog.objects.exists()
    agreement = services.sign_agreement(team["project"], user=team["onsite"])
    assert agreement.signed_at is not None
    assert services.sign_agreement(team["project"], user=team["onsite"]) == agreement  # signed once
    assert b"".join(services.open_version(document.current_version, user=team["onsite"]))


def test_req_doc_09_only_members_sign(team):
    with pytest.raises(ValidationError) as error:
        services.sign_agreement(team["project"], user=team["quality"])
    assert "user" in error.value.message_dict


def test_req_doc_04_retention_end_per_class(team):
    project = team["project"]
    rules = rulebook_for(project)
    end = timezone.localtime(project.end).date()
    services.sign_agreement(project, user=team["pm"])
    expected = {}
    for key, rule_id in [
        ("agenda", "doc.retention.agenda"),
        ("sign_in_records", "doc.retention.sign_in_records"),
        ("discussion_records", "doc.retention.discussion_records"),
        ("internal_management_document", "con.retention.internal_management_document"),
    ]:
        document = services.create_document(
            project=project, doc_type="other", title=key, retention_class=key, by=team["pm"]
        )
        years = int(rules.rule(rule_id).value)
        expected[key] = services.add_years(end, years)
        assert document.retention_until == expected[key] and not document.retention_permanent
    assert expected["agenda"] == end.replace(year=end.year + 1)
    assert expected["discussion_records"] == end.replace(year=end.year + 3)
    permanent = services.create_document(
        project=project, doc_type="attendee_list", title="名单", by=team["pm"]
    )
    assert permanent.retention_permanent and permanent.retention_until is None
    assert permanent.confidentiality == "very_high"
    contract = services.create_document(
        project=project,
        doc_type="contract",
        title="服务合同",
        trigger_kind="contract_end",
        trigger_date=datetime.date(2028, 2, 29),
        by=team["pm"],
    )
    assert contract.retention_class == "external_service_contract"
    assert contract.retention_until == datetime.date(2031, 2, 28)


def test_req_doc_04_bad_classes_refused_naming_the_field(team):
    project = team["project"]
    for kwargs, field in [
        ({"doc_type": "nonsense"}, "doc_type"),
        ({"doc_type": "other"}, "retention_class"),
        ({"doc_type": "agenda", "confidentiality": "medium"}, "confidentiality"),
        ({"doc_type": "agenda", "confidentiality": "secret"}, "confidentiality"),
        ({"doc_type": "contract", "trigger_kind": "contract_end"}, "trigger_date"),
        ({"doc_type": "agenda", "title": "  "}, "title"),
    ]:
        values = {"title": "文件", **kwargs}
        with pytest.raises(ValidationError) as error:
            services.create_document(project=project, by=team["pm"], **values)
        assert field in error.value.message_dict, kwargs
    assert not Document.objects.exists()


def test_req_doc_01_phase_outputs_are_document_types(team):
    document = services.create_document(
        project=team["project"],
        doc_type="meeting_plan",
        title="会议策划方案",
        retention_class="internal_management_document",
        by=team["pm"],
    )
    assert services.suggested_name(team["project"], document.doc_type).endswith("-会议策划方案")
