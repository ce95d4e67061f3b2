"""REQ-QLT-07/08/10 over the API and the pages: house error shape, visibility, schema without warnings."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from huiyi.quality.accountability import services as accountability
from huiyi.quality.audits.models import Audit
from huiyi.quality.models import Nonconformance

pytestmark = pytest.mark.django_db


def _api(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def _error(response, status, field=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    if field:
        assert field in body["error"]["fields"], body


def test_req_qlt_07_api_plan_assess_and_findings(officer, project):
    api = _api(officer)
    response = api.post(
        "/api/v1/audits/",
        {
            "title": "API audit",
            "planned_date": "2026-10-01",
            "scope_requirements": ["REQ-QLT-10"],
            "projects": [project.pk],
            "lead_auditor": officer.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    audit_id = response.json()["id"]
    _error(
        api.post(
            "/api/v1/audits/",
            {"title": "x", "planned_date": "2026-10-01", "lead_auditor": officer.pk},
            format="json",
        ),
        400,
        "scope_chapters",
    )
    items = api.get(f"/api/v1/audits/{audit_id}/items/").json()
    assert items and items[0]["rule_id"] == "qlt.sop.optimisation_meeting_interval"
    _error(
        api.post(f"/api/v1/audits/{audit_id}/items/{items[0]['id']}/", {"result": "conformity"}),
        400,
        "status",
    )
    assert api.post(f"/api/v1/audits/{audit_id}/start/").status_code == 200
    response = api.post(
        f"/api/v1/audits/{audit_id}/items/{items[0]['id']}/",
        {"result": "nonconformity", "evidence": "No minutes", "severity": "major"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["nonconformance_code"].startswith("NC-")
    findings = api.get("/api/v1/audits/findings/").json()
    assert findings["count"] == 1 and findings["results"][0]["result"] == "nonconformity"
    assert Nonconformance.objects.get().source == "audit"


def test_req_qlt_07_pages_plan_detail_pdf_compliance(client, officer, manager, project):
    client.force_login(officer)
    response = client.post(
        reverse("audits:new"),
        {
            "title": "Page audit",
            "planned_date": "2026-10-01",
            "scope_requirements": "REQ-QLT-10, REQ-DOC-03",
            "projects": [project.pk],
            "lead_auditor": officer.pk,
        },
    )
    audit = Audit.objects.get()
    assert response.status_code == 302 and audit.items.count() >= 2
    assert client.get(reverse("audits:list")).status_code == 200
    assert (
        "qlt.sop.optimisation_meeting_interval"
        in client.get(reverse("audits:detail", args=[audit.pk])).content.decode()
    )
    pdf = client.get(reverse("audits:report", args=[audit.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(reverse("audits:compliance")).status_code == 200
    client.force_login(manager)  # not on the team, no audit role
    assert client.get(reverse("audits:detail", args=[audit.pk])).status_code == 404
    assert client.get(reverse("audits:compliance")).status_code == 403


def test_req_qlt_08_api_visibility_and_appeal(officer, manager, project, make_user, org):
    director = make_user("project_director", org["company"])
    violation = accountability.report_violation(
        title="Late set-up",
        description="d",
        occurred_at=timezone.now() - dt.timedelta(hours=2),
        org_unit=None,
        project=project,
        by=officer,
    )
    api = _api(officer)
    assert api.get(f"/api/v1/violations/{violation.pk}/").status_code == 200
    _error(_api(manager).get(f"/api/v1/violations/{violation.pk}/"), 404)
    assert _api(manager).get("/api/v1/violations/").json()["count"] == 0
    assert (
        api.post(f"/api/v1/violations/{violation.pk}/investigate/", {"investigator": officer.pk}).status_code
        == 200
    )
    response = api.post(
        f"/api/v1/violations/{violation.pk}/determine/",
        {"findings": "f", "responsible_person": manager.pk, "responsible_role": "project_manager"},
    )
    assert response.status_code == 200, response.content
    response = _api(director).post(
        f"/api/v1/violations/{violation.pk}/sanction/", {"sanction": "warning", "detail": "w"}
    )
    assert response.status_code == 200 and response.json()["appeal_due"]
    assert _api(manager).get("/api/v1/violations/").json()["count"] == 1  # the person concerned
    _error(api.post(f"/api/v1/violations/{violation.pk}/appeal/", {"text": "x"}), 403)
    assert _api(manager).post(f"/api/v1/violations/{violation.pk}/appeal/", {"text": "x"}).status_code == 200
    _error(api.post("/api/v1/violations/", {"title": "x"}, format="json"), 400, "description")


def test_req_qlt_10_api_sops(officer, manager):
    api = _api(officer)
    response = api.post(
        "/api/v1/sops/",
        {
            "code": "SOP-1",
            "title": {"zh-hans": "归档", "en": "Archiving"},
            "rule_ids": ["doc.archive_deadline"],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    response = api.post(
        f"/api/v1/sops/{pk}/versions/",
        {"text": "t", "change_note": "n", "effective_from": "2026-01-01", "approved_by": officer.pk},
        format="json",
    )
    assert response.status_code == 201 and response.json()["number"] == 1
    _error(
        api.post(
            f"/api/v1/sops/{pk}/versions/",
            {"change_note": "n", "effective_from": "2026-01-01", "approved_by": officer.pk},
            format="json",
        ),
        400,
        "text",
    )
    assert _api(manager).get(f"/api/v1/sops/{pk}/").json()["current_version"] == 1
    _error(
        _api(manager).post(
            "/api/v1/sops/meetings/", {"held_on": "2026-01-01", "title": "q", "decisions": "d"}
        ),
        403,
    )


def test_req_qlt_07_openapi_has_no_warnings_for_supervision():
    from tests.api.test_api_schema_clean import _generate

    schema, warnings, errors = _generate("en")
    mine = [
        w
        for w in warnings + errors
        if any(k in w for k in ("audit", "Audit", "iolation", "sop", "Procedure"))
    ]
    assert mine == []
    for path in ("/api/v1/audits/", "/api/v1/violations/", "/api/v1/sops/", "/api/v1/audits/findings/"):
        assert path in schema["paths"]
