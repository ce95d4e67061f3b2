"""Pages of violations and accountability: thin — forms in, services judge and save, back to the page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huiyi.core.audit import record_access
from huiyi.core.forms import apply_service_errors

from . import forms, queries, services
from .models import Violation


def _violation(request, pk: int) -> Violation:
    violation = get_object_or_404(
        Violation.objects.select_related(
            "org_unit", "project", "responsible_person", "reporter", "nonconformance"
        ),
        pk=pk,
    )
    if not request.user.has_perm("accountability.view", violation):
        raise Http404
    return violation


@login_required
def violation_list(request):
    status = request.GET.get("status", "")
    violations = queries.violation_list(request.user, status=status)
    return render(
        request,
        "accountability/list.html",
        {
            "violations": violations[:200],
            "status": status,
            "statuses": Violation.Status.choices,
            "can_report": request.user.has_perm("accountability.report"),
            "oversees": request.user.has_perm("accountability.dashboard"),
            "now": timezone.now(),
        },
    )


@login_required
def violation_new(request):
    if not request.user.has_perm("accountability.report"):
        raise PermissionDenied
    form = forms.ReportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            violation = services.report_violation(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Violation %(code)s recorded.") % {"code": violation.code})
            if request.user.has_perm("accountability.view", violation):
                return redirect("accountability:detail", pk=violation.pk)
            return redirect("accountability:list")
    return render(request, "accountability/form.html", {"form": form})


@login_required
def violation_detail(request, pk):
    violation = _violation(request, pk)
    record_access(violation, request.user, "violation record read")
    user = request.user
    step_forms = {}
    for step, (form_class, permission) in forms.STEP_FORMS.items():
        if user.has_perm(permission, violation):
            step_forms[step.replace("-", "_")] = forms.styled(form_class())
    return render(
        request,
        "accountability/detail.html",
        {
            "v": violation,
            "events": violation.events.select_related("by"),
            "forms": step_forms,
            "now": timezone.now(),
            "appeal_open": violation.appeal_open(),
        },
    )


_STEP_CALLS = {
    "investigate": lambda v, d, by: services.start_investigation(v, by=by, **d),
    "determine": lambda v, d, by: services.determine_responsibility(v, by=by, **d),
    "sanction": lambda v, d, by: services.notify_sanction(v, by=by, **d),
    "appeal": lambda v, d, by: services.appeal(v, by=by, **d),
    "decide-appeal": lambda v, d, by: services.decide_appeal(v, by=by, **d),
    "close": lambda v, d, by: services.close_violation(v, by=by, **d),
    "nonconformance": lambda v, d, by: services.open_nonconformance(v, by=by, **d),
}


@login_required
@require_POST
def violation_step(request, pk, step):
    violation = _violation(request, pk)
    if step not in forms.STEP_FORMS:
        raise Http404
    form_class, permission = forms.STEP_FORMS[step]
    if not request.user.has_perm(permission, violation):
        raise PermissionDenied
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("accountability:detail", pk=pk)
    try:
        _STEP_CALLS[step](violation, form.cleaned_data, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Saved."))
    return redirect("accountability:detail", pk=pk)
