"""The requirements list's PDF over the API, and the intake payloads documented in the schema (REQ-INT-01,
REQ-INT-05, REQ-INT-07): what the page links, the API links; what the API returns, the schema describes."""

import pytest
from rest_framework.test import APIClient

from huiyi.projects.intake import services


@pytest.fixture
def api(manager):
    client = APIClient()
    client.force_authenticate(manager)
    return client


@pytest.fixture
def project(manager, make_project):
    return make_project(members=[(manager, "account_manager")])


def test_req_int_05_requirements_payload_links_the_pdf_in_both_languages(api, project, manager, client):
    url = f"/api/v1/projects/{project.pk}/requirements/"
    body = api.patch(url, {"budget": "1000.00"}, format="json").json()
    assert body["pdf_url"].endswith(f"/intake/projects/{project.pk}/requirements.pdf")
    assert body["pdf_url_en"].endswith("requirements.pdf?lang=en")
    client.force_login(manager)
    for link in (body["pdf_url"], body["pdf_url_en"]):
        pdf = client.get(link.split("testserver", 1)[1])
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_requirements_pdf_link_is_for_those_who_see_the_project(api, project, make_user, org, client):
    body = api.patch(
        f"/api/v1/projects/{project.pk}/requirements/", {"budget": "1000.00"}, format="json"
    ).json()
    client.force_login(make_user("account_manager", org["south_events"], username="south-am"))
    assert client.get(body["pdf_url"].split("testserver", 1)[1]).status_code == 403


def test_req_int_07_schema_describes_completeness_confirmation_and_steps(api, project, manager):
    schema = api.get("/api/v1/schema/", {"format": "json"}).json()["components"]["schemas"]
    revision = schema["Revision"]["properties"]
    completeness = schema["RequirementsCompleteness"]["properties"]
    assert set(completeness) == {"index", "recorded", "unclear", "total", "missing"}
    assert set(schema["RequirementsConfirmation"]["properties"]) == {
        "confirmed_by",
        "confirmed_at",
        "address",
        "link",
    }
    assert {"pdf_url", "pdf_url_en", "completeness", "confirmation"} <= set(revision)
    steps = schema["Inquiry"]["properties"]["steps"]
    assert steps["items"]["$ref"].endswith("/StepTiming")
    # and the payload matches what the schema says
    body = api.patch(
        f"/api/v1/projects/{project.pk}/requirements/", {"budget": "1000.00"}, format="json"
    ).json()
    assert set(body["completeness"]) == set(completeness)
    revision_row = project.requirement_revisions.get()
    _link, token = services.send_for_confirmation(revision_row, by=manager)
    services.confirm_requirements(token, name="王经理")
    confirmed = api.get(f"/api/v1/projects/{project.pk}/requirements/").json()
    assert set(confirmed["confirmation"]) == set(schema["RequirementsConfirmation"]["properties"])
