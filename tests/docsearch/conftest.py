"""Fixtures for document search: real files of each kind, made by the libraries that write them, and a
meeting team (reused from the documents tests) whose uploads are indexed as they are filed."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.documents import conftest as documents_conftest

from huiyi.documents import services as documents

team = documents_conftest.team  # the meeting team fixture of the documents tests


def pdf_bytes(*lines: str) -> bytes:
    """A PDF with Chinese and English text (ReportLab's built-in CJK font, so the text is extractable)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    y = 800
    for line in lines:
        page.setFont("STSong-Light" if any(ord(c) > 127 for c in line) else "Helvetica", 12)
        page.drawString(72, y, line)
        y -= 20
    page.save()
    return buffer.getvalue()


def docx_bytes(*paragraphs: str, table=None) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(rows) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def inline_extraction(settings):
    """Extract in the test process (one test covers the isolated child process on its own)."""
    settings.HUIYI_SEARCH_EXTRACT_ISOLATED = False


@pytest.fixture
def file_doc(team, inline_extraction, django_capture_on_commit_callbacks):
    """File a document through the documents service; the post_save signal indexes it on commit."""

    def make(
        name: str,
        content: bytes,
        *,
        title="资料",
        confidentiality="medium",
        doc_type="materials",
        by=None,
        project=None,
        retention_class="internal_management_document",
    ):
        with django_capture_on_commit_callbacks(execute=True):
            return documents.create_document(
                project=project or team["project"],
                doc_type=doc_type,
                title=title,
                retention_class=retention_class,
                confidentiality=confidentiality,
                upload=SimpleUploadedFile(name, content),
                by=by or team["pm"],
            )

    return make
