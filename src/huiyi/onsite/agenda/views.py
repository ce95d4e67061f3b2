"""Pages of the live agenda: thin — forms in, services do the work, back to the page the tap came from.

Phone-first: the time-control buttons are plain forms (one tap, no JavaScript needed, safe to retry: a second
tap on a started item says so and changes nothing).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huiyi.core.forms import apply_service_errors
from huiyi.projects.models import MeetingProject
from huiyi.rulebook.display import format_value, text
from huiyi.rulebook.services import rulebook_for

from . import forms, queries, services, timing
from .models import AgendaItem, CoverageItem, QaAnswer


def _require(request, permission: str, obj):
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied


def _project(request, pk, permission="liveagenda.view") -> MeetingProject:
    project = get_object_or_404(MeetingProject.objects.select_related("client"), pk=pk)
    if not request.user.has_perm("projects.view_meetingproject", project):
        raise PermissionDenied
    _require(request, permission, project)
    return project


def _item(request, pk, permission) -> AgendaItem:
    item = get_object_or_404(AgendaItem.objects.select_related("project"), pk=pk)
    _require(request, permission, item.project)
    return item


def _back(request, default: str):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(default)


def _agenda_url(project, anchor: str = "") -> str:
    return reverse("liveagenda:agenda", args=[project.pk]) + (f"#{anchor}" if anchor else "")


def _errors(request, error: ValidationError) -> None:
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
    return render(request, "liveagenda/form.html", context, status=400 if form.errors else 200)


def _rules_legend(rules: queries.Rules) -> list[dict]:
    return [
        {"key": "segment", "name": text(rules.segment.name), "value": format_value(rules.segment)},
        {"key": "qa", "name": text(rules.qa.name), "value": format_value(rules.qa)},
        {"key": "tea_break", "name": text(rules.tea_break.name), "value": format_value(rules.tea_break)},
        {"key": "reminder", "name": text(rules.reminder.name), "value": format_value(rules.reminder)},
    ]


# -- the agenda and time control ---------------------------------------------------------------------------


@login_required
def agenda(request, pk):
    project = _project(request, pk)
    now = timezone.now()
    board = queries.board(project, now)
    user = request.user
    context = {
        "project": project,
        "board": board,
        "now": now,
        "legend": _rules_legend(board.rules),
        "timeline": queries.report_timeline(project, now),
        "settings": queries.settings_of(project),
        "can_control": user.has_perm("liveagenda.control", project),
        "can_plan": user.has_perm("liveagenda.plan", project),
        "segment_seconds": queries.tolerance_seconds(board.rules.segment),
        "qa_seconds": int(timing.rule_duration(board.rules.qa).total_seconds()),
        "can_settings": user.has_perm("liveagenda.settings", project),
    }
    return render(request, "liveagenda/agenda.html", context)


@login_required
def item_add(request, pk):
    project = _project(request, pk, "liveagenda.plan")
    form = forms.AgendaItemForm(request.POST or None)

    def save(data):
        data.pop("reason", None)
        services.create_item(project, created_by=request.user, **data)

    return _form_page(
        request, project, form, _("New agenda item"), save, form_id="item-form", back=_agenda_url(project)
    )


@login_required
def item_edit(request, pk):
    item = _item(request, pk, "liveagenda.plan")
    initial = {name: getattr(item, name) for name in services.EDITABLE_FIELDS}
    form = forms.AgendaItemForm(request.POST or None, initial=initial, started=item.is_started)

    def save(data):
        reason = data.pop("reason", "")
        services.update_item(item, by=request.user, reason=reason, **data)

    intro = ""
    if item.is_started:
        intro = _(
            "This item has started: its planned times are frozen. "
            "Changing them needs a reason, kept in the audit trail."
        )
    return _form_page(
        request,
        item.project,
        form,
        item.title,
        save,
        form_id="item-form",
        back=_agenda_url(item.project, f"item-{item.pk}"),
        intro=intro,
    )


@login_required
def item_correct(request, pk):
    item = _item(request, pk, "liveagenda.control")
    form = forms.CorrectTimesForm(
        request.POST or None, initial={"actual_start": item.actual_start, "actual_end": item.actual_end}
    )
    return _form_page(
        request,
        item.project,
        form,
        _("Correct the recorded times: %(title)s") % {"title": item.title},
        lambda data: services.correct_actual_times(item, by=request.user, **data),
        form_id="correct-form",
        back=_agenda_url(item.project, f"item-{item.pk}"),
        intro=_(
            "For a tap made late or by mistake. The audit trail keeps the old and new times with the reason."
        ),
    )


@login_required
@require_POST
def item_delete(request, pk):
    item = _item(request, pk, "liveagenda.plan")
    try:
        services.delete_item(item, by=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("“%(title)s” was removed from the agenda.") % {"title": item.title})
    return redirect(_agenda_url(item.project))


@login_required
@require_POST
def copy_plan(request, pk):
    project = _project(request, pk, "liveagenda.plan")
    try:
        created, unplaced = services.copy_from_plan(project, by=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request, _("%(count)s items copied from the confirmed plan.") % {"count": len(created)}
        )
        if unplaced:
            messages.warning(
                request,
                _("Not copied (no end time in the plan): %(titles)s") % {"titles": "、".join(unplaced)},
            )
    return redirect(_agenda_url(project))


@login_required
@require_POST
def item_start(request, pk):
    item = _item(request, pk, "liveagenda.control")
    try:
        services.start_item(item, by=request.user)
    except ValidationError as error:
        _errors(request, error)
    return _back(request, _agenda_url(item.project, "now"))


@login_required
@require_POST
def item_end(request, pk):
    item = _item(request, pk, "liveagenda.control")
    try:
        services.end_item(item, by=request.user)
    except ValidationError as error:
        _errors(request, error)
    return _back(request, _agenda_url(item.project, "now"))


@login_required
@require_POST
def start_next(request, pk):
    project = _project(request, pk, "liveagenda.control")
    try:
        services.start_next(project, by=request.user)
    except ValidationError as error:
        _errors(request, error)
    return _back(request, _agenda_url(project, "now"))


@login_required
@require_POST
def answer_start(request, pk):
    item = _item(request, pk, "liveagenda.control")
    try:
        services.start_answer(item, by=request.user, label=request.POST.get("label", "").strip())
    except ValidationError as error:
        _errors(request, error)
    return _back(request, _agenda_url(item.project, "now"))


@login_required
@require_POST
def answer_end(request, pk):
    answer = get_object_or_404(QaAnswer.objects.select_related("item__project"), pk=pk)
    _require(request, "liveagenda.control", answer.item.project)
    try:
        services.end_answer(answer, by=request.user)
    except ValidationError as error:
        _errors(request, error)
    return _back(request, _agenda_url(answer.item.project, "now"))


# -- progress reports (REQ-ONS-06) -------------------------------------------------------------------------


@login_required
def reports(request, pk):
    project = _project(request, pk)
    can_report = request.user.has_perm("liveagenda.report", project)
    form = forms.ProgressReportForm(request.POST or None) if can_report else None
    status = 200
    if request.method == "POST":
        if not can_report:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.create_progress_report(
                    project, reporter=request.user, created_by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Progress report saved."))
                return redirect(reverse("liveagenda:reports", args=[project.pk]))
        status = 400
    now = timezone.now()
    timeline = queries.report_timeline(project, now)
    context = {
        "project": project,
        "form": form,
        "timeline": timeline,
        "rule": timeline.rule,
        "rule_value": format_value(timeline.rule),
        "now": now,
        "reports_newest_first": list(reversed(timeline.reports)),
    }
    return render(request, "liveagenda/reports.html", context, status=status)


# -- coverage (REQ-ONS-08) ---------------------------------------------------------------------------------


@login_required
def coverage(request, pk):
    project = _project(request, pk)
    summary = queries.coverage(project)
    context = {
        "project": project,
        "coverage": summary,
        "can_cover": request.user.has_perm("liveagenda.cover", project),
        "can_plan": request.user.has_perm("liveagenda.plan_coverage", project),
        "tick_form": forms.CoverageTickForm(),
    }
    return render(request, "liveagenda/coverage.html", context)


@login_required
@require_POST
def coverage_generate(request, pk):
    project = _project(request, pk, "liveagenda.plan_coverage")
    created = services.generate_coverage(project, by=request.user)
    messages.success(request, _("%(count)s key moments added from the agenda.") % {"count": len(created)})
    return redirect(reverse("liveagenda:coverage", args=[project.pk]))


@login_required
def coverage_add(request, pk):
    project = _project(request, pk, "liveagenda.plan_coverage")
    form = forms.CoverageItemForm(request.POST or None)
    return _form_page(
        request,
        project,
        form,
        _("New key moment"),
        lambda data: services.add_coverage_item(project, created_by=request.user, **data),
        form_id="coverage-form",
        back=reverse("liveagenda:coverage", args=[project.pk]),
    )


@login_required
@require_POST
def coverage_tick(request, pk):
    item = get_object_or_404(CoverageItem.objects.select_related("project"), pk=pk)
    _require(request, "liveagenda.cover", item.project)
    back = reverse("liveagenda:coverage", args=[item.project_id]) + f"#coverage-{item.pk}"
    form = forms.CoverageTickForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label}: {' '.join(errors)}")
        return redirect(back)
    try:
        if request.POST.get("untick"):
            services.untick_coverage(item, by=request.user)
        else:
            services.tick_coverage(item, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        _errors(request, error)
    return redirect(back)


# -- on-site satisfaction (REQ-ONS-08) and the minutes owner (REQ-PPL-04) -----------------------------------


@login_required
def satisfaction(request, pk):
    project = _project(request, pk)
    can_survey = request.user.has_perm("liveagenda.survey", project)
    form = forms.SatisfactionForm(request.POST or None) if can_survey else None
    status = 200
    if request.method == "POST":
        if not can_survey:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.add_satisfaction(project, created_by=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Score saved."))
                return redirect(reverse("liveagenda:satisfaction", args=[project.pk]))
        status = 400
    rule = rulebook_for(project).rule(queries.SATISFACTION_RULE)
    summary = queries.satisfaction(project)
    context = {
        "project": project,
        "form": form,
        "summary": summary,
        "rule_value": format_value(rule),
        "passes": None if summary.average is None else rule.passes(summary.average),
    }
    return render(request, "liveagenda/satisfaction.html", context, status=status)


@login_required
def minutes_owner(request, pk):
    project = _project(request, pk, "liveagenda.settings")
    row = queries.settings_of(project)
    form = forms.MinutesOwnerForm(
        request.POST or None,
        team=queries.team(project),
        initial={"minutes_owner": row.minutes_owner, "minutes_owner_name": row.minutes_owner_name},
    )
    return _form_page(
        request,
        project,
        form,
        _("Minutes owner"),
        lambda data: services.set_minutes_owner(project, by=request.user, **data),
        form_id="minutes-form",
        back=_agenda_url(project),
        intro=_(
            "The person responsible for the minutes of the meeting (§4.3: a named person keeps the record)."
        ),
    )


# -- the cockpit panel -------------------------------------------------------------------------------------


@login_required
def panel(request, pk):
    """The cockpit panel's body, polled by htmx."""
    project = _project(request, pk)
    from .templatetags.liveagenda import panel_context

    return render(request, "liveagenda/_panel.html", panel_context(request.user, project))
