"""Demo documents, through the services (REQ-DOC-01, 02, 04, 07, 09).

Called by the demo builder after the on-site demos (attendees and live agenda of HY-2026-105)::

    from huiyi.documents import demo as documents_demo
    documents_demo.build(list(MeetingProject.objects.order_by("code")), people)

* HY-2026-105 (the meeting running now): every team member has signed the confidentiality agreement; the
  attendee list (very high, permanent, stored encrypted) is the attendees export with full contacts, read
  once by the on-site director (logged); the agenda PDF (high, kept 1 year after the meeting) is made from
  the live agenda, with a second version after a change.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from huiyi.onsite.attendees.exports import attendees_xlsx
from huiyi.reports.pdf import PdfDocument

from . import services


def _member(project, role_key, fallback=None):
    member = project.members.filter(role__key=role_key).select_related("user").first()
    return member.user if member else fallback


def _agenda_pdf(project, note: str = "") -> bytes:
    items = list(project.live_agenda_items.order_by("planned_start"))
    document = PdfDocument(
        title=f"{project.name} · 会议议程", subtitle=project.venue_name, footer=project.code
    )
    rows = [
        [
            f"{timezone.localtime(i.planned_start):%H:%M}–{timezone.localtime(i.planned_end):%H:%M}",
            i.title,
            i.speaker or "—",
        ]
        for i in items
    ]
    if rows:
        document.table(rows, header=["时间", "议题", "主讲/主持"])
    if note:
        document.paragraph(note)
    return document.render()


def build(projects, people) -> None:
    by_code = {p.code: p for p in projects}
    project = by_code.get("HY-2026-105")
    if project is None:
        return
    lead = _member(project, "project_manager") or _member(project, "project_director")
    if lead is None:
        return
    onsite = _member(project, "on_site_director", lead)
    for member in project.members.select_related("user"):
        services.sign_agreement(project, user=member.user)

    with translation.override("zh-hans"):
        content = attendees_xlsx(project, project.attendees.all(), full_contact=True)
    attendees = services.create_document(
        project=project,
        doc_type="attendee_list",
        title="参会人员名单(含联系方式)",
        upload=SimpleUploadedFile("attendees-export.xlsx", content),
        change_note="由参会人员登记导出",
        by=lead,
    )
    list(services.open_version(attendees.current_version, user=onsite, meta={"REMOTE_ADDR": "10.20.1.15"}))

    agenda = services.create_document(
        project=project,
        doc_type="agenda",
        title="会议议程",
        upload=SimpleUploadedFile("议程-定稿.pdf", _agenda_pdf(project)),
        change_note="会前定稿",
        by=lead,
    )
    services.add_version(
        agenda,
        upload=SimpleUploadedFile(
            "议程-修订.pdf", _agenda_pdf(project, "修订:茶歇顺延十分钟,以现场主持人通知为准。")
        ),
        change_note="茶歇顺延十分钟",
        by=lead,
    )
