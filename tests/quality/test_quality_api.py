"""Quality API: the what-if check (issue 3), a project's quality, nonconformances (REQ-QLT-06)."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from huiyi.quality import services
from huiyi.quality.models import ControlPointResult, ManualMeasurement, Nonconformance
from huiyi.rulebook.services import active_rulebook, active_version, rulebook_for

pytestmark = pytest.mark.django_db

CHECK = "/api/v1/rulebook/check/"


@pytest.fixture
def director(make_user, org):
    return make_user("project_director", org["north"])


@pytest.fixture
def api(director):
    client = APIClient()
    client.force_authenticate(director)
    return client


def _assert_error(response, status, field=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    if field:
        assert field in body["error"]["fields"], body
    return body["error"]


def test_what_if_happy_path_against_rulebook_values(api):
    rulebook = active_rulebook()
    budget = rulebook.rule("ccp02.budget_deviation")
    creativity = rulebook.rule("ccp02.creativity_score")
    over = Decimal(str(budget.value)) + Decimal("0.018")
    response = api.post(
        CHECK,
        {
            "control_point": "CCP-02",
            "values": {budget.metric: str(over), creativity.metric: creativity.value},
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["control_point"] == "CCP-02"
    assert body["rulebook_version"] == active_version().number
    by_rule = {r["rule"]: r for r in body["results"]}
    assert set(by_rule) == {r.id for r in rulebook.rules_for("CCP-02")}
    assert by_rule[budget.id]["passed"] is False
    assert by_rule[budget.id]["threshold"] == budget.value and by_rule[budget.id]["op"] == budget.op
    assert by_rule[budget.id]["req"] == budget.req and by_rule[budget.id]["clause"] == budget.clause
    assert by_rule[budget.id]["name"] == budget.name.as_dict()
    assert by_rule[creativity.id]["passed"] is True
    assert by_rule["ccp02.client_confirmation"]["passed"] is None
    assert by_rule["ccp02.client_confirmation"]["value"] is None
    assert not ControlPointResult.objects.exists() and not ManualMeasurement.objects.exists()


def test_what_if_unknown_control_point(api):
    error = _assert_error(
        api.post(CHECK, {"control_point": "CCP-42", "values": {}}, format="json"), 400, "control_point"
    )
    assert "CCP-42" in error["message"]


def test_what_if_unknown_metric_names_it(api):
    response = api.post(
        CHECK, {"control_point": "CCP-02", "values": {"booking_error_rate": 0.01}}, format="json"
    )
    error = _assert_error(response, 400, "values")
    assert "booking_error_rate" in error["message"]


def test_what_if_non_numeric_value_names_the_field(api):
    response = api.post(
        CHECK, {"control_point": "CCP-02", "values": {"budget_deviation": "lots"}}, format="json"
    )
    _assert_error(response, 400, "values.budget_deviation")


def test_what_if_requires_sign_in():
    response = APIClient().post(CHECK, {"control_point": "CCP-02", "values": {}}, format="json")
    _assert_error(response, 401)


def test_what_if_with_a_project_uses_its_pinned_version_and_checks_permission(
    api, make_project, director, org
):
    mine = make_project(members=[(director, "project_director")])
    response = api.post(CHECK, {"control_point": "CCP-01", "values": {}, "project": mine.pk}, format="json")
    assert response.status_code == 200
    assert response.json()["rulebook_version"] == mine.rulebook_version.number
    hidden = make_project(org["south_events"])
    response = api.post(CHECK, {"control_point": "CCP-01", "values": {}, "project": hidden.pk}, format="json")
    _assert_error(response, 404)
    response = api.post(CHECK, {"control_point": "CCP-01", "values": {}, "project": "x"}, format="json")
    _assert_error(response, 400, "project")


def test_project_quality_shape_and_permissions(api, make_project, director, org):
    project = make_project(members=[(director, "project_director")])
    limit = Decimal(str(rulebook_for(project).value("ccp02.budget_deviation")))
    services.record_budget(project, planned=1000 * (1 + limit) + 1, budget=1000, by=director)
    services.evaluate(project, by=director)
    services.evaluate(project, "CCP-02", by=director)
    response = api.get(f"/api/v1/projects/{project.pk}/quality/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["rulebook_version"] == project.rulebook_version.number
    n = len([r for r in rulebook_for(project).rules if r.control_point])
    assert len(body["results"]) == n  # one current result per criterion
    budget = next(r for r in body["results"] if r["rule_id"] == "ccp02.budget_deviation")
    assert budget["control_point"] == "CCP-02" and budget["verdict"] == "fail"
    assert budget["nonconformance"] is not None
    assert set(body["scores"]) >= {"P", "S", "E", "Q", "final", "overall", "phases"}
    assert body["scores"]["P"]["value"] is not None and body["scores"]["Q"]["value"] is None
    assert body["scores"]["Q"]["reason"]
    assert body["open_nonconformances"] == 1

    hidden = make_project(org["south_events"])
    _assert_error(api.get(f"/api/v1/projects/{hidden.pk}/quality/"), 404)
    _assert_error(api.get("/api/v1/projects/999999/quality/"), 404)


def test_nonconformance_list_is_filtered_paginated_and_bounded(
    api, make_project, director, org, make_user, django_assert_max_num_queries
):
    other = make_user("project_director", org["south"])
    for i in range(6):
        mine = make_project(members=[(director, "project_director")])
        services.open_nonconformance(mine, source="audit", description=f"finding {i}", by=director)
    hidden = make_project(org["south_events"], members=[(other, "project_director")])
    services.open_nonconformance(hidden, source="audit", description="not yours", severity="major", by=other)
    with django_assert_max_num_queries(12):
        response = api.get("/api/v1/nonconformances/?page_size=4")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 6 and len(body["results"]) == 4 and body["next"]
    assert {"id", "status", "severity", "description", "due_at", "actions"} <= set(body["results"][0])
    assert api.get("/api/v1/nonconformances/?severity=major").json()["count"] == 0
    assert api.get("/api/v1/nonconformances/?status=open").json()["count"] == 6
    nc = Nonconformance.objects.filter(project=hidden).get()
    _assert_error(api.get(f"/api/v1/nonconformances/{nc.pk}/"), 404)
