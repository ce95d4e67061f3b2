import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from huiyi.core.audit import record_access
from huiyi.projects.models import MeetingProject

pytestmark = pytest.mark.django_db


def test_create_and_update_are_recorded_with_what_changed(make_project):
    project = make_project()
    project.expected_attendees = 250
    project.save()
    entries = LogEntry.objects.get_for_object(project).order_by("timestamp", "pk")
    assert [e.action for e in entries] == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE]
    assert entries.last().changes_dict["expected_attendees"] == ["100", "250"]


def test_changes_through_a_request_record_the_actor(client, make_user, org):
    admin = make_user(None, org["company"], is_superuser=True, is_staff=True)
    client.force_login(admin)
    client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "correct horse battery staple",
            "new_password1": "another good secret 77",
            "new_password2": "another good secret 77",
        },
    )
    entry = LogEntry.objects.get_for_object(admin).filter(action=LogEntry.Action.UPDATE).latest("timestamp")
    assert entry.actor == admin
    assert admin.password not in str(entry.changes)
    assert "pbkdf2" not in str(entry.changes) and "argon2" not in str(entry.changes)


def test_audit_search_is_for_the_quality_officer_only(client, make_user, make_project, org):
    make_project(name="被审计的会议")
    client.force_login(make_user("planner", org["north"]))
    assert client.get(reverse("core:audit")).status_code == 403
    client.force_login(make_user("quality_officer", org["company"]))
    page = client.get(reverse("core:audit"), {"text": "被审计"}).content.decode()
    assert "被审计的会议" in page


def test_audit_search_rejects_reversed_dates_with_a_message(client, make_user, org):
    client.force_login(make_user("quality_officer", org["company"]))
    page = client.get(reverse("core:audit"), {"since": "2026-05-02", "until": "2026-05-01"}).content.decode()
    assert "invalid-feedback" in page


def test_activity_page_follows_object_permissions(client, make_user, make_project, org):
    project = make_project()
    content_type = ContentType.objects.get_for_model(MeetingProject)
    url = reverse("core:activity", args=[content_type.pk, project.pk])
    client.force_login(make_user("planner", org["south_events"]))
    assert client.get(url).status_code == 403
    member = make_user("planner", org["north_events"])
    project.members.create(user=member, role_id=member.memberships.get().role_id)
    client.force_login(member)
    assert client.get(url).status_code == 200


def test_REQ_DOC_07_reads_can_be_recorded(make_user, make_project, org):
    reader = make_user("quality_officer", org["company"])
    project = make_project()
    record_access(project, reader, note="attendee list")
    entry = LogEntry.objects.get_for_object(project).get(action=LogEntry.Action.ACCESS)
    assert entry.actor == reader


def test_every_domain_model_is_in_the_audit_trail():
    """ARCHITECTURE.md: every create, update and delete of a domain model is recorded."""
    from auditlog.registry import auditlog
    from django.apps import apps

    from huiyi.core.audit import NOT_AUDITED

    missing = [
        f"{model._meta.app_label}.{model.__name__}"
        for model in apps.get_models()
        if model.__module__.startswith("huiyi.") and not auditlog.contains(model) and model not in NOT_AUDITED
    ]
    # Only derived data is left out, each with its reason (issue 9: kept KPI figures).
    assert all(NOT_AUDITED.values())
    assert not [m for m in NOT_AUDITED if auditlog.contains(m)]
    assert not missing, f"register these with huiyi.core.audit.register: {missing}"
