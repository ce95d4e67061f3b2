"""Pages of internal audits: thin — forms in, services judge and save, back to the page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huiyi.core.forms import apply_service_errors
from huiyi.rulebook.queries import CHAPTERS

from . import forms, queries, report, services
from .models import Audit, AuditItem


def _audit(request, pk: int, permission: str = "audits.view") -> Audit:
    audit = get_object_or_404(Audit.objects.select_related("lead_auditor", "rulebook_version"), pk=pk)
    if not request.user.has_perm("audits.view", audit):
        raise Http404
    if permission != "audits.view" and not request.user.has_perm(permission, audit):
        raise PermissionDenied
    return audit


def _errors(request, error: ValidationError):
    messages.error(request, " ".join(error.messages))


@login_required
def audit_list(request):
    status = request.GET.get("status", "")
    audits = queries.audit_list(request.user, status=status).prefetch_related("projects", "org_units")
    return render(
        request,
        "audits/list.html",
        {
            "audits": audits[:200],
            "status": status,
            "statuses": Audit.Status.choices,
            "interval": queries.audit_interval(),
            "can_plan": request.user.has_perm("audits.plan"),
        },
    )


@login_required
def audit_new(request):
    if not request.user.has_perm("audits.plan"):
        raise PermissionDenied
    form = forms.AuditPlanForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            audit = services.plan_audit(by=request.user, **data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Audit %(code)s planned with %(n)s checklist items.")
                % {"code": audit.code, "n": audit.items.count()},
            )
            return redirect("audits:detail", pk=audit.pk)
    return render(request, "audits/form.html", {"form": form})


@login_required
def audit_detail(request, pk):
    audit = _audit(request, pk)
    items = list(queries.checklist(audit))
    can_conduct = audit.status == Audit.Status.IN_PROGRESS and request.user.has_perm("audits.conduct", audit)
    chapter_names = {code: name for code, (name, _clause) in CHAPTERS.items()}
    counts = {value: 0 for value in AuditItem.Result.values}
    for item in items:
        if item.result:
            counts[item.result] += 1
    return render(
        request,
        "audits/detail.html",
        {
            "audit": audit,
            "items": items,
            "counts": counts,
            "pending": sum(1 for i in items if not i.result),
            "chapter_names": chapter_names,
            "can_conduct": can_conduct,
            "can_start": audit.status == Audit.Status.PLANNED
            and request.user.has_perm("audits.conduct", audit),
            "can_close": audit.status == Audit.Status.REPORTED
            and request.user.has_perm("audits.close", audit),
            "open_ncs": list(services.open_nonconformances(audit))
            if audit.status == Audit.Status.REPORTED
            else [],
            "assess_form": forms.AssessForm(audit=audit, user=request.user) if can_conduct else None,
            "complete_form": forms.CompleteForm(),
            "close_form": forms.CloseForm(),
            "results": AuditItem.Result.choices,
        },
    )


@login_required
@require_POST
def start(request, pk):
    audit = _audit(request, pk, "audits.conduct")
    try:
        services.start_audit(audit, by=request.user)
        messages.success(request, _("Audit started."))
    except ValidationError as error:
        _errors(request, error)
    return redirect("audits:detail", pk=pk)


@login_required
@require_POST
def assess(request, pk, item_pk):
    audit = _audit(request, pk, "audits.conduct")
    item = get_object_or_404(AuditItem, pk=item_pk, audit=audit)
    form = forms.AssessForm(request.POST, audit=audit, user=request.user)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    else:
        try:
            item = services.assess_item(item, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors(request, error)
        else:
            if item.nonconformance_id:
                messages.success(
                    request,
                    _("Item %(n)s recorded as a nonconformity; %(nc)s is open in quality.")
                    % {"n": item.position, "nc": item.nonconformance.code},
                )
            else:
                messages.success(request, _("Item %(n)s recorded.") % {"n": item.position})
    return redirect(reverse("audits:detail", args=[pk]) + f"#item-{item_pk}")


@login_required
@require_POST
def complete(request, pk):
    audit = _audit(request, pk, "audits.conduct")
    form = forms.CompleteForm(request.POST)
    if form.is_valid():
        try:
            services.complete_audit(audit, summary=form.cleaned_data["summary"], by=request.user)
            messages.success(
                request, _("Audit report issued; the follow-up is open until its nonconformances close.")
            )
        except ValidationError as error:
            _errors(request, error)
    else:
        messages.error(request, _("Write the audit conclusion."))
    return redirect("audits:detail", pk=pk)


@login_required
@require_POST
def close(request, pk):
    audit = _audit(request, pk, "audits.close")
    form = forms.CloseForm(request.POST)
    if form.is_valid():
        try:
            services.close_audit(audit, note=form.cleaned_data["note"], by=request.user)
            messages.success(request, _("Follow-up verified; audit closed."))
        except ValidationError as error:
            _errors(request, error)
    else:
        messages.error(request, _("Write down how the follow-up was verified."))
    return redirect("audits:detail", pk=pk)


@login_required
def report_pdf(request, pk):
    audit = _audit(request, pk)
    response = HttpResponse(report.render(audit), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{audit.code}.pdf"'
    return response


@login_required
def compliance(request):
    if not request.user.has_perm("audits.dashboard"):
        raise PermissionDenied
    chapter = request.GET.get("chapter", "")
    if chapter and chapter not in CHAPTERS:
        chapter = ""
    chapters = queries.compliance(request.user, chapter=chapter)
    return render(
        request,
        "audits/compliance.html",
        {
            "chapters": chapters,
            "summary": queries.compliance_summary(chapters),
            "chapter": chapter,
            "all_chapters": [(code, name) for code, (name, _clause) in CHAPTERS.items()],
            "interval": queries.audit_interval(),
        },
    )
