"""Demo disposition records, through the services (REQ-DOC-04, REQ-DOC-06, REQ-CON-05).

Called by the demo builder after the documents demo::

    from huiyi.documents.disposition import demo as disposition_demo
    disposition_demo.build(list(MeetingProject.objects.order_by("code")), people)

HY-2026-081 (杭州市外贸企业年度座谈会, finished) keeps papers of the forum's earlier editions:

* the 2022 edition's service contract (external service contract, kept 3 years from its end): its retention
  ended; the quality officer asked for its destruction, awaiting the approval of the meeting's lead (the
  project manager);
* the 2024 edition's internal work plan (internal management document, 1 year): destroyed a month ago after
  the lead's approval — its destruction record stays, the stored file is gone.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from huiyi.documents import services as documents
from huiyi.documents.services import add_years
from huiyi.reports.pdf import PdfDocument
from huiyi.rulebook.services import rulebook_for

from . import services

PROJECT = "HY-2026-081"


def _pdf(title: str, lines: list[str]) -> bytes:
    document = PdfDocument(title=title, subtitle="杭州市商务局", footer=PROJECT)
    for line in lines:
        document.paragraph(line)
    return document.render()


def _member(project, role_key):
    member = project.members.filter(role__key=role_key).select_related("user").first()
    return member.user if member else None


def _years(project, document_class: str) -> int:
    rule = next(
        r for r in rulebook_for(project).rules if r.applies_to.get("document_class") == document_class
    )
    return int(rule.value)


def _ended(project, document_class: str, *, days_ago: int) -> dt.date:
    """A contract end such that the class's retention ended `days_ago` days before today."""
    end = timezone.localdate() - dt.timedelta(days=days_ago)
    return add_years(end, -_years(project, document_class))


def build(projects, people) -> None:
    by_code = {p.code: p for p in projects}
    project = by_code.get(PROJECT)
    lead = _member(project, "project_manager") if project else None
    quality = people.get("quality_officer")
    if project is None or lead is None or quality is None:
        return
    now = timezone.now()

    contract = documents.create_document(
        project=project,
        doc_type="contract",
        title="2022 年度外贸企业座谈会会务服务合同",
        retention_class="external_service_contract",
        trigger_kind="contract_end",
        trigger_date=_ended(project, "external_service_contract", days_ago=20),
        upload=SimpleUploadedFile(
            "2022座谈会服务合同.pdf",
            _pdf("会务服务合同(2022 年度)", ["甲方:杭州市商务局", "乙方:杭州国际会议中心", "服务期:一年"]),
        ),
        change_note="上届合同归档备查",
        by=lead,
    )
    services.request_destruction(
        contract,
        by=quality,
        reason="对外服务合同保存期满三年,无未决争议,申请按规定销毁。",
        now=now - dt.timedelta(days=2),
    )

    plan = documents.create_document(
        project=project,
        doc_type="other",
        title="2024 年度座谈会会务工作方案(内部)",
        retention_class="internal_management_document",
        trigger_kind="contract_end",
        trigger_date=_ended(project, "internal_management_document", days_ago=45),
        upload=SimpleUploadedFile(
            "2024工作方案.pdf", _pdf("会务工作方案(2024 年度)", ["人员分工", "场地布置", "应急预案"])
        ),
        change_note="内部方案归档",
        by=lead,
    )
    documents.add_version(
        plan,
        upload=SimpleUploadedFile(
            "2024工作方案-修订.pdf",
            _pdf("会务工作方案(2024 年度,修订)", ["人员分工(调整)", "场地布置", "应急预案"]),
        ),
        change_note="人员分工调整",
        by=lead,
    )
    request = services.request_destruction(
        plan,
        by=quality,
        reason="内部管理文件保存期满一年,申请销毁。",
        now=now - dt.timedelta(days=33),
    )
    services.approve(request, by=lead, note="同意销毁。", now=now - dt.timedelta(days=31))
    services.destroy(request, by=quality, now=now - dt.timedelta(days=30))
