"""The internal audit report as PDF (ReportLab through ``huiyi.reports.pdf``), in the active language."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib.units import mm

from huiyi.reports.pdf import PdfDocument

from .models import Audit, AuditItem


def _person(user) -> str:
    return (user.display_name or user.get_full_name() or user.username) if user else "—"


def _date(value) -> str:
    if value is None:
        return "—"
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
    return date_format(value, "DATE_FORMAT")


def render(audit: Audit) -> bytes:
    items = list(audit.items.select_related("project", "nonconformance", "assessed_by").order_by("position"))
    doc = PdfDocument(
        title=_("Internal audit report %(code)s") % {"code": audit.code},
        subtitle=audit.title,
        footer=f"{audit.code} · {_('Internal audit report')} · {_date(timezone.now())}",
    )
    scope = ", ".join([*audit.scope_chapters, *audit.scope_requirements])
    doc.key_values(
        [
            (_("Status"), audit.get_status_display()),
            (_("Planned date"), _date(audit.planned_date)),
            (_("Scope"), scope or "—"),
            (_("Meeting projects audited"), ", ".join(p.code for p in audit.projects.all()) or "—"),
            (_("Units audited"), ", ".join(str(u) for u in audit.org_units.all()) or "—"),
            (_("Lead auditor"), _person(audit.lead_auditor)),
            (_("Auditors"), ", ".join(_person(u) for u in audit.auditors.all()) or "—"),
            (_("Auditees"), ", ".join(_person(u) for u in audit.auditees.all()) or "—"),
            (_("Rulebook version"), str(audit.rulebook_version.number)),
            (_("Reported at"), _date(audit.reported_at)),
            (_("Closed at"), _date(audit.closed_at)),
        ]
    )
    if audit.objective:
        doc.heading(_("Objective")).paragraph(audit.objective)
    counts = {value: 0 for value in AuditItem.Result.values}
    for item in items:
        if item.result:
            counts[item.result] += 1
    doc.heading(_("Results"))
    doc.table(
        [[label, str(counts[value])] for value, label in AuditItem.Result.choices]
        + [[_("Not assessed"), str(sum(1 for i in items if not i.result))]],
        header=[_("Result"), _("Items")],
    )
    findings = [i for i in items if i.is_finding]
    doc.heading(_("Findings"))
    if findings:
        doc.table(
            [
                [
                    str(i.position),
                    f"{i.name_text}\n{i.clause or i.req}",
                    i.get_result_display() + (f" ({i.get_severity_display()})" if i.severity else ""),
                    "\n".join(t for t in (i.evidence, i.notes) if t),
                    (
                        f"{i.nonconformance.code} · {i.nonconformance.get_status_display()}"
                        if i.nonconformance
                        else "—"
                    ),
                ]
                for i in findings
            ],
            header=["#", _("Clause"), _("Result"), _("Evidence"), _("Nonconformance")],
            widths=[8 * mm, None, 28 * mm, None, 32 * mm],
        )
    else:
        doc.paragraph(_("No nonconformity or observation."))
    if audit.summary:
        doc.heading(_("Audit conclusion")).paragraph(audit.summary)
    if audit.follow_up_note:
        doc.heading(_("Follow-up verification")).paragraph(audit.follow_up_note)
    doc.heading(_("Checklist"))
    doc.table(
        [
            [
                str(i.position),
                f"{i.name_text} ({i.rule_id or i.req})",
                i.get_result_display() if i.result else _("Not assessed"),
                i.evidence or "",
            ]
            for i in items
        ],
        header=["#", _("Clause"), _("Result"), _("Evidence")],
        widths=[8 * mm, None, 26 * mm, None],
    )
    return doc.render()
