"""Preparation actions of the project page over the API: host/MC evaluation (REQ-PRE-02, CCP 7), the client's
design decision and approval link (REQ-PRE-05, CCP 5), restarting a returned review step (REQ-PRE-04) and
attendee communications (REQ-PRE-03). Each: success, denial, bad input refused with nothing saved."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from huiyi.core.models import AccessLink
from huiyi.projects.preparation import services
from huiyi.projects.preparation.models import (
    AttendeeCommunication,
    HostEvaluation,
    MaterialItem,
    ReviewStep,
)

pytestmark = pytest.mark.django_db


def _api(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.fixture
def outsider(make_user, org):
    return make_user("project_manager", org["south_events"], username="outsider")


def assert_error(response, status, field=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    if field:
        assert field in body["error"]["fields"], body


# --- host / MC evaluation ---------------------------------------------------------------------------------


def test_REQ_PRE_02_host_evaluation_recorded_and_listed(team):
    url = f"/api/v1/projects/{team['project'].pk}/host-evaluations/"
    created = _api(team["hr"]).post(url, {"host_name": "李主持", "score": "92.5", "comment": "台风稳健"})
    assert created.status_code == 201, created.json()
    assert created.json()["score"] == "92.50" and created.json()["created_by"] == "hr"
    listed = _api(team["rec"]).get(url).json()  # any member reads them
    assert listed["count"] == 1 and listed["results"][0]["host_name"] == "李主持"


def test_REQ_PRE_02_host_score_feeds_ccp07(team):
    from huiyi.quality.metrics import registry
    from huiyi.rulebook.services import rulebook_for

    url = f"/api/v1/projects/{team['project'].pk}/host-evaluations/"
    for score in ("80", "90"):
        assert _api(team["pm"]).post(url, {"host_name": "李主持", "score": score}).status_code == 201
    project = team["project"]
    rule = rulebook_for(project).rule("ccp07.host_score")
    measured = registry()[rule.metric](project, rulebook_for(project))
    assert measured.value == Decimal("85")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"host_name": "李主持", "score": "120"}, "score"),
        ({"host_name": "李主持", "score": "-1"}, "score"),
        ({"host_name": "李主持", "score": "很好"}, "score"),
        ({"host_name": "", "score": "90"}, "host_name"),
        ({"score": "90"}, "host_name"),
    ],
)
def test_host_evaluation_bad_input_names_the_field(team, payload, field):
    url = f"/api/v1/projects/{team['project'].pk}/host-evaluations/"
    assert_error(_api(team["hr"]).post(url, payload, format="json"), 400, field)
    assert not HostEvaluation.objects.exists()


def test_host_evaluation_denied_without_the_role_or_the_project(team, outsider):
    url = f"/api/v1/projects/{team['project'].pk}/host-evaluations/"
    assert_error(_api(team["rec"]).post(url, {"host_name": "李主持", "score": "90"}), 403)
    assert_error(_api(outsider).post(url, {"host_name": "李主持", "score": "90"}), 403)
    assert_error(_api(outsider).get(url), 403)
    assert not HostEvaluation.objects.exists()


# --- the client's design decision and approval link -------------------------------------------------------


@pytest.fixture
def badge(team):
    return services.create_material(
        team["project"],
        name="嘉宾胸卡",
        kind="badge",
        quantity=100,
        planned_delivery=timezone.now() + timedelta(days=5),
    )


def test_REQ_PRE_05_design_decision_recorded_for_the_client(team, badge):
    url = f"/api/v1/projects/{team['project'].pk}/materials/{badge.pk}/decision/"
    response = _api(team["pm"]).post(url, {"approved": True, "client_name": "王经理"}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["approval"] == "approved" and body["approved_by_name"] == "王经理"
    assert body["approval_via_link"] is False


def test_design_rejection_needs_a_comment_and_a_name(team, badge):
    url = f"/api/v1/projects/{team['project'].pk}/materials/{badge.pk}/decision/"
    api = _api(team["pm"])
    assert_error(api.post(url, {"approved": False, "client_name": "王经理"}, format="json"), 400, "comment")
    assert_error(api.post(url, {"approved": True, "client_name": "  "}, format="json"), 400, "client_name")
    assert_error(api.post(url, {"client_name": "王经理"}, format="json"), 400, "approved")
    badge.refresh_from_db()
    assert badge.approval == MaterialItem.Approval.PENDING and badge.approved_by_name == ""


def test_REQ_PRE_05_approval_link_returned_once_and_works_for_the_client(team, badge, client):
    url = f"/api/v1/projects/{team['project'].pk}/materials/{badge.pk}/approval-link/"
    response = _api(team["pm"]).post(url, {"recipient": "王经理"}, format="json")
    assert response.status_code == 201, response.json()
    link = response.json()
    assert "/preparation/approve/" in link["url"] and link["expires_at"]
    stored = AccessLink.objects.get()
    assert stored.recipient == "王经理" and stored.token_hash not in link["url"]
    detail = _api(team["pm"]).get(f"/api/v1/projects/{team['project'].pk}/materials/{badge.pk}/")
    assert "/preparation/approve/" not in detail.content.decode()
    path = link["url"].split("testserver", 1)[1]
    assert client.post(path, {"decision": "approve", "client_name": "王经理"}).status_code == 200
    badge.refresh_from_db()
    assert badge.approval == MaterialItem.Approval.APPROVED and badge.approval_via_link


def test_design_actions_denied_without_the_role_or_the_project(team, badge, outsider):
    base = f"/api/v1/projects/{team['project'].pk}/materials/{badge.pk}"
    for user in (team["rec"], outsider):
        assert_error(_api(user).post(f"{base}/approval-link/", {}, format="json"), 403)
        decision = {"approved": True, "client_name": "王经理"}
        assert_error(_api(user).post(f"{base}/decision/", decision, format="json"), 403)
    assert not AccessLink.objects.exists()
    badge.refresh_from_db()
    assert badge.approval == MaterialItem.Approval.PENDING


def test_material_of_another_project_is_not_found(team, badge, make_project):
    other = make_project(team["project"].org_unit, members=[(team["pm"], "project_manager")])
    url = f"/api/v1/projects/{other.pk}/materials/{badge.pk}/approval-link/"
    assert_error(_api(team["pm"]).post(url, {}, format="json"), 404)


# --- a returned review step runs again ---------------------------------------------------------------------


@pytest.fixture
def returned_step(team):
    steps = services.start_review(team["project"], by=team["pm"])
    return services.complete_review_step(steps[0], by=team["pm"], outcome="returned", comment="补充预算明细")


def test_REQ_PRE_04_returned_step_restarts_with_a_fresh_deadline(team, returned_step):
    url = f"/api/v1/projects/{team['project'].pk}/reviews/{returned_step.pk}/restart/"
    response = _api(team["pm"]).post(url)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["outcome"] == "pending" and body["completed_at"] is None and body["due"]


def test_restart_of_a_pending_step_is_refused(team, returned_step):
    pending = ReviewStep.objects.get(project=team["project"], position=2)
    url = f"/api/v1/projects/{team['project'].pk}/reviews/{pending.pk}/restart/"
    assert_error(_api(team["pm"]).post(url), 400, "outcome")
    pending.refresh_from_db()
    assert pending.outcome == "pending" and pending.started_at is None


def test_restart_denied_to_other_departments_and_outsiders(team, returned_step, outsider):
    url = f"/api/v1/projects/{team['project'].pk}/reviews/{returned_step.pk}/restart/"
    assert_error(_api(team["fin"]).post(url), 403)  # finance does not answer for administration
    assert_error(_api(outsider).post(url), 403)
    returned_step.refresh_from_db()
    assert returned_step.outcome == "returned"


# --- attendee communications ----------------------------------------------------------------------------


def test_REQ_PRE_03_attendee_communication_planned_and_sent(team):
    url = f"/api/v1/projects/{team['project'].pk}/attendee-communications/"
    api = _api(team["pm"])
    planned_for = (timezone.now() + timedelta(days=3)).isoformat()
    created = api.post(url, {"kind": "travel_guide", "channel": "sms", "planned_for": planned_for})
    assert created.status_code == 201, created.json()
    item = created.json()
    assert item["sent_at"] is None
    sent = api.post(f"{url}{item['id']}/sent/")
    assert sent.status_code == 200 and sent.json()["sent_at"]
    assert_error(api.post(f"{url}{item['id']}/sent/"), 400, "sent_at")  # not twice
    assert _api(team["rec"]).get(url).json()["count"] == 1


def test_attendee_communication_bad_input_and_denials(team, outsider):
    url = f"/api/v1/projects/{team['project'].pk}/attendee-communications/"
    planned_for = (timezone.now() + timedelta(days=3)).isoformat()
    assert_error(
        _api(team["pm"]).post(url, {"kind": "poster", "channel": "sms", "planned_for": planned_for}),
        400,
        "kind",
    )
    assert_error(_api(team["pm"]).post(url, {"kind": "agenda", "channel": "sms"}), 400, "planned_for")
    assert_error(
        _api(team["rec"]).post(url, {"kind": "agenda", "channel": "sms", "planned_for": planned_for}), 403
    )
    assert_error(
        _api(outsider).post(url, {"kind": "agenda", "channel": "sms", "planned_for": planned_for}), 403
    )
    assert not AttendeeCommunication.objects.exists()
