"""The preparedness API (/api/v1/risks/, emergency resources and contacts), its pages and permissions
(REQ-INC-08, REQ-INC-10, REQ-ONS-09, REQ-TEC-01)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from huiyi.core.models import ChannelConfig
from huiyi.incidents.preparedness import services
from huiyi.incidents.preparedness.models import EmergencyContact, Risk

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_req_inc_10_api_creates_a_risk_with_its_level(team):
    project = team["project"]
    response = api(team["director"]).post(
        "/api/v1/risks/",
        {
            "project": project.pk,
            "title": "同传设备故障",
            "type": "equipment",
            "likelihood": 3,
            "impact": 4,
            "trigger": "同传中断超过 30 秒",
            "owner": team["tech"].pk,
            "review_date": "2030-01-31",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["level"] == 2 and body["level_code"] == "significant"
    assert body["level_name"] == {"zh-hans": "较大风险", "en": "Significant risk"}
    assert body["review_overdue"] is False and body["from_plan"] is False
    risk_id = body["id"]
    response = api(team["director"]).patch(
        f"/api/v1/risks/{risk_id}/", {"likelihood": 5, "impact": 5}, format="json"
    )
    assert response.status_code == 200 and response.json()["level"] == 1
    listed = api(team["planner"]).get("/api/v1/risks/", {"project": project.pk}).json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == risk_id


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"likelihood": 9, "impact": 2}, "likelihood"),
        ({"likelihood": 2, "impact": 0}, "impact"),
        ({"likelihood": "很高", "impact": 2}, "likelihood"),
        ({"likelihood": 2}, "impact"),
        ({"likelihood": 2, "impact": 2, "type": "meteor"}, "type"),
        ({"likelihood": 2, "impact": 2, "title": ""}, "title"),
    ],
)
def test_req_inc_10_api_refuses_bad_input_naming_the_field(team, payload, field):
    data = {"project": team["project"].pk, "title": "坏输入", **payload}
    response = api(team["director"]).post("/api/v1/risks/", data, format="json")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert not Risk.objects.exists()


def test_risk_permissions(team):
    project = team["project"]
    # someone outside the project's unit cannot add to it nor see its risks
    response = api(team["outsider"]).post(
        "/api/v1/risks/", {"project": project.pk, "title": "越权"}, format="json"
    )
    assert response.status_code == 400 and "project" in response.json()["error"]["fields"]
    services.create_risk(project=project, title="项目风险", likelihood=2, impact=2, by=team["director"])
    org_risk = services.create_risk(title="全公司：供应商违约", likelihood=2, impact=3, by=team["director"])
    seen = {r["title"] for r in api(team["outsider"]).get("/api/v1/risks/").json()["results"]}
    assert seen == {"全公司：供应商违约"}
    # reception may not write risks
    response = api(team["security"]).patch(f"/api/v1/risks/{org_risk.pk}/", {"impact": 5}, format="json")
    assert response.status_code == 403


def test_req_inc_08_api_checklist_and_check(team):
    url = f"/api/v1/projects/{team['project'].pk}/emergency-resources/"
    listed = api(team["security"]).get(url).json()
    assert listed["count"] == 5 and all(not line["checked"] for line in listed["results"])
    response = api(team["security"]).post(
        url, {"resource": "fire_equipment", "quantity": 4, "location": "各出口"}, format="json"
    )
    assert response.status_code == 201 and response.json()["checked"] is True
    response = api(team["security"]).post(
        url, {"resource": "fire_equipment", "quantity": 0, "location": "x"}, format="json"
    )
    assert response.status_code == 400 and "quantity" in response.json()["error"]["fields"]
    response = api(team["planner"]).post(
        url, {"resource": "fire_equipment", "quantity": 1, "location": "x"}, format="json"
    )
    assert response.status_code == 403
    assert api(team["outsider"]).get(url).status_code == 403


def test_req_ons_09_api_contacts(team):
    url = f"/api/v1/projects/{team['project'].pk}/emergency-contacts/"
    response = api(team["director"]).post(
        url, {"role": "现场总控", "name": "赵总控", "phone": "+86 139 0000 0001"}, format="json"
    )
    assert response.status_code == 201 and response.json()["tel"] == "+8613900000001"
    contact_id = response.json()["id"]
    response = api(team["director"]).patch(f"{url}{contact_id}/", {"phone": "电话"}, format="json")
    assert response.status_code == 400 and "phone" in response.json()["error"]["fields"]
    assert api(team["security"]).get(url).json()["count"] == 1
    assert (
        api(team["security"]).post(url, {"role": "x", "name": "y", "phone": "110"}, format="json").status_code
        == 403
    )
    assert api(team["director"]).delete(f"{url}{contact_id}/").status_code == 204
    assert not EmergencyContact.objects.exists()


def test_project_page_panel_and_section(team, client):
    project = team["project"]
    services.add_contact(project, role="现场总控", name="赵总控", phone="13900000001", by=team["director"])
    services.create_risk(project=project, title="主会场断电", likelihood=4, impact=5, by=team["director"])
    client.force_login(team["director"])
    page = client.get(reverse("preparedness:project", args=[project.pk])).content.decode()
    assert 'href="tel:13900000001"' in page and 'id="resources-not-ready"' in page and "主会场断电" in page
    cockpit = client.get(reverse("onsite:cockpit", args=[project.pk])).content.decode()
    assert 'id="preparedness-panel"' in cockpit and 'id="resources-warning"' in cockpit
    detail = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert 'id="preparedness-link"' in detail
    client.force_login(team["outsider"])
    assert client.get(reverse("preparedness:project", args=[project.pk])).status_code == 403


def test_risk_register_page_shows_the_heat_map_with_bounded_queries(team, client):
    for n in range(12):
        services.create_risk(
            project=team["project"],
            title=f"风险 {n}",
            likelihood=n % 5 + 1,
            impact=(n * 2) % 5 + 1,
            by=team["director"],
        )
    client.force_login(team["planner"])
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("preparedness:risks")).content.decode()
    assert page.count('class="heat-cell') == 25 and 'data-count="0"' in page
    assert len(queries) < 30
    assert client.get(reverse("preparedness:risks"), {"cell": "1-1"}).status_code == 200


def test_channels_page_is_for_administrators_and_quality_officers(team, client, make_user, org):
    client.force_login(team["director"])
    assert client.get(reverse("preparedness:channels")).status_code == 403
    admin = make_user(None, org["company"], is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.post(
        reverse("preparedness:channel_add"),
        {
            "name": "钉钉群",
            "url": "ftp://example.invalid/x",
            "payload_format": "dingtalk",
            "timeout_seconds": 5,
        },
    )
    assert response.status_code == 400 and not ChannelConfig.objects.exists()
    response = client.post(
        reverse("preparedness:channel_add"),
        {
            "name": "钉钉群",
            "url": "https://example.invalid/robot/send?access_token=x",
            "payload_format": "dingtalk",
            "secret": "SECxyz",
            "kinds": "incident, emergency_contacts",
            "timeout_seconds": 5,
        },
    )
    assert response.status_code == 302
    config = ChannelConfig.objects.get()
    assert (
        config.kinds == ["incident", "emergency_contacts"] and not config.active and config.secret == "SECxyz"
    )
    page = client.get(reverse("preparedness:channels")).content.decode()
    assert "钉钉群" in page and "SECxyz" not in page
    officer = make_user("quality_officer", org["company"])
    client.force_login(officer)
    page = client.get(reverse("preparedness:channels")).content.decode()
    assert 'id="failed-deliveries"' in page and "钉钉群" not in page
