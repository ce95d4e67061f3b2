"""Importing attendee lists (REQ-ONS-02): .xlsx and .csv (UTF-8 with/without BOM, GBK), column mapping guessed
from Chinese and English headers, every bad row reported (row, column, reason), all-or-nothing unless bad rows
are skipped, re-imports update instead of duplicating, and whole-file problems get a clear message."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.utils import translation

from huiyi.onsite.attendees import importing, services
from huiyi.onsite.attendees.models import Attendee, Ticket

from .conftest import HEADER, ROWS, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db


def run(team, data, **options):
    options.setdefault("dry_run", False)
    return services.import_attendees(team["project"], data, by=team["pm"], **options)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(xlsx_bytes(ROWS), id="xlsx"),
        pytest.param(csv_bytes(ROWS), id="csv-utf8"),
        pytest.param(csv_bytes(ROWS, bom=True), id="csv-utf8-bom"),
        pytest.param(csv_bytes(ROWS[:2] + ROWS[3:], encoding="gbk"), id="csv-gbk"),
        pytest.param(csv_bytes(ROWS, encoding="gb18030"), id="csv-gb18030"),
    ],
)
def test_req_ons_02_import_reads_every_format(team, data):
    report = run(team, data)
    assert report.applied and not report.errors
    attendees = {a.name: a for a in Attendee.objects.filter(project=team["project"])}
    assert attendees["张伟"].category == "vip"
    assert attendees["张伟"].organisation == "浦江科技股份有限公司"
    assert attendees["李娜"].category == "speaker" and attendees["李娜"].dietary == "清真"
    assert (
        attendees["王芳"].category == "staff"
        and attendees["王芳"].external_key == "mail:wang.fang@huiyi.example"
    )
    if "John Smith" in attendees:
        assert attendees["John Smith"].language == "en"
        assert attendees["John Smith"].phone == "+447700900123"
    assert Ticket.objects.filter(project=team["project"]).count() == len(attendees) == report.created


def test_req_ons_02_mapping_is_guessed_from_chinese_and_english_headers():
    assert importing.guess_mapping(HEADER) == {
        "name": 0,
        "organisation": 1,
        "title": 2,
        "phone": 3,
        "email": 4,
        "category": 5,
        "seat": 6,
        "dietary": 7,
        "language": 8,
    }
    english = ["Name", "Organization", "Job title", "Mobile", "E-mail", "Category", "Seat", "Dietary", "ID"]
    assert importing.guess_mapping(english) == {
        "name": 0,
        "organisation": 1,
        "title": 2,
        "phone": 3,
        "email": 4,
        "category": 5,
        "seat": 6,
        "dietary": 7,
        "key": 8,
    }


def test_req_ons_02_reimport_updates_instead_of_duplicating(team):
    first = run(team, xlsx_bytes(ROWS))
    assert first.created == 4
    changed = [row[:] for row in ROWS]
    changed[0][6] = "主席台-1"
    again = run(team, xlsx_bytes(changed))
    assert (again.created, again.updated, again.unchanged) == (0, 1, 3)
    assert Attendee.objects.count() == 4
    assert Attendee.objects.get(name="张伟").seat == "主席台-1"


def test_req_ons_02_key_column_wins_over_phone(team):
    header = ["编号", *HEADER]
    rows = [["K-1", *ROWS[0]], ["K-2", *ROWS[1]]]
    run(team, csv_bytes(rows, header=header))
    rows[0][4] = "13700000000"  # a new phone number: still the same person by key
    report = run(team, csv_bytes(rows, header=header))
    assert (report.created, report.updated) == (0, 1)
    assert Attendee.objects.get(external_key="K-1").phone == "13700000000"


def test_req_ons_02_manual_attendee_is_matched_by_a_later_import(team):
    services.create_attendee(team["project"], by=team["pm"], name="张伟", phone="138-1234-5678")
    report = run(team, xlsx_bytes(ROWS[:1]))
    assert (report.created, report.updated) == (0, 1)
    assert Attendee.objects.get().category == "vip"


def test_req_ons_02_every_bad_row_is_listed_and_nothing_saved(team):
    rows = [
        ROWS[0],
        ["", "无名单位", "", "13600000000", "", "", "", "", ""],  # missing name
        ["赵六", "某单位", "", "13500000000", "", "国王", "", "", ""],  # bad category
        ["钱七", "某单位", "", "13500000001", "qian@", "", "", "", ""],  # bad e-mail
        ["张伟二", "浦江科技", "", "13812345678", "", "", "", "", ""],  # same phone as row 2
        ROWS[1],
    ]
    with translation.override("en"):
        report = run(team, xlsx_bytes(rows))
    assert not report.applied
    assert Attendee.objects.count() == 0 and Ticket.objects.count() == 0
    found = {(e.row, e.column) for e in report.errors}
    assert found == {(3, "姓名"), (4, "类别"), (5, "邮箱"), (6, "手机")}
    messages = {e.row: e.message for e in report.errors}
    assert "missing" in messages[3]
    assert "国王" in messages[4]
    assert "row 2" in messages[6]
    assert report.created == 2  # what the good rows would do


def test_req_ons_02_skip_bad_rows_saves_the_good_ones(team):
    rows = [ROWS[0], ["", "无名", "", "", "", "", "", "", ""], ROWS[1]]
    report = run(team, csv_bytes(rows), skip_bad_rows=True)
    assert report.applied and report.skipped == 1 and report.created == 2
    assert set(Attendee.objects.values_list("name", flat=True)) == {"张伟", "李娜"}
    # one summary audit entry for the whole import, not one per row
    assert LogEntry.objects.filter(changes__icontains="attendee_import").count() == 1
    assert not LogEntry.objects.filter(content_type__model="attendee").exists()


def test_req_ons_02_dry_run_saves_nothing(team):
    report = run(team, xlsx_bytes(ROWS), dry_run=True)
    assert report.created == 4 and not report.applied
    assert not Attendee.objects.exists()


def test_req_ons_02_empty_rows_are_ignored(team):
    rows = [ROWS[0], [""] * 9, ["", "  ", ""], ROWS[1]]
    report = run(team, xlsx_bytes(rows))
    assert report.rows == 2 and report.created == 2 and not report.errors


def test_req_ons_02_mapping_chosen_by_hand(team):
    header = ["参会人员名单", "联系手机号", "备注"]
    rows = [["张伟", "13812345678", "x"]]
    with pytest.raises(ValidationError) as raised:
        run(team, csv_bytes(rows, header=header))  # nothing recognised: the header row is refused
    assert "file" in raised.value.message_dict
    header = ["姓名", "联系手机号", "备注"]
    report = run(team, csv_bytes(rows, header=header), mapping={"name": 0, "phone": 1})
    assert report.created == 1 and Attendee.objects.get().phone == "13812345678"
    with pytest.raises(ValidationError) as raised:
        run(team, csv_bytes(rows, header=header), mapping={"phone": 1})
    assert "mapping" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        run(team, csv_bytes(rows, header=header), mapping={"name": 0, "phone": 0})
    assert "mapping" in raised.value.message_dict


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"\r\n\r\n,,,\r\n", "empty"),
        (b"%PDF-1.7\n\x00\x01\x02binary", "not a spreadsheet"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a spreadsheet"),
        (b"PK\x03\x04garbage that is no workbook", ".xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
        ("张伟,浦江科技,13812345678\n李娜,浦江科技,13912345678\n".encode(), "header"),
        ("姓名,单位\n".encode(), "no attendee rows"),
        ("姓名,单位\n张伟,浦江科技\n".encode() + "李娜,浦江科技\n".encode("gbk"), "mixes"),
        (b"\xff\xfea\x00b", "cannot be read as text"),
    ],
)
def test_req_ons_02_unreadable_files_get_a_clear_message(team, data, words):
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        run(team, data)
    message = " ".join(raised.value.message_dict["file"])
    assert words.lower() in message.lower(), message
    assert not Attendee.objects.exists()


def test_req_ons_02_mixed_encoding_names_the_row(team):
    data = "姓名,单位\n张伟,浦江科技\n王五,某单位\n".encode() + "李娜,浦江科技\n".encode("gbk")
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        run(team, data)
    assert "row 4" in raised.value.message_dict["file"][0]


def test_req_ons_02_not_decodable_names_the_row(team):
    data = "姓名,单位\n张伟,单位\n".encode("gbk") + b"\x81\x20\xff\n"
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        run(team, data)
    assert "Row 3" in raised.value.message_dict["file"][0]


def test_req_ons_02_excel_numbers_and_duplicates_within_a_file(team):
    rows = [
        ["张伟", "浦江", "", 13812345678, "", "VIP", 12, "", ""],
        ["张伟", "浦江", "", 13812345678.0, "", "", "", "", ""],
    ]
    with translation.override("en"):
        report = run(team, xlsx_bytes(rows))
    assert [(e.row, e.column) for e in report.errors] == [(3, "手机")]
    assert "Duplicate of row 2" in report.errors[0].message
    report = run(team, xlsx_bytes(rows), skip_bad_rows=True)
    attendee = Attendee.objects.get()
    assert attendee.phone == "13812345678" and attendee.seat == "12"


def test_req_ons_02_name_and_organisation_match_is_normalised(team):
    header = ["姓名", "单位"]
    run(team, csv_bytes([["张 伟", "浦江科技"]], header=header))
    report = run(team, csv_bytes([["张伟", " 浦江科技 "]], header=header))
    assert report.created == 0
    with translation.override("en"):
        report = run(
            team, csv_bytes([["张伟", "浦江科技"], ["张 伟", "浦江科技"]], header=header), dry_run=True
        )
    assert "Duplicate of row 2" in report.errors[0].message
