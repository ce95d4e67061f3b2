"""Dashboard, drill-down, permissions, API and exports (REQ-QLT-09)."""

import io

import pytest
from django.core import mail  # noqa: F401
from openpyxl import load_workbook

from huiyi.core.models import Notification
from huiyi.quality.kpis import services
from huiyi.quality.kpis.models import MonthlyReport

from .conftest import at, result

pytestmark = pytest.mark.django_db
PASSWORD = "x"


@pytest.fixture
def north_meeting(make_project, org):
    project = make_project(
        org["north_events"], start=at("2026-03-02 09:00"), end=at("2026-03-02 17:00"), code="=HYPERLINK(1)"
    )
    result(project, "a", "pass", at("2026-03-03 10:00"))
    result(project, "b", "fail", at("2026-03-03 10:00"))
    return project


def _login(client, user):
    client.force_login(user)
    return client


def test_REQ_QLT_09_dashboard_shows_every_registered_kpi_with_a_drill_link(client, people, north_meeting):
    response = _login(client, people["quality"]).get("/kpis/?period=2026")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-kpi="standard_p"' in html and 'data-kpi="ccp_pass_rate"' in html
    assert "/kpis/standard_p/?period=2026" in html
    assert 'id="kpi-charts"' in html and "<script>" not in html  # data through json_script only
    detail = client.get("/kpis/ccp_pass_rate/?period=2026")
    assert detail.status_code == 200
    assert north_meeting.code in detail.content.decode() and "50.0 %" in detail.content.decode()


def test_REQ_QLT_09_bad_period_is_a_message_on_the_page_and_400_in_the_api(client, people):
    response = _login(client, people["quality"]).get("/kpis/?period=2026-13")
    assert response.status_code == 400 and 'id="kpi-error"' in response.content.decode()
    api = client.get("/api/v1/kpis/?period=2026-13", HTTP_ACCEPT="application/json")
    assert api.status_code == 400
    assert api.json()["error"]["code"] == "invalid" and "period" in api.json()["error"]["fields"]


def test_REQ_QLT_09_permissions_deny_by_default_and_units_not_seen(client, people, org):
    assert _login(client, people["planner"]).get("/kpis/").status_code == 403
    assert client.get("/api/v1/kpis/").status_code == 403
    south = _login(client, people["south_pm"])
    refused = south.get(f"/kpis/?org_unit={org['north'].pk}")
    assert refused.status_code == 403 and "北方公司" in refused.content.decode()
    api = south.get(f"/api/v1/kpis/?org_unit={org['north'].pk}")
    assert api.status_code == 403 and api.json()["error"]["code"] == "permission_denied"
    assert south.get(f"/kpis/?org_unit={org['south_events'].pk}").status_code == 200


def test_REQ_QLT_09_a_manager_sees_only_their_units_projects(
    client, people, north_meeting, make_project, org
):
    other = make_project(
        org["south_events"],
        start=at("2026-03-09 09:00"),
        end=at("2026-03-09 17:00"),
        members=[(people["south_pm"], "project_manager")],
    )
    result(other, "a", "pass", at("2026-03-10 10:00"))
    data = _login(client, people["south_pm"]).get("/api/v1/kpis/?period=2026&trend=false").json()
    ccp = next(r for r in data["results"] if r["key"] == "ccp_pass_rate")
    assert (ccp["numerator"], ccp["denominator"], ccp["value"]) == ("1", "1", "1.0000")
    data = _login(client, people["quality"]).get("/api/v1/kpis/?period=2026").json()
    ccp = next(r for r in data["results"] if r["key"] == "ccp_pass_rate")
    assert ccp["denominator"] == "3" and ccp["target"]["rule"] == "qlt.kpi.ccp_pass_rate"
    assert ccp["verdict"] == "fail" and len(ccp["trend"]) == 5


def test_REQ_QLT_09_xlsx_export_has_the_figures_and_no_formula(client, people, north_meeting):
    response = _login(client, people["director"]).get("/kpis/export.xlsx?period=2026")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    summary = book.worksheets[0]
    values = [c.value for row in summary.iter_rows() for c in row]
    assert 0.5 in values  # P and the CCP pass rate
    cells = [c.value for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert any(isinstance(v, str) and v.startswith("'=HYPERLINK") for v in cells)
    assert not any(isinstance(v, str) and v.startswith("=") for v in cells)


def test_REQ_QLT_09_pdf_export_renders(client, people, north_meeting):
    response = _login(client, people["director"]).get("/kpis/export.pdf?period=2026-Q1")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert len(response.content) > 2000


def test_REQ_QLT_09_monthly_report_goes_once_to_the_chosen_roles(people, north_meeting, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    services.update_setting(by=people["quality"], enabled=True, roles=["quality_officer"], language="zh-hans")
    assert services.send_monthly_report(today=at("2026-04-02 08:30").date()) is None  # 2 April: not the first
    report = services.send_monthly_report(today=at("2026-04-01 08:30").date())
    assert report.period == "2026-03" and report.file.read().startswith(b"%PDF")
    services.send_monthly_report(today=at("2026-04-01 08:30").date())
    assert MonthlyReport.objects.count() == 1
    notices = Notification.objects.filter(kind="kpis.monthly_report")
    assert list(notices.values_list("recipient__username", flat=True)) == ["qo"]
    with pytest.raises(Exception):  # noqa: B017, PT011
        services.update_setting(by=people["manager"], enabled=False, roles=[], language="en")
