"""Search of documents (REQ-DOC-01, REQ-DOC-08): Chinese and English words in titles and files, current
version only, results and counts only of documents the user may read, escaped highlighted snippets."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from huiyi.documents import services as documents
from huiyi.documents.search import queries
from huiyi.documents.search.models import DocumentText

from .conftest import docx_bytes, pdf_bytes, xlsx_bytes


def found(user, q, **filters):
    return list(queries.search(user, q, queries.Filters(**filters)).values_list("title", flat=True))


@pytest.fixture
def library(team, file_doc):
    """Four files of the team's meeting, one of each kind, and a very-high attendee list."""
    documents.sign_agreement(team["project"], user=team["pm"])
    return {
        "pdf": file_doc(
            "agenda.pdf",
            pdf_bytes("大会开幕式 主旨演讲", "Opening keynote in the Grand Ballroom"),
            title="会议议程",
        ),
        "docx": file_doc(
            "notice.docx",
            docx_bytes("请参会代表于报到日前完成线上签到。", "Shuttle bus at 8:00"),
            title="参会通知",
            doc_type="notice",
            confidentiality="general",
        ),
        "xlsx": file_doc(
            "equipment.xlsx",
            xlsx_bytes([("设备", "数量"), ("无线话筒", 12), ("Projector", 2)]),
            title="设备清单",
            doc_type="equipment_list_doc",
            confidentiality="high",
        ),
        "txt": file_doc(
            "minutes.txt",
            "会议纪要:确定茶歇时间为十点半。<script>alert(1)</script>".encode(),
            title="纪要",
            doc_type="minutes",
            confidentiality="high",
            retention_class="discussion_records",
        ),
        "very_high": file_doc(
            "名单.xlsx",
            xlsx_bytes([("姓名", "手机"), ("王秘密", "13900001111")]),
            title="参会人员名单",
            doc_type="attendee_list",
            confidentiality="very_high",
            retention_class="attendee_list",
        ),
    }


def test_req_doc_01_signal_indexes_each_kind_on_commit(library):
    statuses = {key: DocumentText.objects.get(version=d.current_version).status for key, d in library.items()}
    assert statuses == {
        "pdf": "indexed",
        "docx": "indexed",
        "xlsx": "indexed",
        "txt": "indexed",
        "very_high": "title_only",
    }


def test_req_doc_01_chinese_words_inside_files(team, library):
    pm = team["pm"]
    assert found(pm, "开幕式") == ["会议议程"]  # PDF
    assert found(pm, "线上签到") == ["参会通知"]  # DOCX
    assert found(pm, "无线话筒") == ["设备清单"]  # XLSX
    assert found(pm, "茶歇") == ["纪要"]  # TXT
    assert found(pm, "签到 代表") == ["参会通知"]  # every word must occur
    assert found(pm, "茶歇 代表") == []
    assert found(pm, "话筒无线") == []  # bigrams must follow each other: a phrase, not a bag of characters


def test_req_doc_01_english_words_and_prefixes(team, library):
    pm = team["pm"]
    assert found(pm, "keynote") == ["会议议程"]
    assert found(pm, "BALLROOM") == ["会议议程"]
    assert found(pm, "project") == ["设备清单"]  # prefix of Projector
    assert found(pm, "shuttle bus") == ["参会通知"]


def test_req_doc_01_titles_are_searched(team, library):
    assert found(team["pm"], "议程") == ["会议议程"]
    assert "参会人员名单" in found(team["pm"], "人员名单")


def test_req_doc_07_very_high_text_is_never_indexed(team, library):
    """REQ-DOC-07: the very-high file's content is not in the index, so not even a reader finds it by it."""
    entry = DocumentText.objects.get(version=library["very_high"].current_version)
    assert entry.text == "" and "秘密" not in entry.tokens
    assert found(team["pm"], "王秘密") == []
    assert found(team["pm"], "13900001111") == []


def test_req_doc_04_results_only_of_readable_documents(team, library):
    # onsite: member, not signed → no very-high; planner: member; quality: open classes only; stranger: none
    assert found(team["onsite"], "人员名单") == []
    assert found(team["pm"], "人员名单") == ["参会人员名单"]
    assert found(team["quality"], "无线话筒") == []  # high: members only
    assert found(team["planner"], "无线话筒") == ["设备清单"]
    assert found(team["stranger"], "议程") == []
    assert found(team["stranger"], "keynote") == []


def test_req_doc_04_other_projects_high_document_not_leaked(team, make_project, make_user, org, file_doc):
    other_pm = make_user("project_manager", org["north_events"], username="other_pm")
    other = make_project(members=[(other_pm, "project_manager")])
    file_doc(
        "plan.txt",
        "秘密方案 Phoenix".encode(),
        title="内部方案",
        confidentiality="high",
        project=other,
        by=other_pm,
    )
    assert found(other_pm, "phoenix") == ["内部方案"]
    assert found(team["pm"], "phoenix") == []  # sees the project? never the high document of another team
    assert found(team["reception"], "秘密方案") == []


def test_req_doc_08_only_the_current_version_is_searched(team, library, django_capture_on_commit_callbacks):
    document = library["txt"]
    with django_capture_on_commit_callbacks(execute=True):
        documents.add_version(
            document, upload=SimpleUploadedFile("minutes.txt", "会议纪要:茶歇取消。".encode()), by=team["pm"]
        )
    assert found(team["pm"], "取消") == ["纪要"]
    assert found(team["pm"], "十点半") == []  # only in version 1


def test_req_doc_01_filters(team, library):
    pm, project = team["pm"], team["project"]
    assert found(pm, "会", doc_type="notice") == ["参会通知"]
    assert set(found(pm, "会", confidentiality="general")) == {"参会通知"}
    assert found(pm, "keynote", project=project.pk) == ["会议议程"]
    assert found(pm, "keynote", project=project.pk + 999) == []
    today = datetime.date.today()
    assert found(pm, "keynote", date_from=today + datetime.timedelta(days=2)) == []
    assert found(pm, "keynote", date_to=today + datetime.timedelta(days=2)) == ["会议议程"]


def test_req_doc_01_snippet_is_escaped_and_highlighted(library):
    text = DocumentText.objects.get(version=library["txt"].current_version).text
    html = str(queries.snippet(text, "茶歇"))
    assert "<mark>茶歇</mark>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert str(queries.highlight("<b>议程</b>", "议程")) == "&lt;b&gt;<mark>议程</mark>&lt;/b&gt;"


def test_req_doc_01_reindex_command_rebuilds_missing_entries(team, library, capsys):
    DocumentText.objects.all().delete()
    assert found(team["pm"], "keynote") == []
    call_command("docsearch", "reindex")
    assert "Indexed 5 document versions" in capsys.readouterr().out
    assert found(team["pm"], "keynote") == ["会议议程"]
    call_command("docsearch", "reindex", "--missing")
    assert "Indexed 0 document versions" in capsys.readouterr().out


def test_req_doc_01_failed_extraction_keeps_title_searchable(team, file_doc):
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as z:  # a ZIP that looks like a DOCX, with no readable document in it
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "not xml at all")
    broken = file_doc("broken.docx", package.getvalue(), title="损坏文件")
    entry = DocumentText.objects.get(version=broken.current_version)
    assert entry.status == "failed"
    assert found(team["pm"], "损坏") == ["损坏文件"]


# -- page and API ------------------------------------------------------------------------------------------


def test_req_doc_01_search_page_zh_and_en(client, team, library):
    client.force_login(team["pm"])
    url = reverse("docsearch:search")
    page = client.get(url, {"q": "茶歇"}, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "<mark>茶歇</mark>" in page and "&lt;script&gt;" in page and "<script>alert" not in page
    assert "搜索文件" in page and "会议" in page
    page = client.get(url, {"q": "keynote"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1 document matches" in page and "Search documents" in page
    assert client.get(url).status_code == 200


def test_req_doc_04_search_page_count_does_not_leak(client, team, library):
    client.force_login(team["quality"])
    page = client.get(reverse("docsearch:search"), {"q": "无线话筒"}, HTTP_ACCEPT_LANGUAGE="en").content
    assert b"0 documents match" in page and "设备清单".encode() not in page


def test_req_doc_01_api_results(client, team, library):
    client.force_login(team["pm"])
    response = client.get("/api/v1/documents/search/", {"q": "茶歇", "type": "minutes"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    row = body["results"][0]
    assert (
        row["title"] == "纪要" and "<mark>茶歇</mark>" in row["snippet"] and "<script>" not in row["snippet"]
    )
    assert row["url"] == reverse("documents:detail", args=[library["txt"].pk])
    response = client.get("/api/v1/documents/search/", {"q": "人员名单"})
    assert response.json()["results"][0]["title_only"] is True


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "会" * 201}, {"q": "会", "from": "yesterday"}])
def test_req_doc_01_api_bad_query_house_error_shape(client, team, params):
    client.force_login(team["pm"])
    response = client.get("/api/v1/documents/search/", params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert set(error["fields"]) <= {"q", "date_from"} and error["fields"]


def test_req_doc_04_api_needs_the_view_permission(client, make_user, org):
    client.force_login(make_user(None, org["north"], username="nobody"))
    assert client.get("/api/v1/documents/search/", {"q": "会议"}).status_code == 403


def test_req_doc_01_count_is_capped_and_then_newest_first(team, library, monkeypatch, client):
    """Many matches: the count stops at the cap (no seconds spent counting 90,000 rows), newest first."""
    monkeypatch.setattr(queries, "MAX_COUNTED", 2)
    paginator = queries.CappedPaginator(team["pm"], "会", None, 20)
    assert paginator.capped and paginator.count == 2
    titles = [d.title for d in paginator.get_page(1).object_list]
    assert titles == ["参会人员名单", "纪要"]  # the newest filed, as many as counted
    client.force_login(team["pm"])
    page = client.get(reverse("docsearch:search"), {"q": "会"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "More than 2 documents match" in page
    assert client.get("/api/v1/documents/search/", {"q": "会"}).json()["count"] == 2


def test_req_doc_04_search_permission_filter_equals_the_documents_rule(
    team, library, make_project, make_user, org, file_doc
):
    """The join-free filter search uses decides exactly as documents.queries.readable, user by user."""
    from huiyi.documents.queries import readable

    owner = make_user("project_manager", org["north_events"], username="owner")
    other = make_project(members=[(owner, "project_manager")])
    file_doc("x.txt", b"other", title="other high", confidentiality="high", project=other, by=owner)
    for who in ("pm", "onsite", "reception", "planner", "tech", "quality", "reception_outside", "stranger"):
        user = team[who]
        assert set(queries.permitted(user).values_list("pk", flat=True)) == set(
            readable(user).values_list("pk", flat=True)
        ), who


def test_req_doc_01_text_with_nul_bytes_is_indexed_on_every_database(team, file_doc, monkeypatch):
    """REQ-DOC-01: text extracted from some PDFs carries NUL bytes; PostgreSQL text columns refuse them, so
    the index stores the text without them and the words around them are still found."""
    from huiyi.documents.search import services as search_services

    extracted = (DocumentText.Status.INDEXED, "", "茶歇安排\x00在十点半 tea\x00break")
    monkeypatch.setattr(search_services, "_text_of", lambda version: extracted)
    document = file_doc("agenda.pdf", pdf_bytes("议程", "Agenda"), title="会议议程")
    entry = DocumentText.objects.get(version=document.current_version)
    assert entry.status == DocumentText.Status.INDEXED and "\x00" not in entry.text
    assert "会议议程" in found(team["pm"], "茶歇安排")
