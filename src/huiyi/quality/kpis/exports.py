"""The KPI dashboard as .xlsx and PDF (REQ-QLT-09).

The spreadsheet has a summary sheet and one sheet per KPI with its trend and the rows it counted; any text
that a spreadsheet would read as a formula (``=``, ``+``, ``-``, ``@`` …) is written with a leading
apostrophe (formula injection). The PDF draws each trend with ReportLab graphics and escapes every text
(``huiyi.reports.pdf.PdfDocument``); Chinese text uses the font the other PDFs embed.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from huiyi.reports.pdf import PdfDocument, body_font

from .queries import FAIL, PASS, Figure, show

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
DRILL_ROWS_EXPORTED = 2000
VERDICT_COLOURS = {PASS: "#1e7b34", FAIL: "#b4232a"}


def neutralise(value) -> str:
    shown = "" if value is None else str(value)
    return "'" + shown if shown.startswith(DANGEROUS_START) else shown


def _cell(value):
    """Numbers stay numbers; dates become text in the organisation's zone; any text is neutralised."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return float(value) if isinstance(value, Decimal) else value
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return neutralise(value)


def verdict_text(verdict: str) -> str:
    return {PASS: _("met"), FAIL: _("not met")}.get(verdict, _("no target / no data"))


def _sheet_title(text: str, used: set[str]) -> str:
    title = re.sub(r"[\[\]:*?/\\]", " ", text)[:28].strip() or "KPI"
    base, n = title, 2
    while title in used:
        title = f"{base[:25]} {n}"
        n += 1
    used.add(title)
    return title


def drill_of(item: Figure, scope) -> tuple[list, list[dict]]:
    if item.kpi.rows is None:
        return [], []
    table = item.kpi.rows(scope)
    return table.columns, [table.to_row(r) for r in table.rows[:DRILL_ROWS_EXPORTED]]


def xlsx(figures: list[Figure], scope, *, title: str, subtitle: str) -> bytes:
    book = Workbook()
    summary = book.active
    summary.title = _sheet_title(_("Summary"), set())
    used = {summary.title}
    bold = Font(bold=True)
    summary.append([neutralise(title)])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append([neutralise(subtitle)])
    summary.append([])
    header = [_("KPI"), _("value"), _("shown"), _("numerator"), _("denominator"), _("target"), _("verdict")]
    summary.append(header)
    for cell in summary[summary.max_row]:
        cell.font = bold
    for item in figures:
        summary.append(
            [
                neutralise(str(item.kpi.label)),
                _cell(item.value.value),
                neutralise(item.shown),
                _cell(item.value.numerator),
                _cell(item.value.denominator),
                neutralise(item.target.text if item.target else ""),
                neutralise(verdict_text(item.verdict)),
            ]
        )
    summary.column_dimensions["A"].width = 40
    for item in figures:
        sheet = book.create_sheet(_sheet_title(str(item.kpi.label), used))
        sheet.append([neutralise(str(item.kpi.label))])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append([_("value"), _cell(item.value.value), neutralise(item.shown)])
        sheet.append([_("target"), neutralise(item.target.text if item.target else "")])
        sheet.append([_("verdict"), neutralise(verdict_text(item.verdict))])
        for key, value in item.value.breakdown.items():
            if isinstance(value, dict):
                value = value.get("value")
            sheet.append([neutralise(f"· {key}"), _cell(value)])
        sheet.append([])
        sheet.append([_("Trend"), _("value"), _("numerator"), _("denominator")])
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        for period, value in item.trend:
            sheet.append([period.key, _cell(value.value), _cell(value.numerator), _cell(value.denominator)])
        columns, rows = drill_of(item, scope)
        if columns:
            sheet.append([])
            sheet.append([_("Counted"), _("meeting start"), *[str(c.label) for c in columns]])
            for cell in sheet[sheet.max_row]:
                cell.font = bold
            for row in rows:
                sheet.append(
                    [_cell(row["label"]), _cell(row.get("start")), *[_cell(row.get(c.key)) for c in columns]]
                )
        sheet.column_dimensions["A"].width = 44
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def trend_drawing(item: Figure, width: float = 170 * mm, height: float = 45 * mm) -> Drawing:
    """The trend as a line chart (ReportLab graphics); periods without data are gaps, never zeros."""
    drawing = Drawing(width, height)
    points = [
        (i, float(v.value) * (100 if item.kpi.unit == "ratio" else 1))
        for i, (_p, v) in enumerate(item.trend)
        if v.value is not None
    ]
    font = body_font()
    if not points:
        drawing.add(
            String(width / 2, height / 2, _("No data"), fontName=font, fontSize=9, textAnchor="middle")
        )
        return drawing
    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = 12 * mm, 8 * mm, width - 20 * mm, height - 14 * mm
    plot.data = [points]
    plot.lines[0].strokeColor = colors.HexColor("#b4232a")
    plot.lines[0].strokeWidth = 1.5
    plot.joinedLines = 1
    plot.xValueAxis.valueMin = 0
    plot.xValueAxis.valueMax = max(len(item.trend) - 1, 1)
    plot.xValueAxis.valueSteps = list(range(len(item.trend)))
    labels = [p.key for p, _v in item.trend]
    plot.xValueAxis.labelTextFormat = lambda x: labels[int(x)] if 0 <= int(x) < len(labels) else ""
    plot.xValueAxis.labels.fontName = font
    plot.xValueAxis.labels.fontSize = 6
    plot.yValueAxis.labels.fontName = font
    plot.yValueAxis.labels.fontSize = 7
    low = min(y for _x, y in points)
    high = max(y for _x, y in points)
    plot.yValueAxis.valueMin = min(0, low)
    plot.yValueAxis.valueMax = high * 1.1 if high > 0 else 1
    drawing.add(plot)
    return drawing


def pdf(figures: list[Figure], scope, *, title: str, subtitle: str) -> bytes:
    document = PdfDocument(title=title, subtitle=subtitle, footer=f"{title} · {subtitle}")
    document.table(
        [
            [
                str(item.kpi.label),
                item.shown,
                item.target.text if item.target else "—",
                verdict_text(item.verdict),
            ]
            for item in figures
        ],
        header=[_("KPI"), _("value"), _("target"), _("verdict")],
        widths=[70 * mm, 30 * mm, 35 * mm, None],
    )
    for item in figures:
        document.heading(str(item.kpi.label))
        numbers = [(_("value"), item.shown), (_("target"), item.target.text if item.target else "—")]
        if item.value.denominator is not None:
            numbers.append(
                (_("numerator / denominator"), f"{item.value.numerator} / {item.value.denominator}")
            )
        numbers.append((_("verdict"), verdict_text(item.verdict)))
        document.key_values(numbers)
        if item.trend:
            document._story.append(trend_drawing(item))
            document._story.append(Spacer(1, 2 * mm))
            document.table(
                [[p.key, show(v.value, item.kpi.unit)] for p, v in item.trend],
                header=[_("period"), _("value")],
                widths=[40 * mm, 40 * mm],
            )
        if item.value.breakdown:
            document.table(
                [
                    [str(k), show(v.get("value"), item.kpi.unit) if isinstance(v, dict) else str(v)]
                    for k, v in item.value.breakdown.items()
                ],
                header=[_("breakdown"), _("value")],
                widths=[60 * mm, 40 * mm],
            )
    return document.render()
