"""Fixtures for disposition tests: a meeting that ended long ago, its lead, a director above it, others."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from huiyi.documents import services as documents

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="file.pdf", body=PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def old(org, make_user, make_project, settings, tmp_path):
    """A meeting that ended about four years ago: every non-permanent class has reached its end."""
    settings.MEDIA_ROOT = tmp_path / "media"
    unit = org["north_events"]
    pm = make_user("project_manager", unit, username="pm", display_name="王经理")
    planner = make_user("planner", unit, username="planner")
    director = make_user("project_director", org["north"], username="director", display_name="赵总监")
    quality = make_user("quality_officer", org["north"], username="quality")
    stranger = make_user("project_manager", org["south"], username="stranger")
    other_pm = make_user("project_manager", unit, username="other_pm")  # same unit, not on this meeting
    project = make_project(
        start_in_days=-4 * 366,
        members=[(pm, "project_manager"), (planner, "planner")],
    )
    for member in (pm, planner):
        documents.sign_agreement(project, user=member)  # very-high documents need the signed agreement
    return {
        "project": project,
        "pm": pm,
        "planner": planner,
        "director": director,
        "quality": quality,
        "stranger": stranger,
        "other_pm": other_pm,
        "media": settings.MEDIA_ROOT,
    }


def file_document(project, by, *, doc_type="minutes", retention_class="", body=PDF, title="会议纪要", **kw):
    return documents.create_document(
        project=project,
        doc_type=doc_type,
        title=title,
        retention_class=retention_class,
        upload=pdf(body=body),
        by=by,
        **kw,
    )


@pytest.fixture
def due_document(old):
    """Discussion records (3 years) of the old meeting: due for disposition."""
    return file_document(old["project"], old["pm"], doc_type="minutes", retention_class="discussion_records")


def today() -> dt.date:
    return timezone.localdate()
