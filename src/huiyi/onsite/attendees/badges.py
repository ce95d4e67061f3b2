"""Name badges as PDF, one per page, A6 or A7 (ReportLab with the CJK font of huiyi.reports.pdf).

A badge: the meeting's name, the attendee's name large, organisation and title, seat, the ticket's QR code
and a band in the colour of the category. The QR is drawn as vector rectangles (one per horizontal run of
dark modules), so it prints sharp at any size and 20,000 badges need no image at all. Labels are in the
attendee's own language.
"""

from __future__ import annotations

import io

from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A6, A7
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from huiyi.reports.pdf import body_font

from . import qr
from .models import Category

SIZES = {"a6": A6, "a7": A7}
CATEGORY_COLOURS = {
    Category.VIP: "#b4232a",
    Category.SPEAKER: "#6f3aa8",
    Category.GUEST: "#1f5fa6",
    Category.STAFF: "#2e7d32",
    Category.PRESS: "#c76b00",
}


def _fit(text: str, font: str, size: float, width: float, smallest: float) -> float:
    """The largest font size ≤ size (and ≥ smallest) at which `text` fits in `width`."""
    measured = stringWidth(text, font, size)
    if measured <= width:
        return size
    return max(smallest, size * width / measured)


def _lines(text: str, font: str, size: float, width: float, most: int) -> list[str]:
    """Break `text` into at most `most` lines of `width` (Chinese at any character, Latin at spaces)."""
    lines, current = [], ""
    tokens = []
    word = ""
    for char in text:
        if char == " " or ord(char) > 0x2E7F:
            if word:
                tokens.append(word)
                word = ""
            tokens.append(char)
        else:
            word += char
    if word:
        tokens.append(word)
    for token in tokens:
        candidate = current + token
        if stringWidth(candidate, font, size) <= width or not current:
            current = candidate
        else:
            lines.append(current.rstrip())
            current = token.lstrip()
    if current:
        lines.append(current.rstrip())
    if len(lines) > most:
        lines = lines[:most]
        last = lines[-1]
        while last and stringWidth(last + "…", font, size) > width:
            last = last[:-1]
        lines[-1] = last + "…"
    return lines


class BadgeRenderer:
    """Draws badges on one canvas; `render(attendees)` gives the PDF bytes."""

    def __init__(self, project, size: str = "a6"):
        if size not in SIZES:
            raise ValueError(size)
        self.project = project
        self.width, self.height = SIZES[size]
        self.scale = self.width / A6[0]
        self.font = body_font()
        self._labels: dict[str, dict] = {}

    def labels(self, language: str) -> dict:
        if language not in self._labels:
            with translation.override(language):
                self._labels[language] = {
                    "categories": {value: str(label) for value, label in Category.choices},
                    "seat": _("Seat"),
                    "meeting": self.project.name_en
                    if language == "en" and self.project.name_en
                    else self.project.name,
                }
        return self._labels[language]

    def render(self, attendees) -> bytes:
        buffer = io.BytesIO()
        canvas = Canvas(
            buffer, pagesize=(self.width, self.height), pageCompression=1, invariant=0, initialFontName=None
        )
        canvas.setTitle(f"{self.project.code} badges")
        canvas.setAuthor("Huiyi")
        canvas.setCreator("Huiyi")
        count = 0
        for attendee in attendees:
            self.draw(canvas, attendee)
            canvas.showPage()
            count += 1
        if not count:
            canvas.setFont(self.font, 10 * self.scale)
            canvas.drawCentredString(self.width / 2, self.height / 2, _("No attendee selected."))
            canvas.showPage()
        canvas.save()
        return buffer.getvalue()

    def draw(self, canvas: Canvas, attendee) -> None:
        s, width, height, font = self.scale, self.width, self.height, self.font
        labels = self.labels(attendee.language)
        margin = 7 * mm * s
        inner = width - 2 * margin
        colour = colors.HexColor(CATEGORY_COLOURS.get(attendee.category, "#555555"))

        # meeting name at the top, a thin rule in the category colour below it
        canvas.setFillColor(colors.HexColor("#555555"))
        size = 8.5 * s
        y = height - margin - size
        for line in _lines(labels["meeting"], font, size, inner, 2):
            canvas.setFont(font, size)
            canvas.drawCentredString(width / 2, y, line)
            y -= size * 1.3
        canvas.setStrokeColor(colour)
        canvas.setLineWidth(1.2 * s)
        canvas.line(margin, y + size * 0.3, width - margin, y + size * 0.3)

        # the name, large and bold (fill + stroke), shrunk to fit one line
        canvas.setFillColor(colors.black)
        canvas.setStrokeColor(colors.black)
        size = _fit(attendee.name, font, 30 * s, inner, 14 * s)
        y -= size * 1.25
        canvas.saveState()  # the fill-and-stroke text mode must not leak into the texts below
        text = canvas.beginText()
        text.setTextRenderMode(2)
        canvas.setLineWidth(0.5 * s)
        text.setFont(font, size)
        text.setTextOrigin((width - stringWidth(attendee.name, font, size)) / 2, y)
        text.textOut(attendee.name)
        canvas.drawText(text)
        canvas.restoreState()

        # organisation (two lines at most) and title
        y -= 6 * mm * s
        size = 11 * s
        canvas.setFont(font, size)
        for line in _lines(attendee.organisation, font, size, inner, 2):
            canvas.drawCentredString(width / 2, y, line)
            y -= size * 1.3
        if attendee.title:
            size = 9 * s
            canvas.setFillColor(colors.HexColor("#444444"))
            canvas.setFont(font, size)
            canvas.drawCentredString(width / 2, y, _lines(attendee.title, font, size, inner, 1)[0])
            y -= size * 1.3

        # the category band at the bottom, seat above it, the QR code in between
        band = 13 * mm * s
        canvas.setFillColor(colour)
        canvas.rect(0, 0, width, band, stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        size = 14 * s
        canvas.setFont(font, size)
        canvas.drawCentredString(
            width / 2, (band - size * 0.7) / 2, labels["categories"].get(attendee.category, "")
        )

        seat_y = band + 4 * mm * s
        if attendee.seat:
            canvas.setFillColor(colors.black)
            size = 13 * s
            canvas.setFont(font, size)
            canvas.drawCentredString(width / 2, seat_y, f"{labels['seat']}  {attendee.seat}")
            seat_y += size + 2 * mm * s
        ticket = getattr(attendee, "ticket", None)
        if ticket is not None:
            room = y - seat_y - 2 * mm * s
            side = min(54 * mm * s, room)
            if side > 12 * mm:  # centred in the room left between the texts and the seat
                self.draw_qr(canvas, ticket.code, (width - side) / 2, seat_y + (room - side) / 2, side)

    @staticmethod
    def draw_qr(canvas: Canvas, code: str, x: float, y: float, side: float) -> None:
        modules, runs = qr.dark_runs(code, bulk=True)
        # a 4-module quiet zone around the symbol, inside `side`
        unit = side / (modules + 8)
        left, top = x + 4 * unit, y + side - 4 * unit
        canvas.setFillColor(colors.white)
        canvas.rect(x, y, side, side, stroke=0, fill=1)
        canvas.saveState()
        canvas.setFillColor(colors.black)
        canvas.translate(left, top)
        canvas.scale(unit, unit)
        # whole-module coordinates written straight into the page: one "re" per run and one fill, without
        # formatting 150 floats per badge (the slow part of drawing 20,000 badges)
        canvas.addLiteral(
            " ".join(f"{column} {-row - 1} {length} 1 re" for row, column, length in runs) + " f"
        )
        canvas.restoreState()


def badges_pdf(project, attendees, size: str = "a6") -> bytes:
    return BadgeRenderer(project, size).render(attendees)
