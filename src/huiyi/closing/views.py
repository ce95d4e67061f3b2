"""The closing page of a meeting: thin — forms in, services validate and save, back to the page.

On bad input the page is shown again with the form bound and its fields marked; nothing is saved.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from huiyi.onsite.inspections import queries as inspection_queries
from huiyi.projects.models import MeetingProject
from huiyi.quality import display
from huiyi.rulebook.services import rulebook_for

from . import checklist, forms, queries, report, services
from .models import Dispute, Invoice, LostItem, Payment, SummaryReport


def _project(request, pk: int, permission: str = "closing.view") -> MeetingProject:
    project = get_object_or_404(
        MeetingProject.objects.select_related("client", "rulebook_version", "meeting_type"), pk=pk
    )
    if not request.user.has_perm("projects.view_meetingproject", project):
        raise Http404  # a project one cannot see is a project that does not exist
    if not request.user.has_perm(permission, project):
        raise PermissionDenied
    return project


def _can(request, project) -> dict[str, bool]:
    user = request.user
    return {
        "view_site": user.has_perm("closing.view_site", project),
        "keep_site": user.has_perm("closing.keep_site", project),
        "view_settlement": user.has_perm("closing.view_settlement", project),
        "settle": user.has_perm("closing.settle", project),
        "view_evaluation": user.has_perm("closing.view_evaluation", project),
        "evaluate": user.has_perm("closing.evaluate", project),
        "view_reports": user.has_perm("closing.view_reports", project),
        "report": user.has_perm("closing.report", project),
        "inspections": user.has_perm("inspections.view", project),
    }


def _context(request, project, bound: dict | None = None) -> dict:
    bound = bound or {}
    rulebook = rulebook_for(project)
    can = _can(request, project)
    figures = queries.settlement_figures(project, rulebook)
    form = queries.evaluation_items(project, rulebook)
    evaluation = queries.evaluation_of(project)
    initial_eval = {}
    if evaluation is not None:
        for score in evaluation.scores.all():
            initial_eval[f"score_{score.item}"] = score.score
            initial_eval[f"comment_{score.item}"] = score.comment
        initial_eval["goal_attainment"] = evaluation.goal_attainment
        initial_eval["goal_note"] = evaluation.goal_note
    now = timezone.localtime().replace(second=0, microsecond=0)
    check = queries.latest_site_check(project)
    archive = queries.archive_status(project, rulebook)
    goal_rule = form.goal_rule
    rows = bound.get("row", {})
    today = now.date()

    def row_form(kind, obj, form_class, prefix, **initial):
        return rows.get((kind, obj.pk)) or form_class(prefix=f"{prefix}{obj.pk}", initial=initial)

    lost = list(queries.lost_items(project)) if can["view_site"] else []
    return {
        "project": project,
        "can": can,
        "now": now,
        "milestones": inspection_queries.milestones(project, rulebook) if can["view_site"] else [],
        "lost_rows": [
            (
                item,
                row_form("return", item, forms.ReturnForm, "r", returned_at=now),
                row_form("dispose", item, forms.DisposeForm, "d", disposed_at=now),
                ("return", item.pk) in rows or ("dispose", item.pk) in rows,
            )
            for item in lost
        ],
        "lost_form": bound.get("lost") or forms.LostItemForm(initial={"found_at": now}),
        "row_forms": bound.get("row", {}),
        "site_check": check,
        "site_rows": queries.site_check_rows(check),
        "site_form": bound.get("check") or forms.SiteCheckForm(),
        "archive": archive,
        "archive_rows": [(item, archive.label(item), archive.late(item)) for item in archive.items],
        "settlement": figures,
        "verdicts": {
            key: figures.verdict(key)
            for key in (
                queries.SETTLEMENT_DEVIATION,
                queries.INVOICE_ACCURACY,
                queries.PAYMENT_ON_TIME,
                queries.FEE_DISPUTES,
            )
        },
        "thresholds": {
            key: display.format_threshold(rule) if rule else "—" for key, rule in figures.rules.items()
        },
        "deviation_shown": display.format_measured(figures.deviation, "ratio"),
        "invoice_rate_shown": display.percent(figures.invoice_accuracy),
        "on_time_shown": display.percent(figures.on_time_rate),
        "settlement_form": bound.get("settlement")
        or forms.SettlementForm(
            has_contract=figures.contract is not None,
            initial={
                "final_amount": figures.final_amount,
                "agreed_value": figures.settlement.agreed_value if figures.settlement else None,
                "agreed_value_note": figures.settlement.agreed_value_note if figures.settlement else "",
                "settled_at": figures.settlement.settled_at if figures.settlement else None,
                "note": figures.settlement.note if figures.settlement else "",
            },
        ),
        "invoice_rows": [
            (
                i,
                row_form("correct", i, forms.CorrectInvoiceForm, "c", corrected_at=today),
                ("correct", i.pk) in rows,
            )
            for i in figures.invoices
        ],
        "payment_rows": [
            (
                p,
                row_form("paid", p, forms.PaidForm, "p", paid_amount=p.amount, paid_at=today),
                _payment_state(p, today),
                ("paid", p.pk) in rows,
            )
            for p in figures.payments
        ],
        "dispute_rows": [
            (d, row_form("resolve", d, forms.ResolveForm, "s", resolved_at=today), ("resolve", d.pk) in rows)
            for d in figures.disputes
        ],
        "invoice_form": bound.get("invoice") or forms.InvoiceForm(initial={"issued_at": now.date()}),
        "payment_form": bound.get("payment") or forms.PaymentForm(),
        "dispute_form": bound.get("dispute") or forms.DisputeForm(initial={"opened_at": now.date()}),
        "evaluation": evaluation,
        "evaluation_form_def": form,
        "evaluation_index": queries.evaluation_index(evaluation, form),
        "evaluation_form": bound.get("evaluation") or forms.EvaluationForm(form=form, initial=initial_eval),
        "goal_rule": goal_rule,
        "goal_threshold": display.format_threshold(goal_rule) if goal_rule else "",
        "goal_verdict": queries.verdict(goal_rule, evaluation.goal_attainment if evaluation else None),
        "reports": list(queries.reports_of(project)) if can["view_reports"] else [],
        "report_form": bound.get("report")
        or forms.ReportForm(
            initial={"language": "en" if (get_language() or "").startswith("en") else "zh-hans"}
        ),
    }


def _payment_state(payment, today) -> str:
    if payment.on_time:
        return "on_time"
    if payment.is_paid:
        return "late"
    return "overdue" if payment.due_date < today else "not_due"


def _show(request, project, status=200, **bound):
    for form in list(bound.values()) + list(bound.get("row", {}).values()):
        if hasattr(form, "mark_invalid"):
            form.mark_invalid()
    return render(request, "closing/project.html", _context(request, project, bound), status=status)


def _back(project, anchor: str):
    return redirect(reverse("closing:project", args=[project.pk]) + f"#{anchor}")


def _apply(form, error: ValidationError):
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _run(request, project, form, key: str, anchor: str, action, done: str, row=None):
    """Validate ``form`` and run ``action(cleaned_data)``; on an error show the page with the form bound."""
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, done)
            return _back(project, anchor)
    if row is not None:
        return _show(request, project, status=400, row={row: form})
    return _show(request, project, status=400, **{key: form})


@login_required
@require_GET
def project_page(request, pk: int):
    project = _project(request, pk)
    return render(request, "closing/project.html", _context(request, project))


# -- lost and found, site check, archive ------------------------------------------------------------------


@login_required
@require_POST
def lost_add(request, pk: int):
    project = _project(request, pk, "closing.keep_site")
    form = forms.LostItemForm(request.POST)

    def action(data):
        services.log_lost_item(project, by=request.user, **data)

    return _run(request, project, form, "lost", "lost-and-found", action, _("Item logged."))


def _lost(request, pk: int) -> LostItem:
    item = get_object_or_404(LostItem.objects.select_related("project"), pk=pk)
    _project(request, item.project_id, "closing.keep_site")
    return item


@login_required
@require_POST
def lost_return(request, pk: int):
    item = _lost(request, pk)
    form = forms.ReturnForm(request.POST, prefix=f"r{item.pk}")

    def action(data):
        services.return_lost_item(item, by=request.user, **data)

    return _run(
        request,
        item.project,
        form,
        "",
        "lost-and-found",
        action,
        _("Return recorded."),
        row=("return", item.pk),
    )


@login_required
@require_POST
def lost_dispose(request, pk: int):
    item = _lost(request, pk)
    form = forms.DisposeForm(request.POST, prefix=f"d{item.pk}")

    def action(data):
        services.dispose_lost_item(
            item, by=request.user, how=data["disposal_note"], disposed_at=data["disposed_at"]
        )

    return _run(
        request,
        item.project,
        form,
        "",
        "lost-and-found",
        action,
        _("Disposal recorded."),
        row=("dispose", item.pk),
    )


@login_required
@require_POST
def site_check(request, pk: int):
    project = _project(request, pk, "closing.keep_site")
    form = forms.SiteCheckForm(request.POST)

    def action(data):
        services.record_site_check(
            project, results=form.results(), checked_at=data["checked_at"], note=data["note"], by=request.user
        )

    return _run(request, project, form, "check", "site-check", action, _("Site check recorded."))


@login_required
@require_POST
def archive(request, pk: int, key: str):
    project = _project(request, pk, "closing.keep_site")
    if key not in checklist.ARCHIVE_KEYS:
        raise Http404
    undo = request.POST.get("undo") == "1"
    try:
        if undo:
            services.unarchive_record(project, key, by=request.user)
        else:
            services.archive_record(project, key, location=request.POST.get("location", ""), by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Archive checklist updated."))
    return _back(project, "archive")


# -- settlement --------------------------------------------------------------------------------------------


@login_required
@require_POST
def settlement(request, pk: int):
    project = _project(request, pk, "closing.settle")
    has_contract = queries.settlement_contract(project) is not None
    form = forms.SettlementForm(request.POST, has_contract=has_contract)

    def action(data):
        services.save_settlement(project, by=request.user, **data)

    return _run(request, project, form, "settlement", "settlement", action, _("Settlement saved."))


def _settlement_required(project):
    figures = queries.settlement_of(project)
    if figures is None:
        raise ValidationError({"__all__": _("Record the settlement first.")})
    return figures


@login_required
@require_POST
def invoice_add(request, pk: int):
    project = _project(request, pk, "closing.settle")
    form = forms.InvoiceForm(request.POST)

    def action(data):
        services.add_invoice(_settlement_required(project), by=request.user, **data)

    return _run(request, project, form, "invoice", "invoices", action, _("Invoice recorded."))


@login_required
@require_POST
def invoice_correct(request, pk: int):
    invoice = get_object_or_404(Invoice.objects.select_related("settlement__project"), pk=pk)
    project = _project(request, invoice.settlement.project_id, "closing.settle")
    form = forms.CorrectInvoiceForm(request.POST, prefix=f"c{invoice.pk}")

    def action(data):
        services.correct_invoice(invoice, by=request.user, **data)

    return _run(
        request, project, form, "", "invoices", action, _("Correction recorded."), row=("correct", invoice.pk)
    )


@login_required
@require_POST
def payment_add(request, pk: int):
    project = _project(request, pk, "closing.settle")
    form = forms.PaymentForm(request.POST)

    def action(data):
        services.add_payment(_settlement_required(project), by=request.user, **data)

    return _run(request, project, form, "payment", "payments", action, _("Instalment added."))


@login_required
@require_POST
def payment_paid(request, pk: int):
    payment = get_object_or_404(Payment.objects.select_related("settlement__project"), pk=pk)
    project = _project(request, payment.settlement.project_id, "closing.settle")
    form = forms.PaidForm(request.POST, prefix=f"p{payment.pk}")

    def action(data):
        services.record_payment(payment, by=request.user, **data)

    return _run(
        request, project, form, "", "payments", action, _("Payment recorded."), row=("paid", payment.pk)
    )


@login_required
@require_POST
def dispute_add(request, pk: int):
    project = _project(request, pk, "closing.settle")
    form = forms.DisputeForm(request.POST)

    def action(data):
        services.open_dispute(_settlement_required(project), by=request.user, **data)

    return _run(request, project, form, "dispute", "disputes", action, _("Dispute recorded."))


@login_required
@require_POST
def dispute_resolve(request, pk: int):
    dispute = get_object_or_404(Dispute.objects.select_related("settlement__project"), pk=pk)
    project = _project(request, dispute.settlement.project_id, "closing.settle")
    form = forms.ResolveForm(request.POST, prefix=f"s{dispute.pk}")

    def action(data):
        services.resolve_dispute(dispute, by=request.user, **data)

    return _run(
        request, project, form, "", "disputes", action, _("Resolution recorded."), row=("resolve", dispute.pk)
    )


# -- evaluation form and reports -------------------------------------------------------------------------


@login_required
@require_POST
def evaluation(request, pk: int):
    project = _project(request, pk, "closing.evaluate")
    form = forms.EvaluationForm(request.POST, form=queries.evaluation_items(project))

    def action(data):
        services.save_evaluation(
            project,
            scores=form.scores(),
            comments=form.comments(),
            goal_attainment=data.get("goal_attainment"),
            goal_note=data.get("goal_note") or "",
            by=request.user,
        )

    return _run(request, project, form, "evaluation", "evaluation", action, _("Evaluation saved."))


@login_required
@require_POST
def report_generate(request, pk: int):
    project = _project(request, pk, "closing.report")
    form = forms.ReportForm(request.POST)

    def action(data):
        report.generate(project, language=data["language"], by=request.user)

    return _run(request, project, form, "report", "reports", action, _("Report generated."))


@login_required
@require_GET
def report_download(request, pk: int):
    row = get_object_or_404(SummaryReport.objects.select_related("project"), pk=pk)
    _project(request, row.project_id, "closing.view_reports")
    try:
        handle = row.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=False, filename=row.file_name, content_type="application/pdf")
