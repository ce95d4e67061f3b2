"""The attendee list as .xlsx (openpyxl write-only: rows stream out, memory stays flat).

Spreadsheet programs run a cell that starts with = + - @ (or a tab / carriage return before one) as a
formula: such cells are written as text with a leading apostrophe, so an attendee named "=HYPERLINK(…)"
stays a name (formula injection, CSV/Excel injection).
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .queries import shown_contact, shown_key

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    text = "" if value is None else str(value)
    if text.startswith(DANGEROUS_START):
        return "'" + text
    return text


def attendees_xlsx(project, attendees, *, full_contact: bool) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=project.code[:31] or "attendees")
    headers = [
        pgettext("attendee", "Name"),
        pgettext("attendee", "Organisation"),
        pgettext("attendee", "Title"),
        _("Mobile phone"),
        _("E-mail"),
        _("Category"),
        _("Seat"),
        _("Dietary needs"),
        _("Language"),
        _("Status"),
        _("Import key"),
    ]
    for width, column in zip([14, 30, 16, 16, 26, 10, 10, 20, 10, 10, 22], "ABCDEFGHIJK", strict=True):
        sheet.column_dimensions[column].width = width
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for attendee in attendees:
        phone, email = shown_contact(attendee, full_contact)
        row = [
            attendee.name,
            attendee.organisation,
            attendee.title,
            phone,
            email,
            attendee.get_category_display(),
            attendee.seat,
            attendee.dietary,
            attendee.get_language_display(),
            attendee.get_status_display(),
            shown_key(attendee, full_contact),
        ]
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=neutralise(value))
            cell.data_type = "s"  # always text: never a formula, and phone numbers keep their leading zeros
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
