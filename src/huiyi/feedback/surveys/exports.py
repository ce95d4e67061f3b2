"""Survey results as .xlsx (openpyxl) and PDF (huiyi.reports.pdf).

Free text is the respondents' own: in the spreadsheet a cell that starts with = + - @ (or a tab / carriage
return) is written as text with a leading apostrophe (formula injection); in the PDF every text is escaped
by PdfDocument.
"""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _

from huiyi.onsite.attendees.exports import neutralise
from huiyi.reports.pdf import PdfDocument

from .models import QuestionKind, Response


def _rate(summary) -> str:
    percent = summary.collection_percent
    return f"{percent}% ({summary.responses}/{summary.targeted})" if percent is not None else "—"


def _overview(survey, results, language) -> list[tuple[str, str]]:
    summary = results.summary
    low, high = results.scale
    return [
        (_("Meeting"), f"{survey.project.code} {survey.project.name}"),
        (_("Survey"), f"{survey.template.localized_name(language)} v{survey.template.version}"),
        (_("Audience"), str(survey.get_audience_display())),
        (
            _("Open"),
            f"{timezone.localtime(survey.opens_at):%Y-%m-%d %H:%M} – "
            f"{timezone.localtime(survey.ends_at):%Y-%m-%d %H:%M}",
        ),
        (_("Responses"), str(summary.responses)),
        (_("Collection rate"), _rate(summary)),
        (
            _("Weighted satisfaction (%(low)s–%(high)s)") % {"low": low, "high": high},
            str(summary.score_shown) if summary.score is not None else "—",
        ),
        (_("Satisfaction on 100"), str(summary.score_100) if summary.score_100 is not None else "—"),
        (_("Composite score"), str(summary.composite_shown) if summary.composite is not None else "—"),
    ]


def results_xlsx(survey, results, *, language: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    bold = Font(bold=True)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Results")[:31]
    for label, value in _overview(survey, results, language):
        sheet.append([neutralise(label), neutralise(value)])
        sheet.cell(row=sheet.max_row, column=1).font = bold
    sheet.append([])
    sheet.append(
        [
            _("No."),
            _("Question"),
            _("Dimension"),
            _("Weight"),
            _("Answered"),
            _("Mean"),
            _("Option"),
            _("Count"),
            _("Share (%)"),
        ]
    )
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for item in results.questions:
        q = item.question
        head = [
            item.number,
            neutralise(q.localized_text(language)),
            neutralise(q.get_dimension_display() or ""),
            float(item.weight) if item.weight is not None else None,
            item.answered,
            float(item.mean) if item.mean is not None else None,
        ]
        if not item.bars:
            sheet.append(head)
        for index, bar in enumerate(item.bars):
            sheet.append(
                (head if index == 0 else [None] * len(head))
                + [neutralise(bar["label"]), bar["count"], float(bar["percent"])]
            )
    for column, width in zip("ABCDEFGHI", [6, 48, 14, 8, 10, 8, 18, 8, 10], strict=True):
        sheet.column_dimensions[column].width = width

    answers = workbook.create_sheet(_("Answers")[:31])
    questions = [item.question for item in results.questions]
    answers.append(
        [_("Response"), _("Source"), _("Submitted at"), _("Weighted score")]
        + [neutralise(f"{n}. {q.localized_text(language)}") for n, q in enumerate(questions, start=1)]
    )
    for cell in answers[1]:
        cell.font = bold
    _answer_rows(survey, questions, answers, language)

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _answer_rows(survey, questions, sheet, language) -> None:
    """One row per response, answers streamed in response order (two queries, ordered by response)."""
    from .models import Answer

    index = {q.pk: i for i, q in enumerate(questions)}
    options = {
        q.pk: q.options(language) for q in questions if q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
    }
    sources = dict(Response.Source.choices)
    current, row = None, None
    rows = (
        Answer.objects.filter(survey=survey)
        .order_by("response_id", "pk")
        .values_list("response_id", "question_id", "value", "text")
    )
    meta = {
        pk: (source, submitted, score)
        for pk, source, submitted, score in Response.objects.filter(survey=survey).values_list(
            "pk", "source", "submitted_at", "score"
        )
    }

    def flush():
        if row is not None:
            sheet.append(row)

    for response_id, question_id, value, text in rows.iterator(chunk_size=5000):
        if response_id != current:
            flush()
            source, submitted, score = meta.get(response_id, ("", None, None))
            row = [
                response_id,
                str(sources.get(source, source)),
                timezone.localtime(submitted).strftime("%Y-%m-%d %H:%M") if submitted else "",
                float(score) if score is not None else None,
            ] + [None] * len(questions)
            current = response_id
        column = 4 + index[question_id]
        if question_id in options:
            label = (
                options[question_id][value]
                if value is not None and 0 <= value < len(options[question_id])
                else ""
            )
            row[column] = neutralise(f"{row[column]}; {label}" if row[column] else label)
        elif value is not None:
            row[column] = value
        else:
            row[column] = neutralise(text)
    flush()


def results_pdf(survey, results, *, language: str) -> bytes:
    document = PdfDocument(
        title=_("Satisfaction survey results"),
        subtitle=" · ".join(
            [survey.project.code, survey.project.name, survey.template.localized_name(language)]
        ),
        footer=_("Huiyi · REQ-FBK-01, REQ-FBK-02"),
    )
    document.key_values(_overview(survey, results, language))
    document.heading(_("Questions"))
    rows = []
    for item in results.questions:
        if item.question.kind == QuestionKind.TEXT:
            continue
        spread = " · ".join(f"{bar['label']} {bar['count']}" for bar in item.bars)
        rows.append(
            [
                str(item.number),
                item.question.localized_text(language),
                f"{item.weight_percent}%" if item.weight is not None else "—",
                str(item.answered),
                str(item.mean_shown) if item.mean is not None else "—",
                spread,
            ]
        )
    if rows:
        document.table(
            rows, header=[_("No."), _("Question"), _("Weight"), _("Answered"), _("Mean"), _("Answers")]
        )
    for item in results.questions:
        if item.question.kind != QuestionKind.TEXT:
            continue
        document.heading(f"{item.number}. {item.question.localized_text(language)} ({item.text_count})")
        for text in item.texts:
            document.paragraph(f"• {text}")
        if item.text_count > len(item.texts):
            document.paragraph(
                _("… and %(n)s more in the spreadsheet export.") % {"n": item.text_count - len(item.texts)},
                "small",
            )
    if survey.analysis:
        document.heading(_("Analysis"))
        document.paragraph(survey.analysis)
    return document.render()
