"""PDF documents with Chinese text (ReportLab).

A CJK TrueType font found on the machine is embedded (subset), so the text can be selected, searched and
extracted; Debian's `fonts-wqy-zenhei` is the one `make` installs. Without one, ReportLab's built-in
STSong-Light CID font is used (the viewer supplies the glyphs). Set HUIYI_PDF_FONT to a .ttf/.ttc path to
choose another font.
"""

from __future__ import annotations

import functools
import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import HRFlowable

CANDIDATE_FONTS = [
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", None),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
]
FALLBACK_CID_FONT = "STSong-Light"
FONT_NAME = "HuiyiCJK"


@functools.cache
def body_font() -> str:
    """Register and return the name of the font used for every text in Huiyi's PDFs."""
    configured = os.environ.get("HUIYI_PDF_FONT")
    candidates = (
        [(configured, 0 if configured and configured.endswith(".ttc") else None)] if configured else []
    )
    for path, index in candidates + CANDIDATE_FONTS:
        if path and Path(path).exists():
            try:
                font = (
                    TTFont(FONT_NAME, path, subfontIndex=index)
                    if index is not None
                    else TTFont(FONT_NAME, path)
                )
            except Exception:  # noqa: S112 — an unreadable font: try the next one
                continue
            pdfmetrics.registerFont(font)
            return FONT_NAME
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_CID_FONT))
    return FALLBACK_CID_FONT


def _styles() -> dict[str, ParagraphStyle]:
    font = body_font()
    base = ParagraphStyle("body", fontName=font, fontSize=10, leading=15, alignment=TA_LEFT, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=18, leading=24, spaceAfter=4),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=10, textColor=colors.grey, spaceAfter=8),
        "heading": ParagraphStyle(
            "heading",
            parent=base,
            fontSize=13,
            leading=18,
            spaceBefore=10,
            spaceAfter=4,
            textColor=colors.HexColor("#7a1420"),
        ),
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=11, textColor=colors.grey),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=12),
    }


@dataclass
class PdfDocument:
    """Build a document with headings, paragraphs, key–value blocks and tables; `render()` gives the bytes."""

    title: str
    subtitle: str = ""
    footer: str = ""
    _story: list = field(default_factory=list)

    def __post_init__(self):
        self.styles = _styles()
        self._story.append(Paragraph(escape(self.title), self.styles["title"]))
        if self.subtitle:
            self._story.append(Paragraph(escape(self.subtitle), self.styles["subtitle"]))
        self._story.append(HRFlowable(width="100%", color=colors.HexColor("#b4232a"), thickness=1.2))
        self._story.append(Spacer(1, 4 * mm))

    def heading(self, text: str) -> PdfDocument:
        self._story.append(Paragraph(escape(text), self.styles["heading"]))
        return self

    def paragraph(self, text: str, style: str = "body") -> PdfDocument:
        self._story.append(Paragraph(escape(text).replace("\n", "<br/>"), self.styles[style]))
        return self

    def key_values(self, rows: list[tuple[str, str]]) -> PdfDocument:
        return self.table([[label, value] for label, value in rows], header=None, widths=[45 * mm, None])

    def table(
        self, rows: list[list], header: list[str] | None = None, widths: list | None = None
    ) -> PdfDocument:
        cell = self.styles["cell"]
        data = ([[Paragraph(f"<b>{escape(str(h))}</b>", cell) for h in header]] if header else []) + [
            [
                Paragraph(escape("" if value is None else str(value)).replace("\n", "<br/>"), cell)
                for value in row
            ]
            for row in rows
        ]
        if not data:
            return self
        available = A4[0] - 40 * mm
        if widths:
            fixed = sum(w for w in widths if w)
            free = [w for w in widths if not w]
            widths = [w or (available - fixed) / len(free) for w in widths]
        table = Table(data, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
        style = [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#cccccc")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("FONTNAME", (0, 0), (-1, -1), body_font()),
        ]
        if header:
            style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3e3e4")))
        table.setStyle(TableStyle(style))
        self._story.append(KeepTogether([table]) if len(data) < 12 else table)
        self._story.append(Spacer(1, 3 * mm))
        return self

    def spacer(self, height_mm: float = 4) -> PdfDocument:
        self._story.append(Spacer(1, height_mm * mm))
        return self

    def render(self) -> bytes:
        buffer = io.BytesIO()
        footer = self.footer

        def on_page(canvas, document):
            canvas.saveState()
            canvas.setFont(body_font(), 8)
            canvas.setFillColor(colors.grey)
            canvas.drawString(20 * mm, 10 * mm, footer)
            canvas.drawRightString(A4[0] - 20 * mm, 10 * mm, str(document.page))
            canvas.restoreState()

        document = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=20 * mm,
            rightMargin=20 * mm,
            topMargin=18 * mm,
            bottomMargin=18 * mm,
            title=self.title,
            author="Huiyi",
            creator="Huiyi",
        )
        document.build(list(self._story), onFirstPage=on_page, onLaterPages=on_page)
        return buffer.getvalue()
