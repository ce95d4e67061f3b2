"""Demo borrowings, through the services (REQ-DOC-05). Runs after ``documents.demo`` (it borrows HY-2026-105's
attendee list)::

    from huiyi.documents.borrowing import demo as borrowing_demo
    borrowing_demo.build(list(MeetingProject.objects.order_by("code")), people)

* HY-2026-105 (running now): the quality officer 韩梅, not on the team, borrows the encrypted attendee list
  electronically for a spot check; the project manager approves; she signs the meeting's agreement and reads
  it once (logged). The planner's paper request for the agenda waits for approval.
* HY-2026-096 (finished): its discussion records and sign-in records are filed; technical support borrowed the
  paper sign-in records and returned them; the on-site director's paper copy of the discussion records is
  three days overdue and was reminded.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from huiyi.documents import services as documents
from huiyi.reports.pdf import PdfDocument

from . import services


def _member(project, role_key):
    member = project.members.filter(role__key=role_key).select_related("user").first()
    return member.user if member else None


def _pdf(title: str, lines: list[str]) -> bytes:
    document = PdfDocument(title=title)
    for line in lines:
        document.paragraph(line)
    return document.render()


def _running(project, people, now) -> None:
    lead = _member(project, "project_manager")
    attendees = project.documents.filter(doc_type="attendee_list").first()
    quality = people.get("quality_officer")
    if lead is None or attendees is None or quality is None:
        return
    b = services.request_borrowing(
        attendees,
        by=quality,
        medium="electronic",
        purpose="质量抽查:核对参会人员名单与签到记录是否一致",
        starts_at=now - dt.timedelta(hours=2),
        due_at=now + dt.timedelta(days=2),
        now=now - dt.timedelta(hours=2),
    )
    services.approve(b, by=lead, note="同意,限本次质量抽查使用", now=now - dt.timedelta(hours=1, minutes=40))
    services.sign_agreement(b, by=quality, now=now - dt.timedelta(hours=1, minutes=30))
    list(documents.open_version(attendees.current_version, user=quality, meta={"REMOTE_ADDR": "10.20.3.8"}))
    agenda = project.documents.filter(doc_type="agenda").first()
    planner = people.get("planner")
    if agenda is not None and planner is not None:
        services.request_borrowing(
            agenda,
            by=planner,
            medium="paper",
            purpose="会后复盘会议议程执行情况",
            due_at=now + dt.timedelta(days=3),
            now=now,
        )


def _finished(project, people, now) -> None:
    lead = _member(project, "project_manager")
    keeper = lead
    if lead is None:
        return
    day = timezone.localtime(project.end).date().isoformat()
    records = documents.create_document(
        project=project,
        doc_type="minutes",
        title="会议讨论记录",
        upload=SimpleUploadedFile(
            "讨论记录.pdf", _pdf("会议讨论记录", [f"{project.name} 分组讨论记录({day})"])
        ),
        change_note="会后整理",
        by=lead,
    )
    sign_in = documents.create_document(
        project=project,
        doc_type="sign_in_sheet",
        title="会议签到记录",
        upload=SimpleUploadedFile("签到表.pdf", _pdf("会议签到记录", [f"{project.name} 签到汇总"])),
        change_note="签到表扫描件",
        by=lead,
    )
    finance, supervisor = people.get("technical_support"), people.get("on_site_director")
    start = project.end + dt.timedelta(hours=20)
    if finance is not None:
        b = services.request_borrowing(
            sign_in,
            by=finance,
            medium="paper",
            purpose="核对设备借用登记与签到人数",
            starts_at=start,
            due_at=start + dt.timedelta(days=3),
            now=start,
        )
        services.approve(b, by=lead, now=start + dt.timedelta(hours=1))
        services.hand_out(b, by=keeper, now=start + dt.timedelta(hours=2))
        services.return_borrowing(b, by=keeper, now=start + dt.timedelta(days=2))
    if supervisor is not None:
        due = now - dt.timedelta(days=3)
        begin = due - dt.timedelta(days=4)
        b = services.request_borrowing(
            records,
            by=supervisor,
            medium="paper",
            purpose="编写现场执行复盘报告",
            starts_at=begin,
            due_at=due,
            now=begin,
        )
        services.approve(b, by=lead, note="请按期归还", now=begin + dt.timedelta(hours=1))
        services.hand_out(b, by=keeper, now=begin + dt.timedelta(hours=3))
        services.send_overdue_reminders(now=now)


def build(projects, people) -> None:
    """`people` maps role keys to demo users (core.demo)."""
    now = timezone.now().replace(second=0, microsecond=0)
    by_code = {p.code: p for p in projects}
    if "HY-2026-105" in by_code:
        _running(by_code["HY-2026-105"], people, now)
    if "HY-2026-096" in by_code:
        _finished(by_code["HY-2026-096"], people, now)
