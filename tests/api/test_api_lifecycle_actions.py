"""API actions of the lifecycle: the project team (REQ-PPL-01), evaluating now (REQ-QLT-03), closing a
phase (REQ-QLT-01)."""

import pytest
from rest_framework.test import APIClient

from huiyi.projects.models import Phase

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_REQ_PPL_01_team_through_the_api(api, make_user, make_project, org):
    manager = make_user("project_manager", org["north"])
    project = make_project(members=[(manager, "project_manager")])
    newcomer = make_user("technical_support", org["north"], username="wu")
    api.force_authenticate(manager)
    url = f"/api/v1/projects/{project.pk}/members/"
    created = api.post(url, {"user": "wu", "role": "technical_support"}, format="json")
    assert created.status_code == 201, created.json()
    assert {(m["user"], m["role"]) for m in api.get(url).json()} >= {("wu", "technical_support")}
    duplicate = api.post(url, {"user": "wu", "role": "technical_support"}, format="json")
    assert duplicate.status_code == 400 and "user" in duplicate.json()["error"]["fields"]
    assert api.delete(f"{url}{created.json()['id']}/").status_code == 204
    assert not project.members.filter(user=newcomer).exists()


def test_team_api_denies_strangers(api, make_user, make_project, org):
    project = make_project()
    api.force_authenticate(make_user("project_manager", org["south"]))
    response = api.get(f"/api/v1/projects/{project.pk}/members/")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_REQ_QLT_03_evaluate_now_through_the_api(api, make_user, make_project, org):
    director = make_user("project_director", org["company"])
    project = make_project(members=[(director, "project_director")])
    api.force_authenticate(director)
    response = api.post(
        f"/api/v1/projects/{project.pk}/quality/evaluate/", {"control_point": "CCP-02"}, format="json"
    )
    assert response.status_code == 200
    assert {row["control_point"] for row in response.json()} == {"CCP-02"}
    unknown = api.post(
        f"/api/v1/projects/{project.pk}/quality/evaluate/", {"control_point": "CCP-99"}, format="json"
    )
    assert unknown.status_code == 400 and "control_point" in unknown.json()["error"]["fields"]
    api.force_authenticate(make_user("reception", org["north"]))
    assert api.post(f"/api/v1/projects/{project.pk}/quality/evaluate/", {}, format="json").status_code == 404


def test_REQ_QLT_01_close_phase_through_the_api(api, make_user, make_project, org):
    director = make_user("project_director", org["company"])
    project = make_project(phase=1)
    api.force_authenticate(director)
    url = f"/api/v1/projects/{project.pk}/close-phase/"
    refused = api.post(url, {}, format="json")
    assert refused.status_code == 400
    closed = api.post(url, {"override_reason": "客户书面确认后补"}, format="json")
    assert closed.status_code == 200 and closed.json()["phase"] == Phase.RESOURCES
