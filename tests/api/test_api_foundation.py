import pytest
from django.urls import reverse
from rest_framework.test import APIClient
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture(autouse=True)
def _fresh_axes(db):
    from axes.models import AccessAttempt

    AccessAttempt.objects.all().delete()


def assert_error_shape(body, code=None):
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["message"]
    if code:
        assert body["error"]["code"] == code


def test_token_then_me(api, make_user, org):
    make_user("planner", org["north"], username="lin", display_name="林")
    response = api.post(reverse("api:token"), {"username": "lin", "password": TEST_PASSWORD}, format="json")
    assert response.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    me = api.get(reverse("api:me")).json()
    assert me["username"] == "lin"
    assert me["memberships"] == [{"org_unit": "north", "role": "planner"}]
    assert "projects.view_meetingproject" in me["permissions"]


def test_token_with_wrong_credentials_is_a_clear_error(api, make_user, org):
    make_user("planner", org["north"], username="lin")
    response = api.post(reverse("api:token"), {"username": "lin", "password": "bad"}, format="json")
    assert response.status_code == 400
    assert_error_shape(response.json(), "invalid_credentials")


def test_token_request_missing_a_field_names_it(api):
    response = api.post(reverse("api:token"), {"username": "lin"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert_error_shape(body, "invalid")
    assert "password" in body["error"]["fields"]


def test_token_lockout_after_repeated_failures(api, make_user, org):
    from django.conf import settings

    make_user("planner", org["north"], username="lin")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        api.post(reverse("api:token"), {"username": "lin", "password": "bad"}, format="json")
    response = api.post(reverse("api:token"), {"username": "lin", "password": TEST_PASSWORD}, format="json")
    assert response.status_code == 403
    assert_error_shape(response.json(), "locked_out")


def test_unauthenticated_call_is_401_with_the_error_shape(api):
    response = api.get(reverse("api:me"))
    assert response.status_code == 401
    assert_error_shape(response.json(), "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Token")


def test_bad_token_is_401(api):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = api.get(reverse("api:me"))
    assert response.status_code == 401
    assert_error_shape(response.json())


def test_unknown_api_path_is_404_with_the_error_shape(api, make_user, org):
    api.force_authenticate(make_user("planner", org["north"]))
    response = api.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert_error_shape(response.json(), "not_found")


def test_users_list_is_paginated_and_bounded_in_queries(api, make_user, org, django_assert_max_num_queries):
    viewer = make_user("project_director", org["company"])
    for _ in range(5):
        make_user("planner", org["north"])
    api.force_authenticate(viewer)
    with django_assert_max_num_queries(8) as first:
        body = api.get("/api/v1/users/").json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 6
    for _ in range(15):
        make_user("planner", org["north"])
    with django_assert_max_num_queries(len(first.captured_queries)):
        api.get("/api/v1/users/")


def test_user_without_directory_permission_sees_only_themselves(api, make_user, org):
    nobody = make_user(None, org["north"])
    make_user("planner", org["north"])
    api.force_authenticate(nobody)
    body = api.get("/api/v1/users/").json()
    assert [row["username"] for row in body["results"]] == [nobody.username]


def test_org_units_read_endpoint(api, make_user, org):
    api.force_authenticate(make_user("planner", org["north"]))
    body = api.get("/api/v1/org-units/").json()
    assert {row["code"] for row in body["results"]} == {
        "acme",
        "north",
        "south",
        "north-events",
        "south-events",
    }
    company = next(row for row in body["results"] if row["code"] == "acme")
    assert company["name"] == {"zh-hans": "艾克米集团", "en": "Acme Group"}


def test_openapi_schema_and_local_docs(api, make_user, org):
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert "/api/v1/auth/token/" in schema.json()["paths"]
    api.force_authenticate(make_user("planner", org["north"]))
    docs = api.get("/api/v1/docs/")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()
