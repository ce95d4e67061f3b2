"""The demo's documents (issue 8): HY-2026-105 has an encrypted very-high attendee list whose read is logged,
and an agenda PDF with two versions, every name by the naming rule."""

import pytest

from huiyi.accounts.models import User
from huiyi.core import demo as core_demo
from huiyi.documents import demo, services
from huiyi.documents.models import AccessLog, Document
from huiyi.onsite.agenda import demo as liveagenda_demo
from huiyi.onsite.attendees import demo as attendees_demo
from huiyi.projects.models import MeetingProject

pytestmark = pytest.mark.django_db


def _onsite_only(people):
    projects = list(MeetingProject.objects.order_by("code"))
    attendees_demo.build(projects, people)
    liveagenda_demo.build(projects, people)


def test_req_doc_07_demo_files_the_attendee_list_and_agenda(monkeypatch, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(core_demo, "_extend", _onsite_only)
    core_demo.build_demo(password="demo-password-for-tests")
    people = {}
    for username, _name, role, _unit in core_demo.PEOPLE:
        people.setdefault(role, User.objects.get(username=username))
    demo.build(list(MeetingProject.objects.order_by("code")), people)

    project = MeetingProject.objects.get(code="HY-2026-105")
    attendees = Document.objects.get(project=project, doc_type="attendee_list")
    assert attendees.confidentiality == "very_high" and attendees.retention_permanent
    assert attendees.current_version.encrypted and attendees.current_version.size > 0
    assert AccessLog.objects.filter(document=attendees).count() == 1
    agenda = Document.objects.get(project=project, doc_type="agenda")
    assert agenda.versions.count() == 2 and agenda.current_version.number == 2
    assert agenda.retention_until is not None
    for document in (attendees, agenda):
        assert services.follows_naming_rule(document.current_version)
    assert project.confidentiality_agreements.count() == project.members.count()
