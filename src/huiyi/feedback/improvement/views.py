"""Pages of the improvement loop: thin — forms in, services do the work, back to the page.

/improvement/projects/<pk>/        the meeting's analysis, strengths and weaknesses, improvement actions
/improvement/actions/              every action the user may see, filtered by unit, status, overdue
/improvement/quarterly/            the quarterly improvement report of a unit (PDF, .xlsx)
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huiyi.accounts.models import User
from huiyi.core.forms import apply_service_errors
from huiyi.core.paging import page_of
from huiyi.projects.models import MeetingProject
from huiyi.rulebook.display import format_value, text
from huiyi.rulebook.services import active_rulebook, rulebook_for

from . import exports, forms, queries, services
from .models import AnalysisIssue, ImprovementAction, StrengthWeakness

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require(request, permission: str, obj=None):
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied


def _project(request, pk, permission="improvement.view") -> MeetingProject:
    project = get_object_or_404(MeetingProject.objects.select_related("client", "org_unit"), pk=pk)
    if not request.user.has_perm("projects.view_meetingproject", project):
        raise PermissionDenied
    _require(request, permission, project)
    return project


def _action(request, pk, permission) -> ImprovementAction:
    item = get_object_or_404(ImprovementAction.objects.select_related("project", "owner"), pk=pk)
    if not request.user.has_perm("projects.view_meetingproject", item.project):
        raise PermissionDenied
    _require(request, permission, item)
    return item


def _project_url(project, anchor: str = "") -> str:
    return reverse("improvement:project", args=[project.pk]) + (f"#{anchor}" if anchor else "")


def _message(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _form_page(request, project, form, title: str, save, *, form_id: str, back: str, intro: str = ""):
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(back)
    context = {
        "project": project,
        "form": form,
        "title": title,
        "form_id": form_id,
        "intro": intro,
        "back": back,
    }
    return render(request, "improvement/form.html", context, status=400 if form.errors else 200)


# -- the meeting's improvement page --------------------------------------------------------------------------


@login_required
def project_page(request, pk):
    project = _project(request, pk)
    user = request.user
    analysis = queries.analysis_of(project)
    actions = list(queries.actions_of(project))
    rulebook = rulebook_for(project)
    effect_rule = services.effect_rule(rulebook)
    can_analyse = user.has_perm("improvement.analyse", project)
    formula = rulebook.formulas.get("improvement_completion_rate")
    context = {
        "project": project,
        "analysis": analysis,
        "issues": list(analysis.issues.select_related("nonconformance")) if analysis else [],
        "lines": list(analysis.lines.all()) if analysis else [],
        "counts": queries.issue_counts(analysis),
        "actions": actions,
        "completion": queries.completion(actions),
        "today": timezone.localdate(),
        "now": timezone.now(),
        "effect_rule": {"name": text(effect_rule.name), "value": format_value(effect_rule)}
        if effect_rule
        else None,
        "formula": formula,
        "formula_name": text(formula.name) if formula else "",
        "can_analyse": can_analyse,
        "can_manage": user.has_perm("improvement.manage", project),
        "can_evaluate": user.has_perm("improvement.evaluate", project),
        "issue_form": forms.IssueForm(prefix="issue") if can_analyse else None,
        "line_form": forms.LineForm(prefix="line") if can_analyse else None,
        "complete_form": forms.CompleteForm(prefix="complete") if can_analyse else None,
        "output_names": {
            "analysis": exports.output_name(rulebook, "strengths_weaknesses_analysis", _lang()),
            "plan": exports.output_name(rulebook, "improvement_plan", _lang()),
        },
    }
    return render(request, "improvement/project.html", context)


def _lang() -> str:
    from django.utils.translation import get_language

    return "en" if (get_language() or "").startswith("en") else "zh-hans"


def _post_form(request, project, form, save, anchor: str):
    """A small form posted from the project page: saved, or its errors shown as a message."""
    if form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            _message(request, error)
        else:
            messages.success(request, _("Saved."))
    else:
        details = "; ".join(
            f"{form.fields[f].label if f in form.fields else ''}: {' '.join(e)}"
            for f, e in form.errors.items()
        )
        messages.error(request, _("Nothing was saved: %(details)s") % {"details": details})
    return redirect(_project_url(project, anchor))


@login_required
@require_POST
def issue_add(request, pk):
    project = _project(request, pk, "improvement.analyse")
    form = forms.IssueForm(request.POST, prefix="issue")

    def save(data):
        services.add_issue(services.analysis_for(project, by=request.user), by=request.user, **data)

    return _post_form(request, project, form, save, "issues")


@login_required
@require_POST
def issue_delete(request, pk):
    issue = get_object_or_404(AnalysisIssue.objects.select_related("analysis__project"), pk=pk)
    project = _project(request, issue.analysis.project_id, "improvement.analyse")
    try:
        services.remove_issue(issue, by=request.user)
    except ValidationError as error:
        _message(request, error)
    return redirect(_project_url(project, "issues"))


@login_required
@require_POST
def prefill(request, pk):
    project = _project(request, pk, "improvement.analyse")
    try:
        created = services.prefill_issues(services.analysis_for(project, by=request.user), by=request.user)
    except ValidationError as error:
        _message(request, error)
    else:
        if created:
            messages.success(
                request, _("%(count)s issues taken from the meeting's records.") % {"count": len(created)}
            )
        else:
            messages.info(request, _("No new issue in the meeting's records."))
    return redirect(_project_url(project, "issues"))


@login_required
@require_POST
def line_add(request, pk):
    project = _project(request, pk, "improvement.analyse")
    form = forms.LineForm(request.POST, prefix="line")

    def save(data):
        services.add_line(services.analysis_for(project, by=request.user), by=request.user, **data)

    return _post_form(request, project, form, save, "strengths-weaknesses")


@login_required
@require_POST
def line_delete(request, pk):
    line = get_object_or_404(StrengthWeakness.objects.select_related("analysis__project"), pk=pk)
    project = _project(request, line.analysis.project_id, "improvement.analyse")
    try:
        services.remove_line(line, by=request.user)
    except ValidationError as error:
        _message(request, error)
    return redirect(_project_url(project, "strengths-weaknesses"))


@login_required
@require_POST
def analysis_complete(request, pk):
    project = _project(request, pk, "improvement.analyse")
    form = forms.CompleteForm(request.POST, prefix="complete")

    def save(data):
        services.complete_analysis(services.analysis_for(project, by=request.user), by=request.user, **data)

    return _post_form(request, project, form, save, "analysis")


@login_required
@require_POST
def analysis_reopen(request, pk):
    project = _project(request, pk, "improvement.analyse")
    try:
        services.reopen_analysis(services.analysis_for(project, by=request.user), by=request.user)
    except ValidationError as error:
        _message(request, error)
    return redirect(_project_url(project, "analysis"))


# -- improvement actions -------------------------------------------------------------------------------------


@login_required
def action_add(request, pk):
    project = _project(request, pk, "improvement.manage")
    form = forms.ActionForm(request.POST or None, project=project, user=request.user)

    def save(data):
        services.create_action(project, by=request.user, **data)

    return _form_page(
        request,
        project,
        form,
        _("New improvement action"),
        save,
        form_id="action-form",
        back=_project_url(project, "actions"),
    )


@login_required
def action_edit(request, pk):
    item = _action(request, pk, "improvement.manage")
    initial = {
        "problem": item.problem,
        "action": item.action,
        "category": item.category,
        "owner": item.owner_id,
        "deadline": item.deadline,
        "expected_effect": item.expected_effect,
        "nonconformances": list(item.nonconformances.values_list("pk", flat=True)),
        "issues": list(item.issues.values_list("pk", flat=True)),
        "procedure_changed": item.procedure_changed,
    }
    form = forms.ActionForm(request.POST or None, initial=initial, project=item.project, user=request.user)

    def save(data):
        services.update_action(item, by=request.user, **data)

    return _form_page(
        request,
        item.project,
        form,
        _("Edit %(code)s") % {"code": item.code},
        save,
        form_id="action-form",
        back=_project_url(item.project, f"action-{item.pk}"),
    )


@login_required
@require_POST
def action_start(request, pk):
    item = _action(request, pk, "improvement.progress")
    try:
        services.start_action(item, by=request.user)
    except ValidationError as error:
        _message(request, error)
    else:
        messages.success(request, _("%(code)s is in progress.") % {"code": item.code})
    return redirect(_project_url(item.project, f"action-{item.pk}"))


@login_required
def action_done(request, pk):
    item = _action(request, pk, "improvement.progress")
    form = forms.DoneForm(request.POST or None)
    return _form_page(
        request,
        item.project,
        form,
        _("Mark %(code)s done") % {"code": item.code},
        lambda data: services.complete_action(item, by=request.user, **data),
        form_id="done-form",
        back=_project_url(item.project, f"action-{item.pk}"),
        intro=item.action,
    )


@login_required
def action_evaluate(request, pk):
    item = _action(request, pk, "improvement.evaluate")
    form = forms.EvaluateForm(request.POST or None)
    return _form_page(
        request,
        item.project,
        form,
        _("Evaluate the effect of %(code)s") % {"code": item.code},
        lambda data: services.evaluate_effect(
            item, by=request.user, effect=data["effect"], note=data["effect_note"]
        ),
        form_id="evaluate-form",
        back=_project_url(item.project, f"action-{item.pk}"),
        intro=_("Expected effect: %(effect)s") % {"effect": item.expected_effect},
    )


@login_required
@require_POST
def action_delete(request, pk):
    item = _action(request, pk, "improvement.manage")
    try:
        services.delete_action(item, by=request.user)
    except ValidationError as error:
        _message(request, error)
    else:
        messages.success(request, _("%(code)s was deleted.") % {"code": item.code})
    return redirect(_project_url(item.project, "actions"))


# -- documents -----------------------------------------------------------------------------------------------


def _file(data: bytes, content_type: str, filename: str, *, inline: bool) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    return response


@login_required
def analysis_pdf(request, pk):
    project = _project(request, pk)
    data = exports.analysis_pdf(project, exports.language_of(request))
    return _file(data, "application/pdf", f"{project.code}-strengths-weaknesses.pdf", inline=True)


@login_required
def plan_pdf(request, pk):
    project = _project(request, pk)
    data = exports.plan_pdf(project, exports.language_of(request))
    return _file(data, "application/pdf", f"{project.code}-improvement-plan.pdf", inline=True)


@login_required
def plan_xlsx(request, pk):
    project = _project(request, pk)
    data = exports.plan_xlsx(project, exports.language_of(request))
    return _file(data, XLSX, f"{project.code}-improvement-plan.xlsx", inline=False)


# -- the organisation's actions ------------------------------------------------------------------------------


def _can_see_list(request):
    if not (request.user.is_superuser or request.user.has_perm("improvement.view_improvementaction")):
        raise PermissionDenied


@login_required
def actions(request):
    _can_see_list(request)
    units = queries.units_for(request.user)
    form = forms.ActionFilterForm(request.GET or None, units=units)
    filters = form.cleaned_data if form.is_valid() else {}
    listing = queries.filter_actions(
        queries.visible_actions(request.user),
        unit=filters.get("unit"),
        status=filters.get("status") or "",
        overdue=bool(filters.get("overdue")),
    )
    page, query = page_of(request, listing, 50)
    context = {
        "form": form,
        "page": page,
        "query": query,
        "completion": queries.completion(listing),
        "today": timezone.localdate(),
        "now": timezone.now(),
    }
    return render(request, "improvement/actions.html", context, status=400 if form.errors else 200)


def _quarter_params(request, units):
    today = timezone.localdate()
    year, quarter = queries.quarter_of(today)
    form = forms.QuarterForm(request.GET or None, units=units, initial={"year": year, "quarter": quarter})
    if request.GET and form.is_valid():
        return form, form.cleaned_data["unit"], form.cleaned_data["year"], form.cleaned_data["quarter"]
    return form, None, year, quarter


@login_required
def quarterly(request):
    _can_see_list(request)
    units = queries.units_for(request.user)
    form, unit, year, quarter = _quarter_params(request, units)
    report = queries.report_for(unit, year, quarter)
    can_report = unit is not None and request.user.has_perm("improvement.report")
    report_form = None
    if can_report and (report is None or report.status == report.Status.DRAFT):
        owners = User.objects.filter(
            Q(org_unit__path__startswith=unit.path) | Q(pk=request.user.pk), is_active=True
        )
        report_form = forms.ReportForm(
            request.POST or None,
            initial={
                "owner": report.owner_id if report else request.user.pk,
                "content": report.content if report else "",
            },
        )
        report_form.fields["owner"].queryset = owners.order_by("username")
        if request.method == "POST" and report_form.is_valid():
            try:
                saved = services.save_report(
                    org_unit=unit, year=year, quarter=quarter, by=request.user, **report_form.cleaned_data
                )
                if request.POST.get("submit"):
                    services.submit_report(saved, by=request.user)
            except ValidationError as error:
                apply_service_errors(report_form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect(request.get_full_path())
    elif request.method == "POST":
        raise PermissionDenied
    actions_list = list(queries.quarter_actions(request.user, unit, year, quarter))
    rule = services.report_rule(active_rulebook())
    latest = queries.reports_covering(unit).first() if unit else None
    next_due = None
    if rule is not None and latest is not None:
        from . import timing

        next_due = timing.deadline(latest.submitted_at, rule).due
    since, until = queries.quarter_bounds(year, quarter)
    context = {
        "form": form,
        "unit": unit,
        "year": year,
        "quarter": quarter,
        "since": since,
        "until": until,
        "report": report,
        "report_form": report_form,
        "actions": actions_list,
        "completion": queries.completion(actions_list),
        "rule": {"name": text(rule.name), "value": format_value(rule)} if rule else None,
        "latest": latest,
        "next_due": next_due,
        "now": timezone.now(),
        "today": timezone.localdate(),
        "query": request.GET.urlencode(),
    }
    status = 400 if (report_form is not None and report_form.errors) else 200
    return render(request, "improvement/quarterly.html", context, status=status)


def _quarter_file(request, render_file, content_type: str, extension: str, inline: bool):
    _can_see_list(request)
    units = queries.units_for(request.user)
    form, unit, year, quarter = _quarter_params(request, units)
    data = render_file(request.user, unit, year, quarter, exports.language_of(request))
    code = unit.code if unit else "all"
    return _file(
        data, content_type, f"improvement-report-{code}-{year}-Q{quarter}.{extension}", inline=inline
    )


@login_required
def quarterly_pdf(request):
    return _quarter_file(request, exports.quarterly_pdf, "application/pdf", "pdf", True)


@login_required
def quarterly_xlsx(request):
    return _quarter_file(request, exports.quarterly_xlsx, XLSX, "xlsx", False)
