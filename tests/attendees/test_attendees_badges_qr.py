"""Badges and QR codes (REQ-ONS-02): the QR drawn on a badge (vector rectangles) decodes with zbar to the
ticket code — read back from the PDF's own drawing operators, and, where Ghostscript is installed, from the
page rendered to an image — and long names and organisations fit."""

import io
import shutil
import subprocess

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader
from pypdf.generic import ContentStream
from pyzbar.pyzbar import decode

from huiyi.onsite.attendees import badges, qr, services

pytestmark = pytest.mark.django_db

GHOSTSCRIPT = shutil.which("gs")


def _rectangles(page) -> list[tuple[float, float, float, float]]:
    """The rectangles filled in the QR's module coordinate system (after its `cm` scaling)."""
    content = ContentStream(page.get_contents(), page.pdf)
    found = []
    for operands, operator in content.operations:
        if operator == b"re" and all(float(v) == int(float(v)) for v in operands) and float(operands[3]) == 1:
            found.append(tuple(float(v) for v in operands))
    return found


def test_req_ons_02_badge_qr_rectangles_decode_to_the_ticket_code(team):
    attendee = services.create_attendee(
        team["project"], by=team["pm"], name="欧阳明华", organisation="浦江科技"
    )
    pdf = badges.badges_pdf(team["project"], [attendee], "a6")
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    rectangles = _rectangles(page)
    modules, runs = qr.dark_runs(attendee.ticket.code, bulk=True)
    assert len(rectangles) == len(runs)
    unit = 8
    image = Image.new("L", ((modules + 8) * unit, (modules + 8) * unit), 255)
    draw = ImageDraw.Draw(image)
    for x, y, width, _height in rectangles:
        row = int(-y - 1)
        draw.rectangle(
            [(4 + x) * unit, (4 + row) * unit, (4 + x + width) * unit - 1, (5 + row) * unit - 1], fill=0
        )
    assert [s.data.decode() for s in decode(image)] == [attendee.ticket.code]


@pytest.mark.skipif(GHOSTSCRIPT is None, reason="Ghostscript renders the PDF page")
@pytest.mark.parametrize("size", ["a6", "a7"])
def test_req_ons_02_printed_badge_decodes_with_zbar(team, size, tmp_path):
    attendee = services.create_attendee(
        team["project"], by=team["pm"], name="Alexander Hamilton-Smith", organisation="Acme", category="press"
    )
    path = tmp_path / "badge.pdf"
    path.write_bytes(badges.badges_pdf(team["project"], [attendee], size))
    subprocess.run(  # noqa: S603 — a fixed command on a file of our own
        [
            GHOSTSCRIPT,
            "-q",
            "-dNOPAUSE",
            "-dBATCH",
            "-sDEVICE=pnggray",
            "-r150",
            f"-sOutputFile={tmp_path}/p.png",
            str(path),
        ],
        check=True,
    )
    assert [s.data.decode() for s in decode(Image.open(tmp_path / "p.png"))] == [attendee.ticket.code]


def test_req_ons_02_long_texts_are_shrunk_or_cut_to_fit():
    font = badges.body_font()
    long_name = "Maximilian Alexander von Hohenzollern-Sigmaringen"
    size = badges._fit(long_name, font, 30, 200, 14)
    assert size < 30
    lines = badges._lines(
        "上海浦江科技股份有限公司战略发展部与国际合作事业部联合办公室" * 2, font, 11, 200, 2
    )
    assert len(lines) == 2 and lines[-1].endswith("…")


def test_req_ons_02_every_mask_decodes():
    """Bulk badges use one fixed mask (speed); a sample of codes under every mask decodes with zbar."""
    import segno

    for mask in range(8):
        code = f"TestCode-{mask}-abcdefghijk"
        buffer = io.BytesIO()
        segno.make(code, error="m", micro=False, mask=mask).save(buffer, kind="png", scale=4, border=4)
        assert [s.data.decode() for s in decode(Image.open(buffer))] == [code]
