"""Fixtures for borrowing tests: a meeting with its lead and team, outsiders, a keeper and filed documents."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from huiyi.documents import services as documents

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
XLSX_ROWS = (("姓名", "单位"), ("张三", "浦江科技"))


def pdf(name="agenda.pdf", body=PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def xlsx() -> SimpleUploadedFile:
    import io

    from openpyxl import Workbook

    book = Workbook()
    for row in XLSX_ROWS:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("名单.xlsx", buffer.getvalue())


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def later(days: float = 0, hours: float = 0) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days, hours=hours)


@pytest.fixture
def lib(org, make_user, make_project, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    unit = org["north_events"]
    pm = make_user("project_manager", unit, username="pm")
    planner = make_user("planner", unit, username="planner")
    reception = make_user("reception", unit, username="reception")
    keeper = make_user("project_execution", unit, username="keeper")
    finance = make_user("finance", unit, username="finance")  # not on the team
    quality = make_user("quality_officer", org["north"], username="quality")  # not on the team
    other_pm = make_user("project_manager", unit, username="other_pm")  # a manager, not this meeting's lead
    stranger = make_user("planner", org["south"], username="stranger")  # does not see the meeting
    director = make_user("project_director", org["company"], username="director")
    project = make_project(
        start_in_days=-3,
        members=[
            (pm, "project_manager"),
            (planner, "planner"),
            (reception, "reception"),
            (keeper, "project_execution"),  # keeps the meeting's paper records
        ],
    )
    for member in (pm, planner, reception):
        documents.sign_agreement(project, user=member)
    agenda = documents.create_document(
        project=project, doc_type="agenda", title="会议议程", upload=pdf(), by=pm
    )
    attendees = documents.create_document(
        project=project, doc_type="attendee_list", title="参会人员名单", upload=xlsx(), by=pm
    )
    return {
        "project": project,
        "pm": pm,
        "planner": planner,
        "reception": reception,
        "keeper": keeper,
        "finance": finance,
        "quality": quality,
        "other_pm": other_pm,
        "stranger": stranger,
        "director": director,
        "agenda": agenda,
        "attendees": attendees,
    }
