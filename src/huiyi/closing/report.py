"""The service summary report 服务总结报告 (REQ-QLT-01 phase-4 output; §2.9, §4; CCP 12).

``report_data(project)`` gathers every figure; ``render_pdf(data, language)`` writes the PDF in Chinese or
English; ``services``-style ``generate(project, language=…, by=…)`` stores it as a new numbered version with
its SHA-256. The scores are those of the scorecard page: the same ``quality.scoring.project_scores`` on the
same latest results (``quality.queries.current_results``), shown with the same ``display.percent``.

Satisfaction, complaints, incidents and improvement are read only through the quality metric registry
(``registry()`` / ``measure``), so the report shows whatever the feedback and incident apps register and
says "not measured" otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from huiyi.core.files import file_facts
from huiyi.core.translation import localize
from huiyi.onsite.checkin import queries as checkin_queries
from huiyi.quality import display, metrics, scoring
from huiyi.quality import queries as quality_queries
from huiyi.quality.models import Nonconformance
from huiyi.reports.pdf import PdfDocument
from huiyi.rulebook import display as rule_display
from huiyi.rulebook.loader import Rulebook
from huiyi.rulebook.services import rulebook_for

from . import queries
from . import scores as ccp
from .models import SummaryReport

LANGUAGES = ("zh-hans", "en")
OUTPUT_KEY = "service_summary_report"

#: Areas of the report read from the metric registry: (key, title, words a metric key contains).
AREAS: list[tuple[str, Any, tuple[str, ...]]] = [
    ("satisfaction", gettext_lazy("Client satisfaction"), ("satisfaction", "revisit", "collection_rate")),
    ("complaints", gettext_lazy("Complaints"), ("complaint",)),
    ("incidents", gettext_lazy("Incidents"), ("incident", "emergency")),
    ("improvement", gettext_lazy("Improvement actions"), ("improvement",)),
]
#: Metrics of this app: shown in their own section, never in the areas above.
OWN_METRICS = {
    queries.SETTLEMENT_DEVIATION,
    queries.INVOICE_ACCURACY,
    queries.PAYMENT_ON_TIME,
    queries.FEE_DISPUTES,
    "site_check_passed",
    "lost_and_found_logged",
    "archive_completeness",
    "goal_attainment_score",
    "average_ccp_score_computed",
}


@dataclass
class AreaFigure:
    metric: str
    name: dict | str
    unit: str
    value: Decimal | None
    reason: str
    verdict: str
    threshold: str


@dataclass
class ReportData:
    project: Any
    rulebook: Rulebook
    scores: scoring.Scores
    results: dict
    ccp_rows: list
    average_ccp: Decimal | None
    areas: list[tuple[str, Any, list[AreaFigure]]]
    nonconformances: dict
    evaluation: Any
    form: queries.EvaluationForm
    index: Decimal | None
    settlement: queries.SettlementFigures
    lost_items: list
    site_check: Any
    archive: queries.ArchiveStatus
    attendance: dict
    extra: dict = field(default_factory=dict)

    def figures(self) -> dict[str, str | None]:
        """The headline numbers as decimal strings — what the scorecard page shows must equal these."""

        def s(value):
            return None if value is None else str(value)

        sc = self.scores
        return {
            "Q": s(sc.q.value),
            "S": s(sc.s.value),
            "E": s(sc.e.value),
            "P": s(sc.p.value),
            "final": s(sc.final.value),
            "overall": s(sc.overall.value),
            "average_ccp": s(self.average_ccp),
            "evaluation_index": s(self.index),
            "settlement_deviation": s(self.settlement.deviation),
        }


def _area_figures(project, rulebook: Rulebook, words: tuple[str, ...]) -> list[AreaFigure]:
    registered = set(metrics.registry())
    criteria = {r.metric for r in rulebook.rules if r.control_point and r.metric}
    keys = sorted(
        key
        for key in registered | criteria
        if key not in OWN_METRICS
        and any(word in key for word in words)
        and (key in registered or key in criteria)
    )
    found = []
    for key in keys:
        rules = rulebook.rules_where(metric=key)
        criterion = next((r for r in rules if r.control_point), rules[0] if rules else None)
        outcome = metrics.measure(key, project, rulebook)
        measured = isinstance(outcome, metrics.Measurement)
        value = outcome.value if measured else None
        gradable = (
            criterion is not None
            and criterion.value is not None
            and criterion.kind not in ("weight", "level")
        )
        found.append(
            AreaFigure(
                metric=key,
                name=criterion.name.as_dict() if criterion else key.replace("_", " "),
                unit=criterion.unit if criterion else "",
                value=value,
                reason="" if measured else str(outcome.reason),
                verdict=queries.verdict(criterion, value) if gradable else "",
                threshold=display.format_threshold(criterion) if gradable else "",
            )
        )
    return found


def report_data(project) -> ReportData:
    rulebook = rulebook_for(project)
    results = quality_queries.current_results(project)
    project_scores = scoring.project_scores(project, results=results, rulebook=rulebook)
    rows = ccp.ccp_scores(project, rulebook, results)
    form = queries.evaluation_items(project, rulebook)
    evaluation = queries.evaluation_of(project)
    ncs = list(Nonconformance.objects.filter(project=project).only("status"))
    return ReportData(
        project=project,
        rulebook=rulebook,
        scores=project_scores,
        results=results,
        ccp_rows=rows,
        average_ccp=ccp.average_ccp_score(rows),
        areas=[(key, title, _area_figures(project, rulebook, words)) for key, title, words in AREAS],
        nonconformances={
            "all": len(ncs),
            "closed": sum(1 for nc in ncs if nc.status == Nonconformance.Status.CLOSED),
        },
        evaluation=evaluation,
        form=form,
        index=queries.evaluation_index(evaluation, form),
        settlement=queries.settlement_figures(project, rulebook),
        lost_items=list(queries.lost_items(project)),
        site_check=queries.latest_site_check(project),
        archive=queries.archive_status(project, rulebook),
        attendance=checkin_queries.summary(project),
    )


# -- rendering ----------------------------------------------------------------------------------------------


def _money(value) -> str:
    return "—" if value is None else f"¥{value:,.2f}"


def _verdict(value: str) -> str:
    return {"pass": _("Pass"), "fail": _("Fail")}.get(value, _("Not measured"))


def _date(value) -> str:
    if value is None:
        return "—"
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M")
    return value.strftime("%Y-%m-%d")


def _plain(value: Decimal) -> str:
    """10 → "10", 8.50 → "8.5" (never "1E+1")."""
    return format(value.normalize(), "f")


def _index(value: Decimal | None, top: Decimal) -> str:
    if value is None:
        return _("Not measured")
    return f"{value.quantize(Decimal('0.01'))} / {_plain(top)}"


def file_name(project, version: int, language: str) -> str:
    """会议名称-日期-类型 (REQ-DOC-02), with the version."""
    day = timezone.localtime(project.end).strftime("%Y%m%d")
    name = project.name if language == "zh-hans" else (project.name_en or project.name)
    kind = "服务总结报告" if language == "zh-hans" else "Service summary report"
    safe = "".join(c for c in name if c not in '\\/:*?"<>|').strip()
    return f"{safe}-{day}-{kind}-v{version}.pdf"


def render_pdf(data: ReportData, language: str, version: int | None = None) -> bytes:
    with translation.override(language):
        return _render(data, language, version)


def _render(data: ReportData, lang: str, version: int | None) -> bytes:
    project = data.project
    now = timezone.localtime()
    title = _("Service summary report")
    if lang != "zh-hans":
        title = f"{title} 服务总结报告"  # the document's name in the standard, for the archive
    subtitle = f"{project.code} · {project.display_name}"
    if version:
        subtitle += " · " + _("version %(n)s") % {"n": version}
    doc = PdfDocument(
        title=title,
        subtitle=subtitle,
        footer=f"Huiyi · {project.code} · " + _("generated %(at)s") % {"at": now.strftime("%Y-%m-%d %H:%M")},
    )

    # 1. The meeting
    doc.heading(_("1. The meeting"))
    attendance = data.attendance
    doc.key_values(
        [
            (pgettext("closing", "Meeting"), project.display_name),
            (_("Client"), localize({"zh-hans": project.client.name, "en": project.client.name_en or ""})),
            (_("Meeting type"), str(project.meeting_type)),
            (pgettext("closing", "Dates"), f"{_date(project.start)} – {_date(project.end)}"),
            (pgettext("closing", "Venue"), project.venue_name or "—"),
            (_("Expected attendees"), str(project.expected_attendees)),
            (_("Registered / checked in"), f"{attendance['expected']} / {attendance['arrived']}"),
            (_("Rulebook"), str(project.rulebook_version)),
        ]
    )

    # 2. Scores
    sc = data.scores
    doc.heading(_("2. Scores"))
    doc.table(
        [
            [str(s.label), s.shown, s.formula, s.reason]
            for s in (sc.final, sc.q, sc.s, sc.e, sc.p, sc.overall)
        ],
        header=[pgettext("closing", "Score"), _("Value"), _("Formula"), _("Note")],
    )
    doc.paragraph(
        _(
            "Average control-point score: %(avg)s "
            "(passed / measured criteria per control point, CCP-12 excluded)."
        )
        % {"avg": display.percent(data.average_ccp)}
    )

    # 3. CCP scorecard
    doc.heading(_("3. Critical control points (latest evaluation)"))
    last = max((r.evaluated_at for r in data.results.values()), default=None)
    doc.paragraph(
        _("Evaluated %(at)s.") % {"at": _date(last)}
        if last
        else _("No control point has been evaluated yet."),
        "small",
    )
    rows = []
    for row in data.ccp_rows:
        cp = row.control_point
        cp_name = f"{cp.id} {rule_display.text(cp.name, lang)}"
        if not row.results:
            rows.append([cp_name, _("Not evaluated yet."), cp.clause or "", "—", "—", "—"])
            continue
        for index, result in enumerate(row.results):
            rule = display.rule_from_result(result)
            rows.append(
                [
                    cp_name + (f" ({display.percent(row.score)})" if row.score is not None else "")
                    if index == 0
                    else "",
                    localize(result.name, lang),
                    result.clause,
                    display.format_threshold(rule, lang) if result.threshold is not None else "—",
                    display.format_measured(result.value, result.unit, lang),
                    result.get_verdict_display(),
                ]
            )
    doc.table(
        rows,
        header=[_("Control point"), _("Criterion"), _("Clause"), _("Required"), _("Measured"), _("Verdict")],
    )

    # 4. Feedback, complaints, incidents, improvement (from the metric registry)
    doc.heading(_("4. Satisfaction, complaints, incidents and improvement"))
    for _key, area_title, figures in data.areas:
        rows = [
            [
                rule_display.text(f.name, lang),
                display.format_measured(f.value, f.unit, lang) if f.value is not None else _("Not measured"),
                f.threshold or "—",
                _verdict(f.verdict) if f.value is not None and f.verdict else (f.reason or "—"),
            ]
            for f in figures
        ]
        if _key == "improvement":
            rows.append(
                [
                    _("Nonconformances closed / raised"),
                    f"{data.nonconformances['closed']} / {data.nonconformances['all']}",
                    "—",
                    "—",
                ]
            )
        doc.paragraph(str(area_title), "body")
        if rows:
            doc.table(rows, header=[_("Figure"), _("Value"), _("Required"), _("Verdict / note")])
        else:
            doc.paragraph(_("Not measured: no record of this kind is kept for the meeting yet."), "small")

    # 5. Service evaluation form (REQ-QLT-04)
    doc.heading(_("5. Service evaluation form"))
    low, high = data.form.scale
    if data.evaluation is None:
        doc.paragraph(_("The service evaluation form has not been filled in yet."))
    else:
        scores = {s.item: s for s in data.evaluation.scores.all()}
        doc.table(
            [
                [
                    rule_display.text(item.name, lang),
                    _plain(scores[item.key].score) if item.key in scores else "—",
                    scores[item.key].comment if item.key in scores else "",
                ]
                for item in data.form.items
            ]
            + [
                [
                    _("Service quality index"),
                    _index(data.index, high),
                    _("Index = Σ item scores / number of items"),
                ]
            ],
            header=[
                pgettext("closing", "Item"),
                _("Score (out of %(top)s)") % {"top": _plain(high)},
                pgettext("closing", "Comment"),
            ],
        )
        goal = data.evaluation.goal_attainment
        goal_rule = data.form.goal_rule
        doc.key_values(
            [
                (
                    _("Goal attainment"),
                    (
                        display.format_measured(goal, goal_rule.unit if goal_rule else "", lang)
                        if goal is not None
                        else _("Not measured")
                    )
                    + (f" ({display.format_threshold(goal_rule, lang)})" if goal_rule else ""),
                ),
                (
                    _("Evaluated by"),
                    f"{data.evaluation.evaluated_by} · {_date(data.evaluation.evaluated_at)}",
                ),
            ]
            + (
                [(_("How the goals were met"), data.evaluation.goal_note)]
                if data.evaluation.goal_note
                else []
            )
        )

    # 6. Closing: settlement, clean-up and archive
    doc.heading(_("6. Settlement, clean-up and archive"))
    st = data.settlement
    if st.settlement is None:
        doc.paragraph(_("No settlement recorded yet."))
    else:
        value_label = (
            _("Contract value") if st.value_source == "contract" else _("Agreed value (no contract)")
        )
        v = {key: _verdict(st.verdict(key)) for key in st.rules}
        open_label = pgettext("closing", "open")
        doc.key_values(
            [
                (value_label, _money(st.value) + (f" ({st.contract})" if st.contract else "")),
                (_("Final amount"), _money(st.final_amount)),
                (
                    _("Settlement deviation"),
                    display.format_measured(st.deviation, "ratio", lang)
                    + f" · {v[queries.SETTLEMENT_DEVIATION]}",
                ),
                (
                    _("Invoices correct"),
                    f"{st.invoices_correct} / {len(st.invoices)} · {v[queries.INVOICE_ACCURACY]}",
                ),
                (
                    _("Payments on time"),
                    f"{st.payments_on_time} / {st.payments_counted} · {v[queries.PAYMENT_ON_TIME]}",
                ),
                (
                    _("Fee disputes"),
                    f"{len(st.disputes)} ({open_label}: {st.open_disputes}) · {v[queries.FEE_DISPUTES]}",
                ),
            ]
        )
    check = data.site_check
    doc.key_values(
        [
            (
                _("Site check after tear-down"),
                (_("passed") if check.passed else _("not passed"))
                + f" · {check.checked_by} · {_date(check.checked_at)}"
                if check
                else _("Not recorded yet."),
            ),
            (
                _("Lost and found"),
                _("%(n)s item(s) logged, %(r)s returned")
                % {
                    "n": len(data.lost_items),
                    "r": sum(1 for i in data.lost_items if i.status == i.Status.RETURNED),
                },
            ),
            (
                _("Records archived on time"),
                f"{data.archive.on_time} / {data.archive.required}"
                + (f" · {_('deadline')} {_date(data.archive.deadline)}" if data.archive.deadline else ""),
            ),
        ]
    )
    return doc.render()


# -- generation and versions ---------------------------------------------------------------------------------


@transaction.atomic
def generate(project, *, language: str = "zh-hans", by=None) -> SummaryReport:
    """Render the report and store it as the next numbered version (file + SHA-256 + figures)."""
    from django.core.exceptions import ValidationError

    if language not in LANGUAGES:
        raise ValidationError({"language": _("Choose Chinese or English.")})
    type(project).objects.select_for_update().filter(pk=project.pk).first()
    version = (SummaryReport.objects.filter(project=project).aggregate(v=Max("version"))["v"] or 0) + 1
    data = report_data(project)
    pdf = render_pdf(data, language, version)
    name = file_name(project, version, language)
    content = ContentFile(pdf, name=name)
    facts = file_facts(content)
    from auditlog.context import set_actor

    report = SummaryReport(
        project=project,
        version=version,
        language=language,
        file_name=name,
        sha256=facts.sha256,
        size=facts.size,
        figures=data.figures(),
        generated_at=timezone.now(),
        generated_by=by if getattr(by, "is_authenticated", False) else None,
    )
    report.file.save(name, content, save=False)
    if by is not None and getattr(by, "is_authenticated", False):
        with set_actor(by):
            report.save()
    else:
        report.save()
    return report
