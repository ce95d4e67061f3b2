"""Quality pages: the project scorecard, nonconformances with their workflow, the what-if check."""

from __future__ import annotations

import contextlib
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from huiyi.accounts.models import Role
from huiyi.core.paging import page_of
from huiyi.core.translation import localize
from huiyi.projects.models import MeetingProject
from huiyi.projects.queries import visible_projects
from huiyi.rulebook.services import active_rulebook, rulebook_for

from . import checks, display, forms, queries, scoring, services
from .models import ControlPointResult, CorrectiveAction, Nonconformance

EVIDENCE_LABELS = {
    "source": lambda: _("Source"),
    "author": lambda: _("Measured by"),
    "measured_at": lambda: _("Measured at"),
    "note": lambda: _("Note"),
    "planned": lambda: _("Planned cost (yuan)"),
    "budget": lambda: _("Client budget (yuan)"),
    "formula": lambda: _("Formula"),
    "manual_measurement": lambda: _("Measurement record"),
}
SOURCE_LABELS = {"manual": lambda: _("entered by a person"), "computed": lambda: _("computed from records")}


def _dom(rule_id: str) -> str:
    return "c-" + rule_id.replace(".", "-").replace("_", "-")


def _evidence_rows(result: ControlPointResult | None) -> list[tuple[str, str]]:
    if result is None:
        return []
    rows = []
    for key, value in (result.evidence or {}).items():
        if key == "inputs":
            continue
        if key == "source":
            value = SOURCE_LABELS.get(value, lambda v=value: v)()
        elif key == "measured_at":
            with contextlib.suppress(TypeError, ValueError):
                value = timezone.localtime(datetime.fromisoformat(value)).strftime("%Y-%m-%d %H:%M")
        elif key == "formula":
            value = _(value)
        elif key in ("planned", "budget"):
            with contextlib.suppress(ArithmeticError):
                value = f"{Decimal(value):,.2f}"
        elif key == "manual_measurement":
            value = f"#{value}"
        label = EVIDENCE_LABELS.get(key)
        rows.append((label() if label else key, str(value)))
    return rows


def _mark_invalid(form) -> None:
    for name in form.errors:
        if name in form.fields:
            widget = form.fields[name].widget
            widget.attrs["class"] = (widget.attrs.get("class", "") + " is-invalid").strip()


def _project_for(request, pk: int) -> MeetingProject:
    project = get_object_or_404(MeetingProject.objects.select_related("rulebook_version", "client"), pk=pk)
    if not request.user.has_perm("projects.view_meetingproject", project):
        raise PermissionDenied
    return project


def _scorecard_context(request, project: MeetingProject, *, bound: dict[str, Any] | None = None) -> dict:
    rulebook = rulebook_for(project)
    results = queries.current_results(project)
    scores = scoring.project_scores(project, results=results, rulebook=rulebook)
    can_manage = request.user.has_perm("quality.manage_project_quality", project)
    role_names = {r.key: localize(r.name) for r in Role.objects.all()}
    phases = []
    for index, phase in enumerate(rulebook.phases):
        control_points = []
        for cp_id in phase.control_points:
            cp = rulebook.control_point(cp_id)
            criteria = []
            for rule in rulebook.rules_for(cp_id):
                result = results.get(rule.id)
                form = (bound or {}).get(rule.id) or (forms.measurement_form(rule) if can_manage else None)
                criteria.append(
                    {
                        "rule": rule,
                        "dom_id": _dom(rule.id),
                        "name": rule.name.get(display.lang_key()),
                        "threshold": display.format_threshold(rule),
                        "result": result,
                        "value": display.format_measured(result.value, rule.unit) if result else "—",
                        "reason": result.reason_text if result else _("Not evaluated yet."),
                        "evidence": _evidence_rows(result),
                        "form": form,
                        "open": rule.id in (bound or {}),
                        "is_budget": rule.metric == services.BUDGET_METRIC,
                    }
                )
            measured = [c for c in criteria if c["result"] and c["result"].verdict != "not_measurable"]
            control_points.append(
                {
                    "cp": cp,
                    "name": cp.name.get(display.lang_key()),
                    "owner": role_names.get(cp.owner_role, cp.owner_role),
                    "criteria": criteria,
                    "passed": sum(1 for c in measured if c["result"].verdict == "pass"),
                    "failed": sum(1 for c in measured if c["result"].verdict == "fail"),
                    "measured": len(measured),
                }
            )
        phases.append(
            {
                "phase": phase,
                "number": index + 1,
                "name": phase.name.get(display.lang_key()),
                "score": scores.phases[index],
                "weight": display.percent(Decimal(str(phase.weight))),
                "control_points": control_points,
                "current": project.phase == index + 1,
            }
        )
    last = max((r.evaluated_at for r in results.values()), default=None)
    return {
        "project": project,
        "rulebook": rulebook,
        "phases": phases,
        "scores": scores,
        "headline": [scores.q, scores.s, scores.e, scores.p, scores.final, scores.overall],
        "open_ncs": queries.live_nonconformances(project),
        "can_manage": can_manage,
        "last_evaluated": last,
        "now": timezone.now(),
    }


@login_required
@require_GET
def scorecard(request, pk: int):
    project = _project_for(request, pk)
    return render(request, "quality/scorecard.html", _scorecard_context(request, project))


@login_required
@require_POST
def evaluate(request, pk: int):
    project = _project_for(request, pk)
    if not request.user.has_perm("quality.manage_project_quality", project):
        raise PermissionDenied
    control_point = request.POST.get("control_point") or None
    try:
        results = services.evaluate(project, control_point, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        results = []
    else:
        failed = sum(1 for r in results if r.verdict == ControlPointResult.Verdict.FAIL)
        messages.success(
            request,
            _("%(n)s criteria evaluated, %(failed)s failed.") % {"n": len(results), "failed": failed},
        )
    if request.htmx:
        context = _scorecard_context(request, project)
        context["flash"] = list(messages.get_messages(request))
        return render(request, "quality/_scorecard_body.html", context)
    return redirect("quality:scorecard", pk=project.pk)


@login_required
@require_POST
def measure(request, pk: int, rule_id: str):
    project = _project_for(request, pk)
    if not request.user.has_perm("quality.manage_project_quality", project):
        raise PermissionDenied
    rulebook = rulebook_for(project)
    rule = next((r for r in services.criteria_rules(rulebook) if r.id == rule_id), None)
    if rule is None:
        raise Http404
    form = forms.measurement_form(rule, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if isinstance(form, forms.BudgetForm):
                services.record_budget(
                    project,
                    planned=data["planned"],
                    budget=data["budget"],
                    note=data["note"],
                    by=request.user,
                )
            else:
                value = Decimal(data["value"])
                value = display.value_from_input(value, rule.unit)
                services.record_measurement(project, rule.metric, value, note=data["note"], by=request.user)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("Measurement of “%(name)s” recorded. Evaluate to update the verdict.")
                % {"name": rule.name.get(display.lang_key())},
            )
            return redirect(reverse("quality:scorecard", args=[project.pk]) + f"#{_dom(rule.id)}")
    _mark_invalid(form)
    context = _scorecard_context(request, project, bound={rule.id: form})
    return render(request, "quality/scorecard.html", context)


# ------------------------------------------------------------------------------------------------------
# Nonconformances


@login_required
@require_GET
def nonconformance_list(request):
    projects = visible_projects(request.user).order_by("-start")
    filters = forms.NonconformanceFilter(request.GET or None, projects=projects)
    items = queries.visible_nonconformances(request.user)
    if filters.is_valid():
        items = queries.filter_nonconformances(items, **filters.cleaned_data)
    page, query = page_of(request, items.order_by("-opened_at", "-pk"), 25)
    return render(
        request,
        "quality/nonconformance_list.html",
        {"page": page, "filters": filters, "now": timezone.now(), "query": query},
    )


def _nc_for(request, pk: int) -> Nonconformance:
    nc = get_object_or_404(
        Nonconformance.objects.select_related("project", "owner", "verified_by", "closed_by", "opened_by"),
        pk=pk,
    )
    if not request.user.has_perm("quality.view_nonconformance", nc):
        raise PermissionDenied
    return nc


def _nc_context(request, nc: Nonconformance, **bound) -> dict:
    can_change = request.user.has_perm("quality.change_nonconformance", nc)
    actions = list(nc.actions.select_related("owner", "created_by"))
    roles = {r.key: localize(r.name) for r in Role.objects.filter(key=nc.owner_role)}
    return {
        "nc": nc,
        "actions": actions,
        "results": nc.results.select_related("evaluated_by").order_by("-evaluated_at")[:10],
        "can_change": can_change,
        "owner_role_name": roles.get(nc.owner_role, nc.owner_role),
        "root_cause_form": bound.get("root_cause")
        or forms.RootCauseForm(initial={"root_cause": nc.root_cause}),
        "action_form": bound.get("plan") or forms.ActionForm(project=nc.project),
        "complete_forms": {
            a.pk: (bound.get("complete") if bound.get("complete_id") == a.pk else None)
            or forms.CompleteActionForm()
            for a in actions
        },
        "verify_form": bound.get("verify") or forms.VerifyForm(),
        "close_form": bound.get("close") or forms.CloseForm(),
        "content_type_id": ContentType.objects.get_for_model(Nonconformance).pk,
        "now": timezone.now(),
        "steps": Nonconformance.Status.choices,
        "step_index": Nonconformance.Status.values.index(nc.status),
    }


@login_required
@require_GET
def nonconformance_detail(request, pk: int):
    nc = _nc_for(request, pk)
    return render(request, "quality/nonconformance_detail.html", _nc_context(request, nc))


STEPS = {"root_cause", "plan", "complete", "verify", "close"}


@login_required
@require_http_methods(["POST"])
def nonconformance_step(request, pk: int, step: str):
    nc = _nc_for(request, pk)
    if step not in STEPS:
        raise Http404
    if not request.user.has_perm("quality.change_nonconformance", nc):
        raise PermissionDenied
    bound: dict[str, Any] = {}
    form: Any
    try:
        if step == "root_cause":
            form = forms.RootCauseForm(request.POST)
            if form.is_valid():
                services.set_root_cause(nc, form.cleaned_data["root_cause"], by=request.user)
                messages.success(request, _("Root cause saved."))
        elif step == "plan":
            form = forms.ActionForm(request.POST, project=nc.project)
            if form.is_valid():
                services.plan_action(nc, by=request.user, **form.cleaned_data)
                messages.success(request, _("Action planned."))
        elif step == "complete":
            action = get_object_or_404(CorrectiveAction, pk=request.POST.get("action"), nonconformance=nc)
            form = forms.CompleteActionForm(request.POST)
            bound["complete_id"] = action.pk
            if form.is_valid():
                services.complete_action(action, result=form.cleaned_data["result"], by=request.user)
                messages.success(request, _("Action recorded as done."))
        elif step == "verify":
            form = forms.VerifyForm(request.POST)
            if form.is_valid():
                services.verify_effect(nc, note=form.cleaned_data["verification_note"], by=request.user)
                messages.success(request, _("Effect verified."))
        else:
            form = forms.CloseForm(request.POST)
            if form.is_valid():
                services.close(nc, note=form.cleaned_data["note"], by=request.user)
                messages.success(request, _("Nonconformance closed."))
    except ValidationError as error:
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    if form.is_valid() and not form.errors:
        return redirect("quality:nonconformance", pk=nc.pk)
    _mark_invalid(form)
    bound[step] = form
    nc.refresh_from_db()
    return render(request, "quality/nonconformance_detail.html", _nc_context(request, nc, **bound))


# ------------------------------------------------------------------------------------------------------
# What-if check


@login_required
@require_http_methods(["GET", "POST"])
def check(request):
    rulebook = active_rulebook()
    cp_id = (
        request.POST.get("control_point") or request.GET.get("control_point") or rulebook.control_points[0].id
    )
    if cp_id not in {c.id for c in rulebook.control_points}:
        cp_id = rulebook.control_points[0].id
    rules = services.criteria_rules(rulebook, cp_id)
    entered: dict[str, str] = {}
    results = None
    error = None
    if request.method == "POST":
        values = {}
        for rule in rules:
            raw = request.POST.get(f"v-{rule.metric}", "").strip()
            entered[rule.metric] = raw
            if raw == "":
                continue
            try:
                number = Decimal(raw)
                values[rule.metric] = (
                    str(display.value_from_input(number, rule.unit)) if number.is_finite() else raw
                )
            except ArithmeticError:
                values[rule.metric] = raw
        try:
            results = {r["rule"]: r for r in checks.check(rulebook, cp_id, values)}
        except checks.CheckError as exc:
            error = exc
    rows = [
        {
            "rule": rule,
            "name": rule.name.get(display.lang_key()),
            "threshold": display.format_threshold(rule),
            "unit_hint": forms.unit_hint(rule.unit),
            "entered": entered.get(rule.metric, ""),
            "passed": results[rule.id]["passed"] if results else None,
            "shown": display.format_measured(Decimal(results[rule.id]["value"]), rule.unit)
            if results and results[rule.id]["value"] is not None
            else "",
            "error": (error.fields.get(f"values.{rule.metric}") or [""])[0] if error else "",
        }
        for rule in rules
    ]
    return render(
        request,
        "quality/check.html",
        {
            "rulebook": rulebook,
            "control_points": [(c.id, c.name.get(display.lang_key())) for c in rulebook.control_points],
            "cp_id": cp_id,
            "rows": rows,
            "checked": results is not None,
            "error": error,
        },
    )
