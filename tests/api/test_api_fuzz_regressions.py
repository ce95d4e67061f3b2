"""What the API fuzz found (tests/security/test_api_fuzz.py, issue 10), one regression each.

Each test makes the request the fuzz made — or the smallest one that shows the same fault — and checks the
answer the way the fuzz does: against the contract served at /api/v1/schema/ (documented status, content
type, body schema) and, for bad input, a 4xx naming the field instead of a 500.
"""

import contextlib
from datetime import timedelta

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.core.validators import ProhibitNullCharactersValidator
from django.db import DataError, close_old_connections, connection
from django.utils import timezone, translation
from rest_framework.authtoken.models import Token
from rest_framework.parsers import JSONParser
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from huiyi.projects.models import Phase

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def contract(django_db_setup, django_db_blocker):
    """The schema as the API serves it, loaded by schemathesis from the WSGI application."""
    with django_db_blocker.unblock():
        return schemathesis.openapi.from_wsgi("/api/v1/schema/", WSGIHandler())


@contextlib.contextmanager
def _connection_kept():
    """Django closes the connection when a request starts and ends; inside a test's transaction it must
    not (django.test.Client disconnects the same receivers)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def call(contract, db):
    """call(user, "POST /api/v1/…/{id}/", id=…, body=…, query=…): the request, sent with the user's token
    through the WSGI application; the answer must conform to the contract."""

    def run(user, operation: str, *, body=None, query=None, media_type=None, **path_parameters):
        method, path = operation.split(" ", 1)
        extra = {"body": body, "media_type": media_type or "application/json"} if body is not None else {}
        case = contract[path][method].Case(path_parameters=path_parameters, query=query, **extra)
        token = Token.objects.get_or_create(user=user)[0].key
        headers = {"Authorization": f"Token {token}"}
        with _connection_kept():
            response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)
        return response

    return run


@pytest.fixture
def team(make_user, make_project, org):
    from huiyi.accounts.services import ensure_default_roles

    ensure_default_roles(update_permissions=True)  # every app's grants (role_permissions.yaml)
    unit = org["north_events"]
    director = make_user("project_director", org["north"], username="director")
    pm = make_user("project_manager", unit, username="pm")
    am = make_user("account_manager", unit, username="am")
    reception = make_user("reception", unit, username="rec")
    outsider = make_user("project_manager", org["south_events"], username="outsider")
    project = make_project(
        unit,
        members=[(pm, "project_manager"), (am, "account_manager"), (reception, "reception")],
        phase=Phase.RESOURCES,
    )
    return {
        "project": project,
        "director": director,
        "pm": pm,
        "am": am,
        "rec": reception,
        "outsider": outsider,
    }


# -- errors the schema did not mention --------------------------------------------------------------------


def test_an_unknown_id_is_a_documented_404_with_the_error_body(call, team):
    """issue 10: every operation with a path id documents 404 (drf-spectacular documented only 200)."""
    response = call(team["pm"], "GET /api/v1/projects/{id}/", id=999_999)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_page_past_the_end_is_a_documented_404(call, team):
    """issue 10: a paginated list answers 404 for a page that does not exist; the schema says so."""
    response = call(team["pm"], "GET /api/v1/projects/", query={"page": 999})
    assert response.status_code == 404


def test_a_body_in_a_media_type_the_api_does_not_read_is_a_documented_415(call, team):
    """issue 10: a write answers 415 to a body it cannot parse as any of its media types; undocumented."""
    body = "project=1"
    response = call(team["am"], "POST /api/v1/complaints/", body=body, media_type="text/plain")
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"


def test_every_operation_documents_its_errors_with_the_error_body(contract):
    """issue 10: 401/403 where a token is needed, 404 where an id is in the path, 400 where input is read,
    415 where a body is; each with the one error shape {"error": {"code", "message", "fields"}}."""
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, item in contract.raw_schema["paths"].items():
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation["responses"]
            secured = {} not in operation.get("security", [{}])
            if secured:
                assert {"401", "403"} <= set(responses), (method, path)
            if "{" in path:
                assert "404" in responses, (method, path)
            if "requestBody" in operation:
                assert {"400", "415"} <= set(responses), (method, path)
            for code, response in responses.items():
                if code.startswith("4") and code not in ("413",):
                    assert "content" in response, (method, path, code)
            if "404" in responses and "content" in responses["404"]:
                assert responses["404"]["content"].keys() == error.keys(), (method, path)


def test_rulebook_check_for_a_project_one_cannot_see_is_a_documented_404(call, team):
    """issue 10: POST /rulebook/check/ with an unknown `project` answered an undocumented 404."""
    body = {"control_point": "CCP-02", "project": 999_999}
    response = call(team["pm"], "POST /api/v1/rulebook/check/", body=body)
    assert response.status_code == 404


# -- null and "" the schema did not allow -----------------------------------------------------------------


def test_a_relation_not_set_is_null_and_a_choice_not_made_is_blank_in_the_schema(call, team):
    """issue 10: a declared related field (`nonconformance = PrimaryKeyRelatedField(read_only=True)`) on a
    nullable foreign key answers null, a read-only choice of a blank model field answers "": the schema said
    "integer" and an enum without "". A new complaint has no nonconformance and no confirmation method."""
    body = {"project": team["project"].pk, "channel": "email", "severity": "serious", "content": "资料缺页"}
    response = call(team["am"], "POST /api/v1/complaints/", body=body)
    assert response.status_code == 201
    assert response.json()["nonconformance"] is None
    assert response.json()["confirmation_method"] == ""


def test_a_rulebook_version_nobody_created_conforms(call, team):
    """issue 10: the default rulebook version has no creator, activator or predecessor (null slugs)."""
    response = call(team["pm"], "GET /api/v1/rulebook/versions/")
    assert response.status_code == 200
    first = response.json()["results"][0]
    assert first["created_by"] is None and first["based_on"] is None


# -- whole lists documented as pages ----------------------------------------------------------------------


def test_starting_the_review_chain_answers_every_step_as_documented(call, team):
    """issue 10: POST /reviews/ answers the chain's steps as a list; the schema said a paginated object
    (and offered `page` on a POST)."""
    response = call(team["pm"], "POST /api/v1/projects/{project_pk}/reviews/", project_pk=team["project"].pk)
    assert response.status_code == 201
    assert isinstance(response.json(), list) and response.json()[0]["position"] == 1


@pytest.mark.parametrize(
    "operation",
    [
        "GET /api/v1/audits/{id}/items/",
        "GET /api/v1/incidents/{id}/chain/",
        "GET /api/v1/projects/{project_pk}/bookings/{id}/checks/",
        "GET /api/v1/projects/{project_pk}/bookings/{id}/checks/rules/",
        "POST /api/v1/projects/{project_pk}/reviews/",
    ],
)
def test_actions_answering_a_whole_list_document_a_list(contract, operation):
    """issue 10: these answer every row (no pagination); drf-spectacular documented a page of them."""
    method, path = operation.split(" ", 1)
    raw = contract.raw_schema["paths"][path][method.lower()]
    success = next(code for code in raw["responses"] if code.startswith("2"))
    assert raw["responses"][success]["content"]["application/json"]["schema"]["type"] == "array"
    assert "page" not in {parameter["name"] for parameter in raw.get("parameters", [])}


# -- success codes the schema did not mention -------------------------------------------------------------


def test_sending_the_requirements_link_is_a_documented_201(call, team):
    """issue 10: POST /requirements/send/ creates the link and answers 201; the schema said 200."""
    project = team["project"]
    saved = call(
        team["am"], "PATCH /api/v1/projects/{id}/requirements/", id=project.pk, body={"budget": "1000.00"}
    )
    assert saved.status_code == 200
    response = call(team["am"], "POST /api/v1/projects/{id}/requirements/send/", id=project.pk, body={})
    assert response.status_code == 201 and "/intake/" in response.json()["url"]


def test_raising_a_complaints_nonconformance_twice_answers_the_documented_201_then_200(call, team):
    """issue 10: the second call answers 200 with the nonconformance raised before; only 201 was
    documented."""
    body = {"project": team["project"].pk, "channel": "email", "severity": "serious", "content": "资料缺页"}
    complaint = call(team["am"], "POST /api/v1/complaints/", body=body).json()
    operation = "POST /api/v1/complaints/{id}/raise-nonconformance/"
    first = call(team["director"], operation, id=complaint["id"])
    again = call(team["director"], operation, id=complaint["id"])
    assert (first.status_code, again.status_code) == (201, 200)


# -- types -----------------------------------------------------------------------------------------------


def test_a_surveys_figures_are_decimal_strings_or_null_as_documented(call, contract, team):
    """issue 10: collection rate and scores go out as decimal strings ("0.3542"), null before any answer;
    the schema said non-nullable numbers (REQ-FBK-02: ratios are never floats)."""
    from huiyi.feedback.surveys import services
    from huiyi.feedback.surveys.models import Audience

    project = team["project"]
    survey = services.create_survey(
        project,
        by=team["pm"],
        template=services.default_template(Audience.ATTENDEES),
        opens_at=timezone.now() - timedelta(hours=1),
        closes_at=timezone.now() + timedelta(days=2),
    )
    response = call(team["pm"], "GET /api/v1/surveys/{id}/", id=survey.pk)
    assert response.status_code == 200
    assert response.json()["weighted_score"] is None
    documented = contract.raw_schema["components"]["schemas"]["Survey"]["properties"]
    for name in ("collection_rate", "weighted_score", "weighted_score_100", "composite_score"):
        assert (documented[name]["type"], documented[name]["format"]) == ("string", "decimal"), name


def test_a_coverage_moment_without_its_link_yet_conforms(call, team):
    """issue 10: a new coverage moment answers `link: ""`; the schema said a URI (format uri refuses "")."""
    url = "POST /api/v1/projects/{project_pk}/coverage/"
    response = call(team["pm"], url, project_pk=team["project"].pk, body={"kind": "other", "title": "合影"})
    assert response.status_code == 201
    assert response.json()["link"] == "" and response.json()["covered_by"] is None


def test_a_document_downloads_with_its_own_media_type_as_documented(call, team, settings, tmp_path):
    """issue 10: a filed PDF downloads as application/pdf; the schema said application/octet-stream only."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from huiyi.documents import services

    settings.MEDIA_ROOT = tmp_path / "media"
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    document = services.create_document(
        project=team["project"],
        doc_type="agenda",
        title="议程",
        by=team["pm"],
        upload=SimpleUploadedFile("agenda.pdf", pdf, content_type="application/pdf"),
    )
    response = call(team["pm"], "GET /api/v1/documents/{id}/download/", id=document.pk)
    assert response.status_code == 200
    assert response.headers["content-type"] == ["application/pdf"] and response.content == pdf


# -- 500s -------------------------------------------------------------------------------------------------


def test_a_milestone_in_a_room_not_booked_is_a_400_naming_the_room(call, team):
    """issue 10: POST /site-milestones/ with a room id that is not booked for the meeting answered 500
    (the id was then taken for a room object); it is a 400 naming `room`, and nothing is recorded."""
    from huiyi.onsite.inspections.models import SiteMilestone

    url = "POST /api/v1/projects/{project_pk}/site-milestones/"
    body = {"milestone": "setup_done", "room": 999_999}
    response = call(team["pm"], url, project_pk=team["project"].pk, body=body)
    assert response.status_code == 400
    assert "room" in response.json()["error"]["fields"]
    assert not SiteMilestone.objects.exists()


def test_a_nul_character_in_a_username_is_a_400_naming_the_field(call, team):
    """issue 10: on PostgreSQL, {"user": "…\\x00…"} for a new team member answered 500 (text cannot hold
    NUL, so the lookup itself failed); it is a 400 naming `user`, on every database."""
    url = "POST /api/v1/projects/{project_pk}/members/"
    body = {"user": "zhao\x00min", "role": "planner"}
    response = call(team["director"], url, project_pk=team["project"].pk, body=body)
    assert response.status_code == 400
    with translation.override("zh-hans"):  # the API's default language
        assert response.json()["error"]["fields"]["user"] == [str(ProhibitNullCharactersValidator.message)]


def test_someone_who_may_not_change_the_team_is_refused_before_the_body_is_read(call, team):
    """issue 10: the receptionist's POST of a member answered 400 "no such user" — telling which usernames
    exist — before the permission check; it is a 403 whatever the body."""
    url = "POST /api/v1/projects/{project_pk}/members/"
    body = {"user": "nobody-by-this-name", "role": "planner"}
    response = call(team["rec"], url, project_pk=team["project"].pk, body=body)
    assert response.status_code == 403
    outsider = call(team["outsider"], url, project_pk=team["project"].pk, body=body)
    assert outsider.status_code == 404


# -- date-times no client can read ------------------------------------------------------------------------


@pytest.mark.parametrize("year", ["0208", "1969", "3000"])
def test_a_date_time_outside_1970_to_2999_is_a_400_naming_the_field(call, team, year):
    """issue 10: a communication planned for the year 208 was stored and answered as
    "0208-11-10T15:16:12+08:05:43" (Shanghai's local mean time before 1901), which is not an RFC 3339
    date-time. Every date-time the API reads lies between 1970 and 2999."""
    from huiyi.projects.models import MeetingProject

    body = {
        "client": team["project"].client_id,
        "name": "技术研讨会",
        "type": "seminar",
        "start": f"{year}-04-01T09:00:00+08:00",
        "end": "2027-04-01T17:00:00+08:00",
        "expected_attendees": 80,
    }
    response = call(team["am"], "POST /api/v1/projects/", body=body)
    assert response.status_code == 400
    assert "start" in response.json()["error"]["fields"]
    assert MeetingProject.objects.count() == 1  # the team's own


def test_a_date_time_in_the_range_is_accepted(call, team):
    body = {
        "client": team["project"].client_id,
        "name": "技术研讨会",
        "type": "seminar",
        "start": "2027-04-01T09:00:00+08:00",
        "end": "2027-04-01T17:00:00+08:00",
        "expected_attendees": 80,
    }
    response = call(team["am"], "POST /api/v1/projects/", body=body)
    assert response.status_code == 201 and response.json()["start"] == "2027-04-01T09:00:00+08:00"


def test_the_token_endpoint_documents_its_lockout_and_its_rate_limit(call, team, settings):
    """issue 10: POST /auth/token/ answers 403 `locked_out` after repeated failures and 429 past its rate
    limit; neither was documented."""
    from axes.models import AccessAttempt
    from django.core.cache import cache

    from huiyi.api.views import TokenThrottle

    cache.clear()
    AccessAttempt.objects.all().delete()
    wrong = {"username": "pm", "password": "not the password"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        call(team["pm"], "POST /api/v1/auth/token/", body=wrong)
    locked = call(team["pm"], "POST /api/v1/auth/token/", body=wrong)
    assert locked.status_code == 403 and locked.json()["error"]["code"] == "locked_out"
    limit = int(TokenThrottle.rate.split("/")[0])
    answers = [
        call(team["pm"], "POST /api/v1/auth/token/", body={"username": f"u{n}", "password": "x"}).status_code
        for n in range(limit)
    ]
    assert answers[-1] == 429
    cache.clear()


def test_a_nul_character_in_a_list_filter_is_a_400_naming_it(call, team):
    """issue 10: on PostgreSQL, GET /complaints/?severity=…%00… answered 500 (the filter cannot compare text
    holding NUL). The error handler answers any such database refusal of a request holding NUL with a 400
    naming the field. (SQLite compares NUL fine: there the list is just empty.)"""
    response = call(team["director"], "GET /api/v1/complaints/", query={"severity": "serious\x00"})
    if connection.vendor == "postgresql":
        assert response.status_code == 400
        assert list(response.json()["error"]["fields"]) == ["severity"]
    else:
        assert response.status_code == 200 and response.json()["count"] == 0


def test_the_error_handler_turns_a_database_refusal_of_nul_into_a_400_and_nothing_else():
    """issue 10: the same on every database, at the handler: a DataError for a request holding NUL (a query
    parameter, a nested JSON value) is the client's bad input; any other DataError stays a server error."""
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from huiyi.api.errors import exception_handler

    factory = APIRequestFactory()
    query = Request(factory.get("/api/v1/complaints/", {"severity": "a\x00b", "state": "open"}))
    response = exception_handler(DataError("NUL"), {"request": query})
    assert response.status_code == 400 and list(response.data["error"]["fields"]) == ["severity"]
    request = factory.post("/api/v1/x/", {"values": {"a": ["ok", "b\x00"]}}, format="json")
    body = Request(request, parsers=[JSONParser()])
    response = exception_handler(DataError("NUL"), {"request": body})
    assert response.status_code == 400 and list(response.data["error"]["fields"]) == ["values"]
    clean = Request(factory.get("/api/v1/complaints/", {"severity": "serious"}))
    assert exception_handler(DataError("numeric field overflow"), {"request": clean}) is None


def test_attaching_an_inquiry_to_a_project_that_is_not_an_id_is_a_400(call, team):
    """issue 10: POST /inquiries/{id}/attach/ with `project` a list answered 500 (the body went unvalidated
    into the lookup); it is a 400 naming `project`."""
    from huiyi.projects.intake import services

    inquiry = services.create_inquiry(
        by=team["am"], client=team["project"].client, contact_name="王经理", channel="phone", summary="年会"
    )
    url = "POST /api/v1/inquiries/{id}/attach/"
    response = call(team["am"], url, id=inquiry.pk, body={"project": [{"a": 1}, False]})
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["project"]


def test_a_json_array_where_an_object_is_expected_is_a_400(call, team):
    """issue 10: views that read `request.data.get(…)` answered 500 to a JSON array body ('list' object has
    no attribute 'get'); they validate the body with their documented serializer: 400. (Also sending a
    plan and confirming a contract change.)"""
    project = team["project"]
    call(team["am"], "PATCH /api/v1/projects/{id}/requirements/", id=project.pk, body={"budget": "1000.00"})
    response = call(team["am"], "POST /api/v1/projects/{id}/requirements/send/", id=project.pk, body=[])
    assert response.status_code == 400
    url = "POST /api/v1/projects/{project_pk}/trainings/"
    training = {"topic": "etiquette", "held_at": "2030-01-01T02:00:00Z", "trainer": "王", "pass_mark": "60"}
    session = call(team["pm"], url, project_pk=project.pk, body=training).json()
    url = "PATCH /api/v1/projects/{project_pk}/trainings/{id}/"
    response = call(team["pm"], url, project_pk=project.pk, id=session["id"], body=[])
    assert response.status_code == 400
    scores = {"attendances": [{"user": team["rec"].pk, "score": "55"}]}
    response = call(team["pm"], url, project_pk=project.pk, id=session["id"], body=scores)
    assert response.status_code == 200 and response.json()["attendances"][0]["passed"] is False
