"""Pages of incidents (REQ-INC-02…06): report form, incident page, lists, cockpit panel, plans, drills."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from huiyi.incidents.models import Incident


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


@pytest.mark.django_db
def test_req_inc_02_report_form_prefills_place_and_reports_with_photo(team, client):
    client.force_login(team["reception"])
    url = f"/incidents/projects/{team['project'].pk}/report/"
    page = client.get(url)
    assert page.status_code == 200 and "总部 20 楼会议室" in page.content.decode()
    response = client.post(
        url, {"type": "health", "place": "总部 20 楼会议室", "impact": "一位嘉宾头晕", "photo": _png()}
    )
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert incident.photo and incident.photo_sha256 and incident.level == "III"
    assert client.get(f"/incidents/{incident.pk}/photo/").status_code == 200


@pytest.mark.django_db
def test_req_inc_02_report_form_refuses_a_fake_photo_and_empty_fields(team, client):
    client.force_login(team["reception"])
    url = f"/incidents/projects/{team['project'].pk}/report/"
    fake = SimpleUploadedFile("photo.jpg", b"not an image", content_type="image/jpeg")
    response = client.post(
        url, {"type": "", "place": "", "impact": "x", "photo": fake}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert Incident.objects.count() == 0


@pytest.mark.django_db
def test_incident_page_lists_panel_plans_and_drills(team, report, client):
    incident = report()
    client.force_login(team["director"])
    detail = client.get(f"/incidents/{incident.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Command chain" in detail and f"ack-{incident.chain.get(position=1).pk}" in detail
    assert client.get(f"/incidents/{incident.pk}/live/").status_code == 200
    assert client.get("/incidents/?level=II&drill=0").status_code == 200
    assert client.get(f"/incidents/projects/{team['project'].pk}/").status_code == 200
    assert client.get(f"/incidents/projects/{team['project'].pk}/panel/").status_code == 200
    assert client.get("/incidents/plans/").status_code == 200
    assert client.get("/incidents/drills/").status_code == 200
    assert client.get(f"/incidents/{incident.pk}/report.pdf").status_code == 200
    cockpit = client.get(f"/onsite/projects/{team['project'].pk}/")
    assert cockpit.status_code == 200 and "incidents-panel" in cockpit.content.decode()


@pytest.mark.django_db
def test_req_inc_03_stranger_ack_on_page_is_refused_with_a_message(team, report, client):
    incident = report()
    step = incident.chain.get(position=1)
    client.force_login(team["reception"])
    response = client.post(f"/incidents/chain/{step.pk}/ack/", follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "command chain" in response.content.decode()
    step.refresh_from_db()
    assert step.state == "paged"
    client.force_login(team["outsider"])
    assert client.get(f"/incidents/{incident.pk}/").status_code == 403
