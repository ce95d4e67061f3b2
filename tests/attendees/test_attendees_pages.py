"""Attendee pages (REQ-ONS-02): masking of phone and e-mail per role, the logged read on the detail page,
search and filters, the four-step import, export with formula injection neutralised, badges, ticket links,
and the project section / cockpit panel."""

import io
import re

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from huiyi.onsite.attendees import services
from huiyi.onsite.attendees.models import Attendee

from .conftest import ROWS, csv_bytes

pytestmark = pytest.mark.django_db


def browser(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def people(team):
    project = team["project"]
    zhang = services.create_attendee(
        project,
        by=team["pm"],
        name="张伟",
        organisation="浦江科技",
        phone="13812345678",
        email="zhang.wei@example.com",
        category="vip",
        seat="A-01",
    )
    li = services.create_attendee(
        project, by=team["pm"], name="李娜", organisation="东方新能源", phone="13900005678"
    )
    return {"zhang": zhang, "li": li}


def test_req_ons_02_list_masks_contacts_for_reception(team, people):
    page = browser(team["rec"]).get(reverse("attendees:list", args=[team["project"].pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "138****5678" in html and "z***@example.com" in html
    assert "13812345678" not in html and "zhang.wei@example.com" not in html


def test_req_ons_02_list_shows_contacts_to_organisers(team, people):
    html = browser(team["pm"]).get(reverse("attendees:list", args=[team["project"].pk])).content.decode()
    assert "13812345678" in html and "zhang.wei@example.com" in html


def test_req_ons_02_detail_shows_full_contact_and_logs_the_read(team, people):
    zhang = people["zhang"]
    before = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count()
    html = browser(team["director"]).get(reverse("attendees:detail", args=[zhang.pk])).content.decode()
    assert "13812345678" in html
    access = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).order_by("-pk")
    assert access.count() == before + 1
    assert access.first().actor == team["director"] and access.first().object_pk == str(zhang.pk)
    # reception sees the masked form, and no read of contact details is logged
    html = browser(team["rec"]).get(reverse("attendees:detail", args=[zhang.pk])).content.decode()
    assert "138****5678" in html and "13812345678" not in html
    assert access.count() == before + 1


def test_req_ons_02_ticket_code_and_qr_only_for_scanners(team, people):
    zhang = people["zhang"]
    html = browser(team["rec"]).get(reverse("attendees:detail", args=[zhang.pk])).content.decode()
    assert zhang.ticket.code in html and "<svg" in html
    html = browser(team["tech"]).get(reverse("attendees:detail", args=[zhang.pk])).content.decode()
    assert zhang.ticket.code not in html


def test_req_ons_02_people_outside_the_project_or_without_a_role_are_refused(team, people, make_user, org):
    outsider = make_user("project_manager", org["south_events"], username="outsider")
    assert browser(outsider).get(reverse("attendees:list", args=[team["project"].pk])).status_code == 403
    assert browser(outsider).get(reverse("attendees:detail", args=[people["zhang"].pk])).status_code == 403
    # finance is on the team but its role grants nothing here
    assert browser(team["fin"]).get(reverse("attendees:list", args=[team["project"].pk])).status_code == 403
    # reception may look, not change
    rec = browser(team["rec"])
    assert rec.get(reverse("attendees:add", args=[team["project"].pk])).status_code == 403
    assert rec.post(reverse("attendees:reissue", args=[people["zhang"].pk])).status_code == 403


def test_req_ons_02_search_and_filters(team, people):
    url = reverse("attendees:list", args=[team["project"].pk])
    pm, rec = browser(team["pm"]), browser(team["rec"])
    assert "李娜" in pm.get(url, {"q": "东方"}).content.decode()
    assert "张伟" not in pm.get(url, {"q": "东方"}).content.decode()
    assert "张伟" in pm.get(url, {"q": "1234"}).content.decode()  # any fragment of the phone
    assert "张伟" not in rec.get(url, {"q": "1234"}).content.decode()  # reception: only the last digits
    assert "张伟" in rec.get(url, {"q": "5678"}).content.decode()
    html = pm.get(url, {"category": "vip"}).content.decode()
    assert "张伟" in html and "李娜" not in html
    services.cancel_attendee(people["li"], by=team["pm"])
    html = pm.get(url, {"status": "cancelled"}).content.decode()
    assert "李娜" in html and "张伟" not in html


def test_req_ons_02_list_query_count_is_bounded(team, django_assert_max_num_queries):
    for number in range(60):
        services.create_attendee(
            team["project"], by=team["pm"], name=f"参会者{number}", phone=f"1380000{number:04d}"
        )
    client = browser(team["pm"])
    url = reverse("attendees:list", args=[team["project"].pk])
    client.get(url)
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200


def test_req_ons_02_add_edit_cancel_through_the_pages(team):
    client = browser(team["pm"])
    response = client.post(
        reverse("attendees:add", args=[team["project"].pk]),
        {
            "name": "孙丽",
            "organisation": "浦江科技",
            "phone": "13700001111",
            "category": "speaker",
            "language": "zh-hans",
        },
    )
    attendee = Attendee.objects.get(name="孙丽")
    assert response.status_code == 302 and attendee.ticket
    response = client.post(
        reverse("attendees:edit", args=[attendee.pk]),
        {"name": "孙丽", "email": "bad", "category": "speaker", "language": "zh-hans"},
    )
    assert response.status_code == 400 and b"e-mail address" in response.content
    client.post(reverse("attendees:cancel", args=[attendee.pk]), {"reason": "行程冲突"})
    attendee.refresh_from_db()
    assert attendee.is_cancelled
    client.post(reverse("attendees:reinstate", args=[attendee.pk]))
    attendee.refresh_from_db()
    assert not attendee.is_cancelled


def test_req_ons_02_import_steps_through_the_pages(team, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    client = browser(team["pm"])
    project = team["project"]
    upload = io.BytesIO(csv_bytes([*ROWS, ["", "无名", "", "", "", "", "", "", ""]], encoding="gbk"))
    upload.name = "名单.csv"
    response = client.post(reverse("attendees:import", args=[project.pk]), {"file": upload})
    assert response.status_code == 302
    token = response["Location"].rstrip("/").rsplit("/", 1)[1]
    stored = list((tmp_path / "tmp" / "attendee-imports").iterdir())
    assert len(stored) == 2  # the file and who uploaded it — not in the session
    mapping_url = response["Location"]
    page = client.get(mapping_url)
    assert page.status_code == 200
    form = page.context["form"]
    data = {name: value for name, value in form.initial.items() if name.startswith("col_")}
    assert data["col_name"] == "0" and data["col_phone"] == "3"
    dry = client.post(mapping_url, {**data, "action": "dry_run"})
    assert dry.status_code == 200 and dry.context["report"].bad_rows == 1
    assert 'data-row="6"' in dry.content.decode()
    refused = client.post(mapping_url, {**data, "action": "apply"})
    assert refused.status_code == 400 and not Attendee.objects.exists()
    done = client.post(mapping_url, {**data, "action": "apply", "skip_bad_rows": "on"})
    assert done.status_code == 302
    assert Attendee.objects.filter(project=project).count() == 4
    assert not (tmp_path / "tmp" / "attendee-imports" / f"{token}.upload").exists()
    # another user cannot reach someone else's upload
    assert browser(team["director"]).get(mapping_url).status_code == 404


def test_req_ons_02_upload_of_a_non_spreadsheet_is_refused_at_once(team, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    upload = io.BytesIO(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    upload.name = "photo.xlsx"
    response = browser(team["pm"]).post(
        reverse("attendees:import", args=[team["project"].pk]), {"file": upload}
    )
    assert response.status_code == 400 and b"not a spreadsheet" in response.content


def test_req_ons_02_export_neutralises_formulas_and_masks_for_reception(team):
    project = team["project"]
    services.create_attendee(
        project, by=team["pm"], name='=HYPERLINK("http://evil","x")', organisation="+1+1"
    )
    services.create_attendee(project, by=team["pm"], name="@SUM(A1)", organisation="-2", phone="13812345678")
    tabbed = services.create_attendee(project, by=team["pm"], name="Tab")
    # the services strip whitespace; a record written some other way may still start with a tab or CR
    Attendee.objects.filter(pk=tabbed.pk).update(title="\t=1+1", seat="\r=1+1")
    content = browser(team["pm"]).get(reverse("attendees:export", args=[project.pk])).content
    sheet = load_workbook(io.BytesIO(content)).active
    values = [cell for row in sheet.iter_rows(min_row=2, values_only=True) for cell in row if cell]
    for cell in sheet.iter_rows(min_row=2):
        for item in cell:
            assert item.data_type != "f"
    assert '\'=HYPERLINK("http://evil","x")' in values and "'+1+1" in values and "'@SUM(A1)" in values
    assert "'-2" in values and "'\t=1+1" in values
    # A CR survives as CR when openpyxl writes with lxml (installed now, for DOCX text extraction) and turns
    # into LF with the standard library's writer: either way the cell starts with the quote.
    assert "'\r=1+1" in values or "'\n=1+1" in values
    assert "13812345678" in values
    masked = browser(team["rec"]).get(reverse("attendees:export", args=[project.pk])).content
    cells = [
        c for row in load_workbook(io.BytesIO(masked)).active.iter_rows(values_only=True) for c in row if c
    ]
    assert "138****5678" in cells and "13812345678" not in cells


def test_req_ons_02_badge_pdf_contains_the_names(team, people):
    client = browser(team["pm"])
    for size in ("a6", "a7"):
        response = client.get(reverse("attendees:badges", args=[team["project"].pk]), {"size": size})
        assert response["Content-Type"] == "application/pdf"
        reader = PdfReader(io.BytesIO(response.content))
        assert len(reader.pages) == 2
        text = "".join(page.extract_text() for page in reader.pages)
        assert "张伟" in text and "李娜" in text and "浦江科技" in text
    one = client.get(reverse("attendees:badge", args=[people["zhang"].pk]), {"size": "a7"})
    reader = PdfReader(io.BytesIO(one.content))
    assert len(reader.pages) == 1
    width_mm = float(reader.pages[0].mediabox.width) / 72 * 25.4
    assert round(width_mm) == 74  # A7


def test_req_ons_02_badges_of_a_filtered_selection_leave_out_the_cancelled(team, people):
    services.cancel_attendee(people["li"], by=team["pm"])
    response = browser(team["pm"]).get(reverse("attendees:badges", args=[team["project"].pk]))
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1 and "张伟" in reader.pages[0].extract_text()
    response = browser(team["pm"]).get(
        reverse("attendees:badges", args=[team["project"].pk]), {"category": "guest"}
    )
    assert "张伟" not in PdfReader(io.BytesIO(response.content)).pages[0].extract_text()


def test_req_ons_02_ticket_link_page_in_the_attendees_language(team, people):
    zhang = people["zhang"]
    services.update_attendee(zhang, by=team["pm"], language="en")
    response = browser(team["pm"]).post(reverse("attendees:ticket_link", args=[zhang.pk]))
    url = re.search(r'value="(http[^"]+)"', response.content.decode()).group(1)
    anonymous = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    for _ in range(2):  # multi-use
        page = anonymous.get(url)
        assert page.status_code == 200
        html = page.content.decode()
        assert "张伟" in html and "A-01" in html and "<svg" in html
        assert "Seat" in html and team["project"].name_en in html
    services.reissue_ticket(zhang, by=team["pm"])
    assert anonymous.get(url).status_code == 410
    assert anonymous.get(reverse("attendees:ticket", args=["forged-token"])).status_code == 410


def test_req_ons_02_project_section_and_cockpit_panel(team, people):
    client = browser(team["pm"])
    html = client.get(reverse("projects:detail", args=[team["project"].pk])).content.decode()
    assert 'id="attendees"' in html and reverse("attendees:list", args=[team["project"].pk]) in html
    assert 'data-category="vip"' in html
    html = client.get(reverse("onsite:cockpit", args=[team["project"].pk])).content.decode()
    assert 'id="attendees-panel"' in html
    html = browser(team["fin"]).get(reverse("projects:detail", args=[team["project"].pk])).content.decode()
    assert 'id="attendees-panel"' not in html and 'id="open-attendees"' not in html
