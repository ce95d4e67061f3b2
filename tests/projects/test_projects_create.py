"""Creating and changing meeting projects in the browser and through the API (REQ-INT-03, REQ-GEN-01/02)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from huiyi.accounts.models import Role
from huiyi.projects import services as projects
from huiyi.projects.models import MeetingProject, MeetingType
from huiyi.rulebook.services import active_version

pytestmark = pytest.mark.django_db

FORM = {
    "name": "华东区渠道大会",
    "name_en": "East China Channel Conference",
    "meeting_type": "",
    "start": "2027-03-10T09:00",
    "end": "2027-03-11T17:00",
    "venue_name": "上海国际会议中心",
    "address": "上海市浦东新区滨江大道 2727 号",
    "venue_type": "indoor",
    "expected_attendees": "300",
    "out_of_scope": "",
}


@pytest.fixture
def account_manager(make_user, org):
    return make_user("account_manager", org["north"])


def form_data(client_org, org, **changes):
    from huiyi.projects.models import MeetingType

    data = {
        **FORM,
        "client": client_org.pk,
        "org_unit": org["north_events"].pk,
        "meeting_type": MeetingType.objects.get(key="annual").pk,
    }
    data.update(changes)
    return data


def test_REQ_INT_03_account_manager_creates_a_project_in_the_browser(
    client, account_manager, client_org, org
):
    client.force_login(account_manager)
    response = client.post(reverse("projects:create"), form_data(client_org, org))
    project = MeetingProject.objects.get(name="华东区渠道大会")
    assert response.status_code == 302 and response.url == reverse("projects:detail", args=[project.pk])
    assert project.code.startswith("HY-") and project.rulebook_version == active_version()
    assert project.duration.total_seconds() == 32 * 3600
    assert project.members.get().user == account_manager
    assert project.created_by == account_manager


def test_REQ_INT_03_end_before_start_is_refused_naming_the_field(client, account_manager, client_org, org):
    client.force_login(account_manager)
    page = client.post(reverse("projects:create"), form_data(client_org, org, end="2027-03-09T09:00"))
    assert 'data-field="end"' in page.content.decode()
    assert not MeetingProject.objects.exists()


def test_negative_attendees_are_refused(client, account_manager, client_org, org):
    client.force_login(account_manager)
    page = client.post(reverse("projects:create"), form_data(client_org, org, expected_attendees="-5"))
    assert 'data-field="expected_attendees"' in page.content.decode()
    assert not MeetingProject.objects.exists()


def test_a_unit_outside_ones_memberships_is_refused(client, account_manager, client_org, org):
    client.force_login(account_manager)
    page = client.post(reverse("projects:create"), form_data(client_org, org, org_unit=org["south"].pk))
    assert 'data-field="org_unit"' in page.content.decode()


def test_roles_without_the_permission_cannot_create(client, make_user, org):
    client.force_login(make_user("reception", org["north"]))
    assert client.get(reverse("projects:create")).status_code == 403


def test_REQ_GEN_02_marking_a_project_out_of_scope(client, make_user, make_project, org):
    manager = make_user("project_manager", org["north"])
    project = make_project(members=[(manager, "project_manager")])
    client.force_login(manager)
    data = {
        "name": project.name,
        "name_en": project.name_en,
        "client": project.client_id,
        "meeting_type": project.meeting_type_id,
        "org_unit": project.org_unit_id,
        "start": project.start.strftime("%Y-%m-%dT%H:%M"),
        "end": project.end.strftime("%Y-%m-%dT%H:%M"),
        "venue_type": "online",
        "expected_attendees": 12,
        "out_of_scope": "third_party",
    }
    assert client.post(reverse("projects:edit", args=[project.pk]), data).status_code == 302
    project.refresh_from_db()
    assert project.out_of_scope == "third_party" and project.venue_type == "online"


def test_a_stranger_cannot_edit(client, make_user, make_project, org):
    project = make_project()
    client.force_login(make_user("project_manager", org["south"]))
    assert client.get(reverse("projects:edit", args=[project.pk])).status_code == 403


def test_project_codes_count_up_within_the_year(make_project):
    from huiyi.projects.services import create_project

    first = make_project()
    fields = {
        f: getattr(first, f)
        for f in ("name", "client", "org_unit", "meeting_type", "start", "end", "expected_attendees")
    }
    a = create_project(**fields)
    b = create_project(**fields)
    assert int(b.code.rsplit("-", 1)[1]) == int(a.code.rsplit("-", 1)[1]) + 1


# --- API ---------------------------------------------------------------------------------------------


def test_REQ_INT_03_create_a_project_through_the_api(account_manager, client_org, org):
    api = APIClient()
    api.force_authenticate(account_manager)
    response = api.post(
        "/api/v1/projects/",
        {
            "client": client_org.pk,
            "name": "技术研讨会",
            "type": "seminar",
            "start": "2027-04-01T09:00:00+08:00",
            "end": "2027-04-01T17:00:00+08:00",
            "expected_attendees": 80,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["type"] == "seminar" and body["org_unit"] == "north"
    assert body["rulebook_version"] == active_version().number
    assert body["start"] == "2027-04-01T09:00:00+08:00"


def test_api_create_with_bad_input_names_each_field(account_manager, client_org):
    api = APIClient()
    api.force_authenticate(account_manager)
    response = api.post(
        "/api/v1/projects/",
        {
            "client": client_org.pk,
            "name": "x",
            "type": "no-such-type",
            "start": "2027-04-02T09:00:00+08:00",
            "end": "2027-04-01T09:00:00+08:00",
            "expected_attendees": -3,
        },
        format="json",
    )
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert {"type", "expected_attendees"} <= set(fields)
    assert not MeetingProject.objects.exists()


def test_api_end_before_start(account_manager, client_org):
    api = APIClient()
    api.force_authenticate(account_manager)
    response = api.post(
        "/api/v1/projects/",
        {
            "client": client_org.pk,
            "name": "x",
            "type": "seminar",
            "start": "2027-04-02T09:00:00+08:00",
            "end": "2027-04-01T09:00:00+08:00",
            "expected_attendees": 3,
        },
        format="json",
    )
    assert response.status_code == 400 and "end" in response.json()["error"]["fields"]


def test_api_lists_only_visible_projects_with_bounded_queries(
    make_user, make_project, org, django_assert_max_num_queries
):
    viewer = make_user("planner", org["north"])
    mine = make_project(members=[(viewer, "planner")])
    make_project(org["south_events"])
    api = APIClient()
    api.force_authenticate(viewer)
    with django_assert_max_num_queries(10) as first:
        body = api.get("/api/v1/projects/").json()
    assert [row["code"] for row in body["results"]] == [mine.code]
    for _ in range(10):
        make_project(members=[(viewer, "planner")])
    with django_assert_max_num_queries(len(first.captured_queries)):
        api.get("/api/v1/projects/")


def test_api_forbids_creation_without_the_role(make_user, client_org, org):
    api = APIClient()
    api.force_authenticate(make_user("reception", org["north"]))
    response = api.post(
        "/api/v1/projects/",
        {
            "client": client_org.pk,
            "name": "x",
            "type": "seminar",
            "start": "2027-04-01T09:00:00+08:00",
            "end": "2027-04-01T17:00:00+08:00",
            "expected_attendees": 3,
        },
        format="json",
    )
    assert response.status_code in (400, 403)
    assert not MeetingProject.objects.exists()


def test_REQ_QLT_05_REQ_GEN_05_grades_and_green_measures_through_the_api(
    account_manager, client_org, make_user, org
):
    """The API reads and writes the grades bought and the green measures as lists of known values."""
    api = APIClient()
    api.force_authenticate(account_manager)
    body = {
        "client": client_org.pk,
        "name": "绿色研讨会",
        "type": "seminar",
        "start": "2027-05-01T09:00:00+08:00",
        "end": "2027-05-01T17:00:00+08:00",
        "expected_attendees": 60,
        "service_grades": ["summary", "planning"],
        "green_measures": ["paperless"],
    }
    created = api.post("/api/v1/projects/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["service_grades"] == ["planning", "summary"]  # stored in the standard's order
    project = MeetingProject.objects.get(pk=created.json()["id"])
    assert project.green_measures == ["paperless"]
    manager = make_user("project_manager", org["north"])
    projects.add_member(project, manager, Role.objects.get(key="project_manager"))
    api.force_authenticate(manager)
    refused = api.patch(
        f"/api/v1/projects/{project.pk}/",
        {"service_grades": ["grade-9"], "green_measures": "x"},
        format="json",
    )
    assert refused.status_code == 400
    assert {"service_grades", "green_measures"} <= set(refused.json()["error"]["fields"])
    changed = api.patch(f"/api/v1/projects/{project.pk}/", {"green_measures": []}, format="json")
    assert changed.status_code == 200 and changed.json()["green_measures"] == []


def test_REQ_QLT_05_unknown_grades_are_refused_by_the_service_too(client_org, org):
    """Whoever saves a project (form, API, import, shell), unknown grades or measures are refused."""
    with pytest.raises(ValidationError) as refused:
        projects.create_project(
            name="x",
            client=client_org,
            org_unit=org["north_events"],
            meeting_type=MeetingType.objects.get(key="seminar"),
            start=timezone.now(),
            end=timezone.now() + timedelta(hours=1),
            expected_attendees=1,
            service_grades=["planning", "gold"],
            green_measures="paperless",
        )
    assert {"service_grades", "green_measures"} <= set(refused.value.message_dict)
