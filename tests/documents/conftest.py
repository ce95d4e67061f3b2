"""Fixtures for document tests: a meeting with its team (some signed the agreement), outsiders, files."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="agenda.pdf", body=PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def xlsx_bytes(rows=(("姓名", "单位", "电话"), ("张三", "浦江科技", "13800000000"))) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx(name="名单.xlsx", content: bytes | None = None) -> SimpleUploadedFile:
    """An .xlsx upload; pass `content` to compare bytes later (openpyxl stamps the time into each file)."""
    return SimpleUploadedFile(name, content or xlsx_bytes(), content_type="application/octet-stream")


@pytest.fixture
def team(org, make_user, make_project, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    unit = org["north_events"]
    pm = make_user("project_manager", unit, username="pm")
    onsite = make_user("on_site_director", unit, username="onsite")
    reception = make_user("reception", unit, username="reception")
    planner = make_user("planner", unit, username="planner")
    tech = make_user("technical_support", unit, username="tech")
    quality = make_user("quality_officer", org["north"], username="quality")
    reception_outside = make_user(
        "reception", unit, username="reception_outside"
    )  # same unit, not on the team
    stranger = make_user("project_manager", org["south"], username="stranger")
    project = make_project(
        start_in_days=-3,
        members=[
            (pm, "project_manager"),
            (onsite, "on_site_director"),
            (reception, "reception"),
            (planner, "planner"),
            (tech, "technical_support"),
        ],
    )
    return {
        "project": project,
        "pm": pm,
        "onsite": onsite,
        "reception": reception,
        "planner": planner,
        "tech": tech,
        "quality": quality,
        "reception_outside": reception_outside,
        "stranger": stranger,
    }
