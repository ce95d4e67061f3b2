"""Fixtures for the filing tests: a meeting with its team, files stored in a temporary media root, and a
project that ended on 30 September 2025, just before the National Day holiday (1–8 October 2025; Saturday
11 October a working day)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from huiyi.documents import services
from huiyi.documents.models import DocumentVersion

SHANGHAI = ZoneInfo("Asia/Shanghai")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def at(month: int, day: int, hour: int = 10, minute: int = 0, year: int = 2025) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def pdf_bytes(marker: str) -> bytes:
    return PDF + f"% {marker}\n".encode()


@pytest.fixture
def team(org, make_user, make_project, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    unit = org["north_events"]
    pm = make_user("project_manager", unit, username="pm")
    onsite = make_user("on_site_director", unit, username="onsite")
    planner = make_user("planner", unit, username="planner")
    stranger = make_user("project_manager", org["south"], username="stranger")
    project = make_project(
        start_in_days=-3,
        members=[(pm, "project_manager"), (onsite, "on_site_director"), (planner, "planner")],
    )
    return {"project": project, "pm": pm, "onsite": onsite, "planner": planner, "stranger": stranger}


@pytest.fixture
def holiday_project(team):
    """The team's meeting moved to 30 September 2025, 09:00–17:00 (before National Day)."""
    project = team["project"]
    project.start, project.end = at(9, 30, 9), at(9, 30, 17)
    project.save(update_fields=["start", "end"])
    return project


def file_at(project, doc_type: str, when: dt.datetime, by, marker: str = "") -> DocumentVersion:
    """A document of `doc_type` whose first version is dated `when`."""
    document = services.create_document(
        project=project,
        doc_type=doc_type,
        title=doc_type,
        retention_class="internal_management_document",
        confidentiality="medium",
        upload=SimpleUploadedFile(f"{doc_type}.pdf", pdf_bytes(marker or doc_type)),
        by=by,
    )
    DocumentVersion.objects.filter(document=document).update(created_at=when)
    return document.versions.get()
