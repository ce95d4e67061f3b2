"""Plan versions over the API (REQ-PLN-02/03)."""

import pytest
from rest_framework.test import APIClient

from huiyi.projects.planning import services
from huiyi.projects.planning.models import PlanStatus


@pytest.fixture
def api():
    return APIClient()


def test_REQ_PLN_02_create_list_and_patch_a_draft(api, project, team):
    api.force_authenticate(team["planner"])
    created = api.post(f"/api/v1/projects/{project.pk}/plans/", {"goals": "品牌发布"}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["number"] == 1 and body["goals"] == "品牌发布" and len(body["risks"]) == 3
    start = project.start.isoformat()
    patched = api.patch(
        f"/api/v1/plans/{body['id']}/",
        {
            "catering": "自助餐",
            "budget": [{"category": "venue", "description": "场地", "amount": "500000.00"}],
            "resources": [{"kind": "venue", "name": "主会场", "quantity": 1, "start": start, "end": start}],
        },
        format="json",
    )
    assert patched.status_code == 200, patched.json()
    assert patched.json()["budget_total"] == "500000.00"
    assert patched.json()["budget"][0]["amount"] == "500000.00"
    listed = api.get(f"/api/v1/projects/{project.pk}/plans/")
    assert listed.json()["count"] == 1


def test_bad_budget_line_is_refused_naming_the_field(api, draft, team):
    api.force_authenticate(team["planner"])
    response = api.patch(
        f"/api/v1/plans/{draft.pk}/",
        {"budget": [{"category": "venue", "description": "场地", "amount": "a lot"}]},
        format="json",
    )
    assert response.status_code == 400
    assert "budget" in str(response.json()["error"]["fields"])
    assert draft.budget_lines.count() == 2


def test_patching_a_frozen_version_is_a_conflict(api, sent, team):
    services.answer_as_client(
        sent.token,
        answers={s: (True, "") for s in ("goals", "agenda", "resources", "budget", "risks")},
        signer_name="王经理",
    )
    api.force_authenticate(team["planner"])
    response = api.patch(f"/api/v1/plans/{sent.pk}/", {"goals": "改"}, format="json")
    assert response.status_code == 409 and response.json()["error"]["code"] == "frozen"


def test_REQ_PLN_03_review_and_send_through_the_api(api, draft, team):
    services.submit_for_review(draft, by=team["planner"])
    api.force_authenticate(team["director"])
    response = api.post(
        f"/api/v1/plans/{draft.pk}/reviews/", {"score": 88, "outcome": "approve"}, format="json"
    )
    assert response.status_code == 201, response.json()
    bad = api.post(f"/api/v1/plans/{draft.pk}/reviews/", {"score": 120, "outcome": "approve"}, format="json")
    assert bad.status_code == 400 and "score" in bad.json()["error"]["fields"]
    assert api.get(f"/api/v1/plans/{draft.pk}/reviews/").json()["count"] == 1
    services.conclude_review(draft, by=team["director"], outcome="approve")
    api.force_authenticate(team["planner"])
    sent = api.post(f"/api/v1/plans/{draft.pk}/send/", {"recipient": "王经理"}, format="json")
    assert sent.status_code == 201 and "/planning/confirm/" in sent.json()["url"]
    draft.refresh_from_db()
    assert draft.status == PlanStatus.SENT
    # the confirmation link is returned once, never again (the payload links only the PDF and signed copies)
    assert "/planning/confirm/" not in api.get(f"/api/v1/plans/{draft.pk}/").content.decode()


def test_outsider_gets_404(api, draft, team):
    api.force_authenticate(team["outsider"])
    assert api.get(f"/api/v1/plans/{draft.pk}/").status_code == 404


def test_plan_list_query_count_is_bounded(api, project, team, django_assert_max_num_queries):
    for _n in range(4):
        version = services.create_version(project, by=team["planner"])
        services.update_goals(version, by=team["planner"], goals="x")
        services.add_line(
            version, "budget", by=team["planner"], category="venue", description="场地", amount=1
        )
        services.submit_for_review(version, by=team["planner"])
        services.review(version, reviewer=team["director"], score=80, outcome="approve")
        services.conclude_review(version, by=team["director"], outcome="approve")
        services.send_to_client(version, by=team["planner"])
    api.force_authenticate(team["planner"])
    with django_assert_max_num_queries(20):
        response = api.get(f"/api/v1/projects/{project.pk}/plans/")
    assert response.json()["count"] == 4
