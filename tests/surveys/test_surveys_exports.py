"""Results exports (REQ-FBK-01, 02): .xlsx with formula injection neutralised, PDF with the figures and the
free text as text."""

import io

import pytest
from survey_helpers import full_answer

from huiyi.feedback.surveys import services

pytestmark = pytest.mark.django_db


def _answered(survey):
    text_q = survey.template.questions.get(kind="text")
    services.submit(survey, {**full_answer(survey, 5), text_q.pk: '=HYPERLINK("http://evil.example","点我")'})
    services.submit(survey, {**full_answer(survey, 3), text_q.pk: "<b>茶歇</b>很好\n下次再来"})


def test_req_fbk_01_xlsx_export_neutralises_formulas(client, survey, manager):
    from openpyxl import load_workbook

    _answered(survey)
    client.force_login(manager)
    response = client.get(f"/surveys/{survey.pk}/results.xlsx", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    results, answers = book.worksheets
    cells = [c.value for row in answers.iter_rows() for c in row if isinstance(c.value, str)]
    assert '\'=HYPERLINK("http://evil.example","点我")' in cells
    assert not any(
        c.startswith("=")
        for row in book.worksheets
        for r in row.iter_rows()
        for c in [x.value for x in r]
        if isinstance(c, str)
    )
    assert answers.max_row == 3  # header + two responses
    overview = {row[0].value: row[1].value for row in results.iter_rows(max_row=9) if row[0].value}
    assert overview["Responses"] == "2"
    assert overview["Collection rate"].startswith("25.0%")  # 2 of 8 who came


def test_req_fbk_01_pdf_export_has_the_scores_and_text(client, survey, manager):
    from pypdf import PdfReader

    _answered(survey)
    client.force_login(manager)
    response = client.get(f"/surveys/{survey.pk}/results.pdf", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Satisfaction survey results" in text
    assert "<b>茶歇</b>很好" in text  # escaped: shown as typed, not as markup
    assert "4.00" in text  # weighted satisfaction (5 and 3 everywhere)
