"""API (issue 7): /api/v1/surveys/ with collection_rate and weighted score, /api/v1/survey-responses/ through
a link or as staff entry (out-of-range refused naming the question; twice through a link updates),
/api/v1/revisits/; permissions deny by default."""

from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from survey_helpers import full_answer, scale_questions

from huiyi.feedback.surveys import services
from huiyi.feedback.surveys.models import Response

pytestmark = pytest.mark.django_db


def api(user=None):
    client = APIClient()
    if user is not None:
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def _wire(survey, value=4):
    return {str(k): v for k, v in full_answer(survey, value).items()}


def test_req_fbk_02_survey_list_carries_collection_rate_and_score(
    survey, manager, django_assert_max_num_queries
):
    for _i in range(2):
        services.submit(survey, full_answer(survey, 4))
    with django_assert_max_num_queries(20):
        body = api(manager).get("/api/v1/surveys/", {"project": survey.project_id}).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["collection_rate"] == "0.2500" and row["responses"] == 2 and row["targeted"] == 8
    assert row["weighted_score"] == "4.0000" and row["weighted_score_100"] == "80.0"
    assert row["public_url"].endswith(f"/surveys/a/{survey.public_code}/")


def test_surveys_are_hidden_without_a_role(survey, make_user, org):
    stranger = make_user("reception", org["north_events"])
    assert api(stranger).get("/api/v1/surveys/").json()["count"] == 0
    assert api().get("/api/v1/surveys/").status_code == 401


def test_req_fbk_01_submit_through_personal_token_twice_updates(survey):
    attendee = survey.project.attendees.first()
    _invitation, token = services.personal_link_for_attendee(survey, attendee)
    first = api().post(
        "/api/v1/survey-responses/", {"token": token, "answers": _wire(survey, 5)}, format="json"
    )
    assert first.status_code == 201 and first.json()["created"] is True
    second = api().post(
        "/api/v1/survey-responses/", {"token": token, "answers": _wire(survey, 2)}, format="json"
    )
    assert second.status_code == 200 and second.json()["created"] is False
    assert second.json()["id"] == first.json()["id"]
    assert Response.objects.count() == 1 and Decimal(second.json()["score"]) == 2


def test_bad_input_out_of_range_answer_is_refused_naming_the_question(survey):
    q = scale_questions(survey)
    answers = {**_wire(survey), str(q[2].pk): 7}
    response = api().post(
        "/api/v1/survey-responses/",
        {"code": survey.public_code, "answers": answers},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and list(error["fields"]) == [f"q{q[2].pk}"]
    assert "Question 3" in error["fields"][f"q{q[2].pk}"][0]
    assert Response.objects.count() == 0
    bad_token = api().post("/api/v1/survey-responses/", {"token": "x" * 40, "answers": {}}, format="json")
    assert bad_token.status_code == 400 and "token" in bad_token.json()["error"]["fields"]
    nothing = api().post("/api/v1/survey-responses/", {"answers": {}}, format="json")
    assert nothing.status_code == 400


@override_settings(HUIYI_SURVEY_ADDRESS_RATE=(2, 600))
def test_bad_input_api_flood_is_throttled(survey):
    codes = [
        api()
        .post(
            "/api/v1/survey-responses/", {"code": survey.public_code, "answers": _wire(survey)}, format="json"
        )
        .status_code
        for _i in range(3)
    ]
    assert codes == [201, 201, 429]


def test_staff_entry_and_listing(survey, manager, make_user, org):
    response = api(manager).post(
        "/api/v1/survey-responses/", {"survey": survey.pk, "answers": _wire(survey)}, format="json"
    )
    assert response.status_code == 201 and response.json()["source"] == "staff"
    listed = api(manager).get("/api/v1/survey-responses/", {"survey": survey.pk}).json()
    assert listed["count"] == 1 and len(listed["results"][0]["answers"]) == 5
    reception = make_user("reception", org["north_events"])
    denied = api(reception).post(
        "/api/v1/survey-responses/", {"survey": survey.pk, "answers": _wire(survey)}, format="json"
    )
    assert denied.status_code == 403
    assert api().get("/api/v1/survey-responses/").status_code == 401


def test_create_survey_through_the_api(meeting, manager):
    template = services.default_template("client")
    body = {
        "project": meeting.pk,
        "template": template.pk,
        "opens_at": "2030-01-01T09:00:00+08:00",
        "closes_at": "2029-12-31T09:00:00+08:00",
    }
    refused = api(manager).post("/api/v1/surveys/", body, format="json")
    assert refused.status_code == 400 and "closes_at" in refused.json()["error"]["fields"]
    body["closes_at"] = "2030-01-10T09:00:00+08:00"
    created = api(manager).post("/api/v1/surveys/", body, format="json")
    assert created.status_code == 201 and created.json()["audience"] == "client"


def test_req_fbk_07_revisits_api(meeting, manager, make_user, org):
    client = api(manager)
    bad = client.post(
        "/api/v1/revisits/",
        {
            "project": meeting.pk,
            "contact": "刘洋",
            "channel": "phone",
            "on": "2020-01-01",
            "outcome": "done",
            "score": 120,
        },
        format="json",
    )
    assert bad.status_code == 400 and {"on", "score"} <= set(bad.json()["error"]["fields"])
    on = timezone.localtime(meeting.end).date().isoformat()  # the meeting's own day, in local time
    ok = client.post(
        "/api/v1/revisits/",
        {
            "project": meeting.pk,
            "contact": "刘洋",
            "channel": "phone",
            "on": on,
            "outcome": "done",
            "score": 92,
            "notes": "满意",
        },
        format="json",
    )
    assert ok.status_code == 201 and ok.json()["score"] == 92
    patched = client.patch(f"/api/v1/revisits/{ok.json()['id']}/", {"score": 88}, format="json")
    assert patched.status_code == 200 and patched.json()["score"] == 88
    assert client.get("/api/v1/revisits/", {"project": meeting.pk}).json()["count"] == 1
    reception = make_user("reception", org["north_events"])
    assert (
        api(reception)
        .post(
            "/api/v1/revisits/",
            {"project": meeting.pk, "contact": "x", "channel": "phone", "on": on, "score": 90},
            format="json",
        )
        .status_code
        == 403
    )
