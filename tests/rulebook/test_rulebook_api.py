"""The rulebook API: the active version with every rule; versions paginated; errors in the one shape.

REQ-QLT-03 (control points on each rule), REQ-ONS-03 and REQ-ONS-04 (thresholds and ranges),
REQ-FBK-08 (weights), REQ-DOC-08 (versions with author, time and change note).
"""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from huiyi.rulebook import services

pytestmark = pytest.mark.django_db

RULE_KEYS = {
    "id",
    "req",
    "clause",
    "kind",
    "metric",
    "op",
    "value",
    "unit",
    "control_point",
    "phase",
    "owner_role",
    "name",
    "source",
    "clock",
    "starts_at",
}


@pytest.fixture
def api(make_user, org):
    client = APIClient()
    client.force_authenticate(make_user("planner", org["north"]))
    return client


@pytest.fixture
def officer(make_user, org):
    return make_user("quality_officer", org["company"])


def rules_by_id(body):
    return {rule["id"]: rule for rule in body["rules"]}


def test_REQ_QLT_03_active_rulebook_has_every_rule_with_its_fields(api):
    body = api.get("/api/v1/rulebook/").json()
    rulebook = services.active_rulebook()
    assert body["version"] == 1 and body["status"] == "active"
    assert set(body["title"]) == {"zh-hans", "en"}
    assert body["digest"] == services.active_version().digest
    assert len(body["rules"]) == len(rulebook.rules)
    for rule in body["rules"]:
        assert set(rule) >= RULE_KEYS, rule["id"]
        assert rule["op"] in {"<=", ">=", "between", "==", "<", ">"}
        assert set(rule["name"]) == {"zh-hans", "en"}
    rules = rules_by_id(body)
    budget = rules["ccp02.budget_deviation"]
    assert (budget["req"], budget["control_point"], budget["op"], budget["value"], budget["unit"]) == (
        "REQ-PLN-03",
        "CCP-02",
        "<=",
        0.05,
        "ratio",
    )
    assert {r["control_point"] for r in body["rules"] if r["control_point"]} == {
        f"CCP-{n:02d}" for n in range(1, 13)
    }


def test_REQ_ONS_03_REQ_ONS_04_values_numbers_ranges_and_null(api):
    rules = rules_by_id(api.get("/api/v1/rulebook/").json())
    assert rules["ons.wifi_signal"]["value"] == -65 and rules["ons.wifi_signal"]["unit"] == "dBm"
    temperature = rules["ons.environment.temperature"]
    assert (temperature["op"], temperature["value"], temperature["unit"]) == ("between", [20, 24], "celsius")
    assert rules["fbk.final_score.alpha"]["value"] == 0.6  # REQ-FBK-08
    permanent = rules["doc.retention.attendee_list"]
    assert permanent["value"] is None and permanent["permanent"] is True
    deadline = next(r for r in rules.values() if r["clock"] == "working_days")
    assert deadline["starts_at"] and deadline["unit"] == "working_days"


def test_REQ_DOC_08_versions_are_listed_with_note_and_times(api, officer):
    draft = services.clone_version(services.active_version(), by=officer)
    services.update_rule(draft, "ccp02.budget_deviation", value=0.04, by=officer)
    services.activate(draft, note="预算偏差收紧", by=officer)
    services.clone_version(draft, by=officer)
    body = api.get("/api/v1/rulebook/versions/").json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 3
    assert [(v["number"], v["status"]) for v in body["results"]] == [
        (3, "draft"),
        (2, "active"),
        (1, "retired"),
    ]
    v2 = body["results"][1]
    assert v2["change_note"] == "预算偏差收紧" and v2["based_on"] == 1
    assert v2["activated_at"].endswith(("Z", "+08:00", "+00:00")) and "T" in v2["created_at"]
    assert "rules" not in v2
    detail = api.get("/api/v1/rulebook/versions/2/").json()
    assert rules_by_id(detail)["ccp02.budget_deviation"]["value"] == 0.04
    assert (
        rules_by_id(api.get("/api/v1/rulebook/versions/1/").json())["ccp02.budget_deviation"]["value"] == 0.05
    )
    assert api.get("/api/v1/rulebook/").json()["version"] == 2
    assert api.get("/api/v1/rulebook/versions/?status=draft").json()["count"] == 1


def test_unknown_version_is_404_in_the_error_shape(api):
    response = api.get("/api/v1/rulebook/versions/99/")
    assert response.status_code == 404
    assert set(response.json()["error"]) == {"code", "message", "fields"}


@pytest.mark.parametrize(
    "url", ["/api/v1/rulebook/", "/api/v1/rulebook/versions/", "/api/v1/rulebook/versions/1/"]
)
def test_anonymous_gets_401_in_the_error_shape(url):
    response = APIClient().get(url)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_version_list_has_a_bounded_query_count(api, officer, django_assert_max_num_queries):
    for _ in range(5):
        services.clone_version(services.active_version(), by=officer)
    with django_assert_max_num_queries(6):
        assert api.get("/api/v1/rulebook/versions/").status_code == 200
    with django_assert_max_num_queries(6):
        assert api.get("/api/v1/rulebook/").status_code == 200


def test_schema_documents_the_rulebook_endpoints(api):
    schema = api.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert {"/api/v1/rulebook/", "/api/v1/rulebook/versions/", "/api/v1/rulebook/versions/{number}/"} <= set(
        schema["paths"]
    )
    rule = schema["components"]["schemas"]["Rule"]
    assert set(rule["properties"]) >= RULE_KEYS
