"""The plan's review, confirmation record and PDF over the API, as on the plan page (REQ-PLN-02/03, CCP 2–3):
submit a draft, conclude the review, archive the client's e-signed copy, find the PDF."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from huiyi.accounts.models import Role
from huiyi.projects import services as projects
from huiyi.projects.planning import services
from huiyi.projects.planning.models import PlanStatus, SignedCopy

SECTIONS = ("goals", "agenda", "resources", "budget", "risks")


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def hr_member(project, make_user, org):
    """Sees the project (a member) but holds no role that drafts or reviews plans."""
    user = make_user("hr", org["north_events"], username="hr")
    projects.add_member(project, user, Role.objects.get(key="hr"))
    return user


@pytest.fixture
def confirmed(sent):
    services.answer_as_client(sent.token, answers={s: (True, "") for s in SECTIONS}, signer_name="王经理")
    sent.refresh_from_db()
    return sent


def assert_error(response, status, field=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    if field:
        assert field in body["error"]["fields"], body


def signed_pdf(name="plan-v1-signed.pdf", content=b"%PDF-1.4 signed by the client"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# --- submit ---------------------------------------------------------------------------------------------


def test_REQ_PLN_03_submit_a_draft_for_review(api, draft, team):
    api.force_authenticate(team["planner"])
    response = api.post(f"/api/v1/plans/{draft.pk}/submit/")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == PlanStatus.REVIEW and response.json()["submitted_at"]
    draft.refresh_from_db()
    assert draft.status == PlanStatus.REVIEW


def test_submit_without_goals_names_the_field_and_changes_nothing(api, project, team):
    version = services.create_version(project, by=team["planner"])
    api.force_authenticate(team["planner"])
    assert_error(api.post(f"/api/v1/plans/{version.pk}/submit/"), 400, "goals")
    version.refresh_from_db()
    assert version.status == PlanStatus.DRAFT and version.submitted_at is None


def test_submit_is_denied_without_the_role_and_hidden_from_outsiders(api, draft, team, hr_member):
    api.force_authenticate(hr_member)
    assert_error(api.post(f"/api/v1/plans/{draft.pk}/submit/"), 403)
    api.force_authenticate(team["outsider"])
    assert_error(api.post(f"/api/v1/plans/{draft.pk}/submit/"), 404)
    draft.refresh_from_db()
    assert draft.status == PlanStatus.DRAFT


# --- conclude -------------------------------------------------------------------------------------------


@pytest.fixture
def in_review(draft, team):
    services.submit_for_review(draft, by=team["planner"])
    services.review(draft, reviewer=team["manager"], score=88, outcome="approve")
    return draft


def test_REQ_PLN_03_conclude_the_review_approves(api, in_review, team):
    api.force_authenticate(team["director"])
    response = api.post(f"/api/v1/plans/{in_review.pk}/conclude/", {"outcome": "approve"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["review_outcome"] == "approve" and response.json()["creativity_score"] == "88.00"
    in_review.refresh_from_db()
    assert in_review.reviewed_by == team["director"]


def test_conclude_return_sends_the_version_back_to_draft(api, in_review, team):
    api.force_authenticate(team["director"])
    response = api.post(
        f"/api/v1/plans/{in_review.pk}/conclude/", {"outcome": "return", "note": "预算需细化"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == PlanStatus.DRAFT and response.json()["review_note"] == "预算需细化"


def test_conclude_refuses_bad_input_naming_the_field(api, in_review, team):
    api.force_authenticate(team["director"])
    url = f"/api/v1/plans/{in_review.pk}/conclude/"
    assert_error(api.post(url, {"outcome": "return"}, format="json"), 400, "note")
    assert_error(api.post(url, {"outcome": "maybe"}, format="json"), 400, "outcome")
    assert_error(api.post(url, {}, format="json"), 400, "outcome")
    in_review.refresh_from_db()
    assert in_review.status == PlanStatus.REVIEW and in_review.review_outcome == ""


def test_conclude_is_for_reviewers_only(api, in_review, team):
    api.force_authenticate(team["planner"])  # drafts plans, does not review them
    assert_error(
        api.post(f"/api/v1/plans/{in_review.pk}/conclude/", {"outcome": "approve"}, format="json"), 403
    )
    api.force_authenticate(team["outsider"])
    assert_error(
        api.post(f"/api/v1/plans/{in_review.pk}/conclude/", {"outcome": "approve"}, format="json"), 404
    )
    in_review.refresh_from_db()
    assert in_review.review_outcome == ""


# --- the client's e-signed copy and the PDF ---------------------------------------------------------------


def test_REQ_PLN_02_archive_the_signed_copy_with_its_checksum(api, confirmed, team, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    content = b"%PDF-1.4 signed by the client"
    api.force_authenticate(team["planner"])
    response = api.post(
        f"/api/v1/plans/{confirmed.pk}/signed-copies/",
        {"file": signed_pdf(content=content)},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["sha256"] == hashlib.sha256(content).hexdigest() and body["size"] == len(content)
    assert body["original_name"] == "plan-v1-signed.pdf" and body["url"].endswith(
        f"/signed-copies/{body['id']}/"
    )
    listed = api.get(f"/api/v1/plans/{confirmed.pk}/signed-copies/").json()
    assert [c["id"] for c in listed] == [body["id"]]
    version = api.get(f"/api/v1/plans/{confirmed.pk}/").json()
    assert [c["sha256"] for c in version["signed_copies"]] == [body["sha256"]]


def test_signed_copy_of_a_version_that_is_not_confirmed_is_refused(api, sent, team, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    api.force_authenticate(team["planner"])
    url = f"/api/v1/plans/{sent.pk}/signed-copies/"
    assert_error(api.post(url, {"file": signed_pdf()}, format="multipart"), 400, "file")
    assert_error(api.post(url, {}, format="multipart"), 400, "file")
    assert not SignedCopy.objects.exists()


def test_signed_copy_upload_is_denied_without_the_role(api, confirmed, team, hr_member, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = f"/api/v1/plans/{confirmed.pk}/signed-copies/"
    api.force_authenticate(hr_member)
    assert api.get(url).status_code == 200  # a member reads them
    assert_error(api.post(url, {"file": signed_pdf()}, format="multipart"), 403)
    api.force_authenticate(team["outsider"])
    assert_error(api.get(url), 404)
    assert_error(api.post(url, {"file": signed_pdf()}, format="multipart"), 404)
    assert not SignedCopy.objects.exists()


def test_version_payload_links_the_plan_pdf_in_both_languages(api, draft, team, client):
    api.force_authenticate(team["planner"])
    body = api.get(f"/api/v1/plans/{draft.pk}/").json()
    assert body["pdf_url"].endswith(f"/planning/versions/{draft.pk}/plan.pdf")
    assert body["pdf_url_en"].endswith(f"/planning/versions/{draft.pk}/plan.pdf?lang=en")
    client.force_login(team["planner"])
    pdf = client.get(body["pdf_url"].split("testserver", 1)[1])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
