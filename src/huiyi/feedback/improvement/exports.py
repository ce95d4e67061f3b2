"""The documents of the improvement loop, in Chinese or English:

* 服务优差分析表 — the strengths and weaknesses analysis (PDF), phase-5 output;
* 改进措施计划书 — the improvement plan (PDF and .xlsx), phase-5 output;
* the quarterly improvement report (PDF and .xlsx), §2.9(3).

Titles of the phase outputs are the rulebook's names. In the .xlsx files every cell is text and a cell that a
spreadsheet would run as a formula (= + - @, tab, carriage return first) is neutralised with a leading
apostrophe (formula injection). The PDF escapes all text (``PdfDocument``).
"""

from __future__ import annotations

import io

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from huiyi.core.translation import localize
from huiyi.quality import formulas
from huiyi.rulebook.display import format_value, text
from huiyi.rulebook.services import active_rulebook, rulebook_for

from . import queries, services

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
PHASE = "P5"


def neutralise(value) -> str:
    shown = "" if value is None else str(value)
    if shown.startswith(DANGEROUS_START):
        return "'" + shown
    return shown


def language_of(request) -> str:
    return "en" if request.GET.get("lang", "").startswith("en") else "zh-hans"


def output_name(rulebook, output_id: str, language: str) -> str:
    for output in rulebook.phase(PHASE).outputs:
        if output.id == output_id:
            return text(output.name, language)
    return output_id


def _generated() -> str:
    return _("generated")


def _when(value, fmt="%Y-%m-%d %H:%M") -> str:
    return timezone.localtime(value).strftime(fmt) if value else "—"


def _project_name(project, language: str) -> str:
    return project.name_en if language == "en" and project.name_en else project.name


def _rate(rate) -> str:
    return "—" if rate is None else f"{formulas.percentage(rate, places=1)}%"


def _person(user) -> str:
    return (user.get_full_name() or user.username) if user else "—"


def _facts(doc, project, language: str) -> None:
    doc.key_values(
        [
            (_("Meeting"), f"{project.code} · {_project_name(project, language)}"),
            (
                _("Client"),
                project.client.name_en
                if language == "en" and project.client.name_en
                else project.client.name,
            ),
            (_("Organisation unit"), localize(project.org_unit.name)),
            (_("Dates"), f"{_when(project.start, '%Y-%m-%d')} – {_when(project.end, '%Y-%m-%d')}"),
        ]
    )


# -- 服务优差分析表 ---------------------------------------------------------------------------------------


def analysis_pdf(project, language: str = "zh-hans") -> bytes:
    from reportlab.lib.units import mm

    from huiyi.reports.pdf import PdfDocument

    with translation.override(language):
        rulebook = rulebook_for(project)
        title = output_name(rulebook, "strengths_weaknesses_analysis", language)
        analysis = queries.analysis_of(project)
        status = analysis.get_status_display() if analysis else _("Not started")
        doc = PdfDocument(
            title=title,
            subtitle=f"{project.code} · {_project_name(project, language)} · {status}",
            footer=f"{project.code} · {title} · {_generated()} {_when(timezone.now())}",
        )
        _facts(doc, project, language)
        counts = queries.issue_counts(analysis)
        doc.heading(_("Issues found"))
        doc.paragraph(
            _(
                "Issues found = found on the spot (%(on_spot)s) + reported by the client (%(client)s) "
                "= %(total)s"
            )
            % counts
        )
        issues = list(analysis.issues.all()) if analysis else []
        if issues:
            doc.table(
                [
                    [n, i.get_source_display(), i.get_category_display(), i.description]
                    for n, i in enumerate(issues, start=1)
                ],
                header=["#", _("Source"), _("Category"), _("Description")],
                widths=[10 * mm, 28 * mm, 30 * mm, None],
            )
        else:
            doc.paragraph(_("No issue recorded."))
        doc.heading(title)
        lines = list(analysis.lines.all()) if analysis else []
        if lines:
            doc.table(
                [[line.get_dimension_display(), line.strength, line.weakness, line.cause] for line in lines],
                header=[_("Dimension"), _("Strength"), _("Weakness"), _("Cause")],
            )
        else:
            doc.paragraph(_("The table is empty."))
        if analysis and analysis.summary:
            doc.heading(_("Summary"))
            doc.paragraph(analysis.summary)
        if analysis and analysis.completed_at:
            doc.key_values(
                [
                    (_("Completed by"), _person(analysis.completed_by)),
                    (_("Completed at"), _when(analysis.completed_at)),
                ]
            )
        return doc.render()


# -- 改进措施计划书 ---------------------------------------------------------------------------------------


def _plan_rows(actions) -> list[list]:
    return [
        [
            item.code,
            item.problem,
            item.action,
            _person(item.owner),
            item.deadline.isoformat(),
            item.expected_effect,
            item.get_status_display(),
            _when(item.effect_due, "%Y-%m-%d"),
            (f"{item.get_effect_display()}: {item.effect_note}" if item.effect else ""),
            ", ".join(nc.code for nc in item.nonconformances.all()),
            item.procedure_changed,
        ]
        for item in actions
    ]


def _plan_header() -> list[str]:
    return [
        _("No."),
        _("Problem"),
        pgettext("improvement", "Action"),
        _("Owner"),
        _("Deadline"),
        _("Expected effect"),
        _("Status"),
        _("Effect evaluation due"),
        _("Effect evaluation"),
        _("Nonconformances"),
        _("Procedure changed"),
    ]


def plan_pdf(project, language: str = "zh-hans") -> bytes:
    from huiyi.reports.pdf import PdfDocument

    with translation.override(language):
        rulebook = rulebook_for(project)
        title = output_name(rulebook, "improvement_plan", language)
        actions = list(queries.actions_of(project))
        done = queries.completion(actions)
        doc = PdfDocument(
            title=title,
            subtitle=f"{project.code} · {_project_name(project, language)}",
            footer=f"{project.code} · {title} · {_generated()} {_when(timezone.now())}",
        )
        _facts(doc, project, language)
        rule = services.effect_rule(rulebook)
        doc.key_values(
            [
                (_("Actions"), str(done.total)),
                (_("Completion rate (done / all)"), f"{_rate(done.rate)} ({done.done}/{done.total})"),
                (_("Overdue"), str(done.overdue)),
                *([(text(rule.name, language), format_value(rule, language))] if rule else []),
            ]
        )
        doc.heading(_("Improvement actions"))
        if not actions:
            doc.paragraph(_("No improvement action planned yet."))
        for item in actions:
            rows = _plan_rows([item])[0]
            header = _plan_header()
            doc.key_values([(label, value or "—") for label, value in zip(header, rows, strict=True)])
        return doc.render()


def _xlsx(sheets: list[tuple[str, list[str], list[list]]], widths: dict[int, int] | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        for index, width in (widths or {}).items():
            sheet.column_dimensions[chr(ord("A") + index)].width = width
        cells = []
        for value in header:
            cell = WriteOnlyCell(sheet, value=neutralise(value))
            cell.font = bold
            cells.append(cell)
        sheet.append(cells)
        for row in rows:
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=neutralise(value))
                cell.data_type = "s"  # always text: never a formula
                cell.alignment = wrap
                cells.append(cell)
            sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


PLAN_WIDTHS = {0: 16, 1: 36, 2: 36, 3: 12, 4: 12, 5: 30, 6: 12, 7: 14, 8: 30, 9: 14, 10: 24}


def plan_xlsx(project, language: str = "zh-hans") -> bytes:
    with translation.override(language):
        title = output_name(rulebook_for(project), "improvement_plan", language)
        actions = list(queries.actions_of(project))
        return _xlsx([(title, _plan_header(), _plan_rows(actions))], PLAN_WIDTHS)


# -- quarterly improvement report (§2.9(3)) ---------------------------------------------------------------


def _report_header() -> list[str]:
    return [
        _("Period"),
        _("Meeting"),
        _("Content"),
        _("Owner"),
        _("Status"),
        _("Expected effect"),
        _("Deadline"),
        _("Effect evaluation"),
    ]


def _report_rows(actions, period: str) -> list[list]:
    return [
        [
            period,
            item.project.code,
            f"{item.problem}\n→ {item.action}",
            _person(item.owner),
            item.get_status_display(),
            item.expected_effect,
            item.deadline.isoformat(),
            f"{item.get_effect_display()}: {item.effect_note}" if item.effect else "",
        ]
        for item in actions
    ]


def _period(year: int, quarter: int) -> str:
    return _("%(year)s Q%(quarter)s") % {"year": year, "quarter": quarter}


def quarterly_pdf(user, unit, year: int, quarter: int, language: str = "zh-hans") -> bytes:
    from huiyi.reports.pdf import PdfDocument

    with translation.override(language):
        period = _period(year, quarter)
        actions = list(queries.quarter_actions(user, unit, year, quarter))
        report = queries.report_for(unit, year, quarter)
        unit_name = localize(unit.name) if unit else _("All units")
        title = _("Quarterly improvement report")
        doc = PdfDocument(
            title=title,
            subtitle=f"{period} · {unit_name}",
            footer=f"{title} · {period} · {_generated()} {_when(timezone.now())}",
        )
        done = queries.completion(actions)
        since, until = queries.quarter_bounds(year, quarter)
        rule = services.report_rule(active_rulebook())
        doc.key_values(
            [
                (_("Period"), f"{period} ({since.isoformat()} – {until.isoformat()})"),
                (_("Organisation unit"), unit_name),
                (_("Owner"), _person(report.owner) if report else "—"),
                (_("Report status"), report.get_status_display() if report else _("Not written")),
                (_("Completion rate (done / all)"), f"{_rate(done.rate)} ({done.done}/{done.total})"),
                *([(text(rule.name, language), format_value(rule, language))] if rule else []),
            ]
        )
        if report:
            doc.heading(_("Content"))
            doc.paragraph(report.content)
        doc.heading(_("Improvement actions"))
        if actions:
            for row in _report_rows(actions, period):
                doc.key_values(
                    [(label, value or "—") for label, value in zip(_report_header(), row, strict=True)]
                )
        else:
            doc.paragraph(_("No improvement action in this period."))
        return doc.render()


def quarterly_xlsx(user, unit, year: int, quarter: int, language: str = "zh-hans") -> bytes:
    with translation.override(language):
        period = _period(year, quarter)
        actions = list(queries.quarter_actions(user, unit, year, quarter))
        return _xlsx(
            [(period, _report_header(), _report_rows(actions, period))],
            {0: 10, 1: 14, 2: 50, 3: 12, 4: 12, 5: 36, 6: 12, 7: 30},
        )
