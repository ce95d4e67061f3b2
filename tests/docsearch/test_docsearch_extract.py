"""Text extraction of each kind of file, and its bounds (REQ-DOC-01: §3.5(1) records are searchable)."""

import io
import zipfile

import pytest

from huiyi.documents.search import extract, segment

from .conftest import docx_bytes, pdf_bytes, xlsx_bytes


def test_req_doc_01_pdf_text_chinese_and_english():
    text = extract.extract(pdf_bytes("会议议程 第一天", "Opening keynote at the Bund hotel"), "pdf")
    assert "会议议程" in text.replace(" ", "")
    assert "keynote" in text


def test_req_doc_01_docx_paragraphs_and_tables():
    text = extract.extract(
        docx_bytes("签到须知:请携带工作证", "Shuttle bus", table=[["嘉宾", "席位"]]), "docx"
    )
    assert "签到须知" in text and "Shuttle bus" in text and "嘉宾 席位" in text


def test_req_doc_01_xlsx_cells_of_every_sheet():
    text = extract.extract(xlsx_bytes([("姓名", "单位"), ("张三", "浦江科技"), ("Alice", 42)]), "xlsx")
    assert "浦江科技" in text and "Alice 42" in text


def test_req_doc_01_text_and_csv_utf8_and_gb18030():
    assert "茶歇" in extract.extract("茶歇 10:30".encode(), "txt")
    assert "茶歇" in extract.extract("茶歇 10:30".encode("gb18030"), "txt")
    assert "会场 A厅" in extract.extract("会场,A厅\n".encode(), "csv")


def test_req_doc_01_kinds_without_text_give_nothing():
    assert extract.extract(b"\x89PNG\r\n\x1a\n", "png") == ""


def test_req_doc_01_text_is_capped():
    limits = extract.Limits(max_chars=100)
    assert len(extract.extract(b"a" * 10_000, "txt", limits)) <= 100


def test_req_doc_01_file_over_the_byte_limit_is_not_opened():
    with pytest.raises(extract.ExtractionError):
        extract.extract(b"x" * 2000, "txt", extract.Limits(max_bytes=1000))


def _bomb() -> bytes:
    """A DOCX-shaped package whose document.xml inflates to 300 MB from a few hundred kilobytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        with package.open("word/document.xml", "w", force_zip64=True) as entry:
            block = b"\x00" * (1024 * 1024)
            for _ in range(300):
                entry.write(block)
    return buffer.getvalue()


def test_req_doc_01_zip_bomb_docx_is_refused_before_inflating():
    data = _bomb()
    assert len(data) < 2 * 1024 * 1024
    with pytest.raises(extract.ExtractionError, match="inflates"):
        extract.extract(data, "docx")
    with pytest.raises(extract.ExtractionError):
        extract.extract(data, "xlsx")


def test_req_doc_01_broken_files_fail_cleanly():
    with pytest.raises(extract.ExtractionError):
        extract.extract(b"%PDF-1.4 not really", "pdf")
    with pytest.raises(extract.ExtractionError):
        extract.extract(b"PK\x03\x04 broken", "docx")


def test_req_doc_01_isolated_child_extracts_and_reports_failures():
    assert "议程" in extract.extract_isolated(docx_bytes("会议议程"), "docx")
    with pytest.raises(extract.ExtractionError):
        extract.extract_isolated(_bomb(), "docx")


def test_req_doc_01_isolated_child_is_killed_at_the_time_limit():
    with pytest.raises(extract.ExtractionError, match="time limit"):
        extract.extract_isolated(b"x", "txt", extract.Limits(seconds=0, grace=0))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("会议议程", ["会议", "议议", "议程"]),
        ("Hotel 会场A", ["hotel", "会场", "a"]),
        ("会", ["会"]),
        ("ＡＢＣ１２", ["abc12"]),  # full-width forms are folded
    ],
)
def test_req_doc_01_bigram_segmentation(text, expected):
    assert segment.tokens(text) == expected


def test_req_doc_01_query_syntax_for_both_engines():
    assert segment.tsquery("会议议程 meet") == "('会议' <-> '议议' <-> '议程') & 'meet':*"
    assert segment.fts5_query("会议议程 meet") == '"会议 议议 议程" AND "meet"*'
    assert segment.tsquery("'; drop table --") == "'drop':* & 'table':*"
