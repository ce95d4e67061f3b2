"""Attendee API (REQ-ONS-02): create, list with filters, masked contacts and `ticket_code` per role, PATCH and
cancel, import with dry run / skip bad rows / mapping, and the ticket QR image decoded with zbar."""

import io
import json

import pytest
from django.utils import translation
from PIL import Image
from pyzbar.pyzbar import decode
from rest_framework.test import APIClient

from huiyi.onsite.attendees import services
from huiyi.onsite.attendees.models import Attendee

from .conftest import ROWS, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


def url(project, suffix=""):
    return f"/api/v1/projects/{project.pk}/attendees/{suffix}"


def assert_error(response, status, field=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body["error"]) == {"code", "message", "fields"}
    if field:
        assert field in body["error"]["fields"], body


def test_req_ons_02_create_and_list_with_ticket_codes_for_scanners(team):
    project = team["project"]
    response = api(team["pm"]).post(
        url(project),
        {"name": "张伟", "organisation": "浦江科技", "category": "vip", "phone": "13812345678"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["category"] == "vip" and body["status"] == "active"
    attendee = Attendee.objects.get(pk=body["id"])
    assert body["ticket_code"] == attendee.ticket.code  # the project manager manages the project
    listed = api(team["rec"]).get(url(project)).json()
    assert listed["count"] == 1 and set(listed) == {"count", "next", "previous", "results"}
    row = listed["results"][0]
    assert row["ticket_code"] == attendee.ticket.code  # reception scans
    assert row["phone"] == "138****5678" and row["external_key"] == "tel:138****5678"
    tech = api(team["tech"]).get(url(project)).json()["results"][0]
    assert "ticket_code" not in tech and tech["phone"] == "138****5678"
    full = api(team["director"]).get(url(project, f"{attendee.pk}/")).json()
    assert full["phone"] == "13812345678"


def test_req_ons_02_api_filters(team):
    project = team["project"]
    services.create_attendee(project, by=team["pm"], name="张伟", organisation="浦江科技", category="vip")
    services.create_attendee(project, by=team["pm"], name="李娜", organisation="东方新能源", category="press")
    client = api(team["pm"])
    assert [r["name"] for r in client.get(url(project), {"category": "press"}).json()["results"]] == ["李娜"]
    assert [r["name"] for r in client.get(url(project), {"q": "浦江"}).json()["results"]] == ["张伟"]


def test_req_ons_02_api_bad_input_and_denials(team, make_user, org):
    project = team["project"]
    assert_error(
        api(team["pm"]).post(url(project), {"name": "x", "category": "king"}, format="json"), 400, "category"
    )
    assert_error(api(team["pm"]).post(url(project), {"organisation": "x"}, format="json"), 400, "name")
    assert_error(
        api(team["pm"]).post(url(project), {"name": "x", "email": "nope"}, format="json"), 400, "email"
    )
    assert_error(api(team["rec"]).post(url(project), {"name": "x"}, format="json"), 403)
    outsider = make_user("project_manager", org["south_events"], username="outsider")
    assert_error(api(outsider).get(url(project)), 403)
    assert not Attendee.objects.exists()


def test_req_ons_02_api_patch_and_cancel(team):
    project = team["project"]
    attendee = services.create_attendee(project, by=team["pm"], name="张伟")
    client = api(team["pm"])
    response = client.patch(
        url(project, f"{attendee.pk}/"), {"seat": "A-3", "status": "cancelled"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["seat"] == "A-3" and response.json()["status"] == "cancelled"
    assert_error(client.patch(url(project, f"{attendee.pk}/"), {"phone": "abc"}, format="json"), 400, "phone")
    assert_error(client.patch(url(project, f"{attendee.pk}/"), {"external_key": "X"}, format="json"), 400)
    old = attendee.ticket.code
    response = client.post(url(project, f"{attendee.pk}/reissue-ticket/"))
    assert response.status_code == 200 and response.json()["ticket_code"] != old


def test_req_ons_02_api_list_query_count_is_bounded(team, django_assert_max_num_queries):
    for number in range(40):
        services.create_attendee(team["project"], by=team["pm"], name=f"参会者{number}")
    client = api(team["rec"])
    client.get(url(team["project"]))
    with django_assert_max_num_queries(12):
        assert client.get(url(team["project"])).json()["count"] == 40


def upload(data, name):
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def test_req_ons_02_api_import_dry_run_then_apply(team):
    project = team["project"]
    client = api(team["pm"])
    rows = [*ROWS, ["", "无名", "", "", "", "", "", "", ""]]
    dry = client.post(
        url(project, "import/"),
        {"file": upload(xlsx_bytes(rows), "list.xlsx"), "dry_run": "true"},
        format="multipart",
    )
    assert dry.status_code == 200, dry.content
    report = dry.json()
    assert report["created"] == 4 and report["bad_rows"] == 1 and not report["applied"]
    assert report["errors"] == [{"row": 6, "column": "姓名", "message": "The name is missing."}]
    refused = client.post(
        url(project, "import/"), {"file": upload(xlsx_bytes(rows), "list.xlsx")}, format="multipart"
    )
    assert_error(refused, 400, "row 6")
    assert refused.json()["report"]["applied"] is False and not Attendee.objects.exists()
    done = client.post(
        url(project, "import/"),
        {"file": upload(xlsx_bytes(rows), "list.xlsx"), "skip_bad_rows": "true"},
        format="multipart",
    )
    assert done.status_code == 200 and done.json()["applied"] and done.json()["created"] == 4
    assert Attendee.objects.count() == 4


def test_req_ons_02_api_import_with_mapping_and_bad_files(team):
    project = team["project"]
    client = api(team["pm"])
    data = csv_bytes([["张伟", "13812345678"]], header=["姓名", "联系手机号"], encoding="gbk")
    mapping = json.dumps({"name": "姓名", "phone": "联系手机号"})
    response = client.post(
        url(project, "import/"), {"file": upload(data, "a.csv"), "mapping": mapping}, format="multipart"
    )
    assert response.status_code == 200 and Attendee.objects.get().phone == "13812345678"
    bad_mapping = json.dumps({"name": "Nom"})
    assert_error(
        client.post(
            url(project, "import/"),
            {"file": upload(data, "a.csv"), "mapping": bad_mapping},
            format="multipart",
        ),
        400,
        "mapping",
    )
    assert_error(
        client.post(url(project, "import/"), {"file": upload(b"\x00\x01\x02", "a.xlsx")}, format="multipart"),
        400,
        "file",
    )
    assert_error(client.post(url(project, "import/"), {}, format="multipart"), 400, "file")
    assert_error(
        api(team["rec"]).post(url(project, "import/"), {"file": upload(data, "a.csv")}, format="multipart"),
        403,
    )


def test_req_ons_02_qr_png_decodes_with_zbar(team):
    attendee = services.create_attendee(team["project"], by=team["pm"], name="张伟")
    response = api(team["rec"]).get(f"/api/v1/tickets/{attendee.ticket.code}/qr.png", HTTP_ACCEPT="image/png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    decoded = decode(Image.open(io.BytesIO(response.content)))
    assert [symbol.data.decode() for symbol in decoded] == [attendee.ticket.code]


def test_req_ons_02_qr_png_errors_are_json(team, make_user, org):
    attendee = services.create_attendee(team["project"], by=team["pm"], name="张伟")
    with translation.override("en"):
        assert_error(
            api(team["rec"]).get("/api/v1/tickets/no-such-code/qr.png", HTTP_ACCEPT="image/png"), 404
        )
        assert_error(api(team["rec"]).get("/api/v1/tickets/" + "x" * 300 + "/qr.png"), 404)
        assert_error(api(team["tech"]).get(f"/api/v1/tickets/{attendee.ticket.code}/qr.png"), 403)
        outsider = make_user("reception", org["south_events"], username="outsider")
        assert_error(api(outsider).get(f"/api/v1/tickets/{attendee.ticket.code}/qr.png"), 404)
    assert APIClient().get(f"/api/v1/tickets/{attendee.ticket.code}/qr.png").status_code == 401
