"""Pages of incidents: thin — forms in, services do the work, back to the incident page.

Phone-first: the report form is one short page; acknowledging a page is one tap (a plain form, safe to
retry: a second tap says it is done already and changes nothing).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huiyi.core import links
from huiyi.core.files import download
from huiyi.projects.models import MeetingProject

from . import forms, queries, report, services
from .models import (
    CalmMeeting,
    ChainStep,
    Drill,
    Incident,
    IncidentTask,
    IncidentType,
    Level,
    PlanReview,
    ResponsePlan,
)
from .rules import can_act_on_timers

TIMER_DENIED = _("Only the people of this incident's command chain, or the project director, may do this.")


def _project(request, pk, permission="incidents.view") -> MeetingProject:
    project = get_object_or_404(MeetingProject.objects.select_related("client"), pk=pk)
    if not request.user.has_perm("projects.view_meetingproject", project) or not request.user.has_perm(
        permission, project
    ):
        raise PermissionDenied
    return project


def _incident(request, pk, permission="incidents.view") -> Incident:
    incident = get_object_or_404(
        Incident.objects.select_related("project__client", "reporter", "equipment", "plan"), pk=pk
    )
    if not request.user.has_perm(permission, incident):
        raise PermissionDenied
    return incident


def _errors(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _detail(incident, anchor=""):
    return redirect(reverse("incidents:detail", args=[incident.pk]) + (f"#{anchor}" if anchor else ""))


def _apply(form, error: ValidationError):
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# -- lists ---------------------------------------------------------------------------------------------------


def _list_context(request, incidents):
    incidents = queries.filtered(incidents, request.GET)
    page = Paginator(incidents.order_by("-reported_at", "-pk"), 50).get_page(request.GET.get("page"))
    return {
        "page": page,
        "incidents": page.object_list,
        "types": IncidentType.choices,
        "levels": Level.choices,
        "filters": {key: request.GET.get(key, "") for key in ("status", "level", "type", "drill")},
    }


@login_required
def incident_list(request):
    if not request.user.has_perm("incidents.view_incident") and not request.user.is_superuser:
        raise PermissionDenied
    context = _list_context(request, queries.visible_incidents(request.user))
    context["project"] = None
    return render(request, "incidents/list.html", context)


@login_required
def project_incidents(request, pk):
    project = _project(request, pk)
    context = _list_context(request, queries.visible_incidents(request.user).filter(project=project))
    context.update(
        {
            "project": project,
            "can_report": request.user.has_perm("incidents.report", project),
            "can_manage": request.user.has_perm("incidents.manage", project),
            "calm": CalmMeeting.objects.filter(project=project).select_related("confirmed_by").first(),
            "has_real": Incident.objects.filter(project=project, is_drill=False).exists(),
        }
    )
    return render(request, "incidents/list.html", context)


# -- reporting -----------------------------------------------------------------------------------------------


@login_required
def report_form(request, pk):
    project = _project(request, pk, "incidents.report")
    places = queries.place_suggestions(project)
    form = forms.ReportForm(
        request.POST or None,
        request.FILES or None,
        equipment=queries.project_equipment(project),
        places=places,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            incident = services.report_incident(
                project,
                by=request.user,
                type=data["type"],
                place=data["place"],
                impact=data["impact"],
                occurred_at=data.get("occurred_at"),
                injuries=data["injuries"],
                attendees_affected=data["attendees_affected"],
                meeting_interrupted=data["meeting_interrupted"],
                equipment=data.get("equipment") if data["type"] == IncidentType.EQUIPMENT_FAILURE else None,
                photo=data.get("photo"),
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(
                request,
                _("Reported. Level %(level)s suggested; the command chain is being paged.")
                % {"level": incident.level},
            )
            return _detail(incident)
    icons = {
        "equipment_failure": "pc-display",
        "conflict": "people",
        "health": "heart-pulse",
        "fire": "fire",
        "earthquake": "house-exclamation",
        "security": "shield-exclamation",
        "weather": "cloud-lightning-rain",
        "missing_person": "person-exclamation",
        "other": "three-dots",
    }
    types = [(value, label, icons.get(value, "exclamation")) for value, label in IncidentType.choices]
    status = 400 if form.errors else 200
    context = {"project": project, "form": form, "types": types, "places": places}
    return render(request, "incidents/report.html", context, status=status)


# -- the incident --------------------------------------------------------------------------------------------


def _incident_context(request, incident):
    now = timezone.now()
    user = request.user
    return {
        "incident": incident,
        "project": incident.project,
        "board": queries.board(incident, now),
        "now": now,
        "roles": queries.role_names(incident.project),
        "can_manage": user.has_perm("incidents.manage", incident),
        "can_respond": user.has_perm("incidents.respond", incident),
        "can_timers": can_act_on_timers(user, incident),
        "level_form": forms.LevelForm(initial={"level": incident.level}),
        "action_form": forms.ActionForm(),
        "resolve_form": forms.ResolveForm(),
        "close_form": forms.CloseForm(),
        "release_form": forms.ReleaseForm(),
        "levels": Level.choices,
    }


@login_required
def detail(request, pk):
    incident = _incident(request, pk)
    return render(request, "incidents/detail.html", _incident_context(request, incident))


@login_required
def live(request, pk):
    """The clocks and the chain, refreshed by htmx polling."""
    incident = _incident(request, pk)
    return render(request, "incidents/_live.html", _incident_context(request, incident))


@login_required
@require_POST
def set_level(request, pk):
    incident = _incident(request, pk, "incidents.manage")
    form = forms.LevelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a level from I to IV."))
        return _detail(incident, "level")
    try:
        services.set_level(incident, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Level saved."))
    return _detail(incident, "level")


@login_required
@require_POST
def acknowledge(request, pk):
    step = get_object_or_404(ChainStep.objects.select_related("incident__project"), pk=pk)
    if not request.user.has_perm("incidents.view", step.incident):
        raise PermissionDenied
    if not can_act_on_timers(request.user, step.incident):
        messages.error(request, TIMER_DENIED)
        return HttpResponse(TIMER_DENIED, status=403) if request.htmx else _detail(step.incident, "chain")
    try:
        services.acknowledge(step, by=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Acknowledged."))
    return _detail(step.incident, "chain")


def ack_link(request, token):
    """The signed link in a page's e-mail: a phone without a session acknowledges its own step."""
    try:
        link = links.resolve(token, services.ACK_PURPOSE)
    except links.LinkError as error:
        return render(request, "incidents/ack_link.html", {"error": error.message}, status=410)
    step = ChainStep.objects.select_related("incident__project").get(pk=int(link.object_id))
    if request.method == "POST":
        try:
            step = services.ack_by_link(token, address=request.META.get("REMOTE_ADDR", ""))
        except links.LinkError as error:
            return render(request, "incidents/ack_link.html", {"error": error.message}, status=410)
        except ValidationError as error:
            return render(
                request, "incidents/ack_link.html", {"error": " ".join(error.messages), "step": step}
            )
        return render(request, "incidents/ack_link.html", {"step": step, "done": True})
    return render(request, "incidents/ack_link.html", {"step": step, "token": token})


@login_required
@require_POST
def tick(request, pk):
    task = get_object_or_404(IncidentTask.objects.select_related("incident__project"), pk=pk)
    if not request.user.has_perm("incidents.respond", task.incident):
        raise PermissionDenied
    try:
        services.tick_task(task, by=request.user, done=request.POST.get("done", "1") == "1")
    except ValidationError as error:
        _errors(request, error)
    return _detail(task.incident, "plan")


@login_required
@require_POST
def add_action(request, pk):
    incident = _incident(request, pk, "incidents.respond")
    form = forms.ActionForm(request.POST)
    if form.is_valid():
        try:
            services.record_action(
                incident, by=request.user, message=form.cleaned_data["text"], kind=form.cleaned_data["kind"]
            )
        except ValidationError as error:
            _errors(request, error)
    else:
        messages.error(request, _("Write what was done or said."))
    return _detail(incident, "timeline")


@login_required
@require_POST
def stop_clock(request, pk, clock):
    incident = _incident(request, pk)
    if not can_act_on_timers(request.user, incident):
        messages.error(request, TIMER_DENIED)
        return _detail(incident, "clocks")
    try:
        services.stop_clock(incident, clock, by=request.user, note=request.POST.get("note", ""))
    except ValidationError as error:
        _errors(request, error)
    return _detail(incident, "clocks")


@login_required
@require_POST
def resolve(request, pk):
    incident = _incident(request, pk)
    if not can_act_on_timers(request.user, incident):
        messages.error(request, TIMER_DENIED)
        return _detail(incident)
    form = forms.ResolveForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"resolution": _("Say how it was resolved.")})
        services.resolve(incident, by=request.user, resolution=form.cleaned_data["resolution"])
    except ValidationError as error:
        _errors(request, error)
    return _detail(incident, "close")


@login_required
@require_POST
def release(request, pk):
    incident = _incident(request, pk, "incidents.respond")
    form = forms.ReleaseForm(request.POST)
    if form.is_valid():
        try:
            services.release_information(incident, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Release recorded."))
    else:
        messages.error(
            request, " ".join(f"{form.fields[k].label}: {' '.join(v)}" for k, v in form.errors.items())
        )
    return _detail(incident, "releases")


@login_required
@require_POST
def close(request, pk):
    incident = _incident(request, pk, "incidents.manage")
    form = forms.CloseForm(request.POST)
    form.is_valid()
    try:
        services.close_incident(incident, by=request.user, lessons=form.cleaned_data.get("lessons", ""))
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request, _("Closed. The incident report is ready and a review of the response plan is open.")
        )
    return _detail(incident, "close")


@login_required
def report_pdf(request, pk):
    incident = _incident(request, pk)
    data = report.render(incident)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="incident-{incident.project.code}-{incident.number}.pdf"'
    )
    return response


@login_required
def photo(request, pk):
    incident = _incident(request, pk)
    if not incident.photo:
        raise PermissionDenied
    # The type comes from the photo's bytes, never from its name: shown inline only as a proven image, any
    # other content is an attachment of type octet-stream (issue 10).
    extension = incident.photo.name.rsplit(".", 1)[-1] if "." in incident.photo.name else "bin"
    return download(incident.photo, f"incident-{incident.number}.{extension}", inline=True)


@login_required
@require_POST
def confirm_calm(request, pk):
    project = _project(request, pk, "incidents.manage")
    try:
        services.confirm_no_incident(project, by=request.user, note=request.POST.get("note", ""))
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Confirmed: no incident on this meeting."))
    return redirect("incidents:project", pk=project.pk)


@login_required
def panel(request, pk):
    project = _project(request, pk)
    return render(
        request, "incidents/_panel.html", {"project": project, **panel_context(request.user, project)}
    )


def panel_context(user, project) -> dict:
    now = timezone.now()
    rows = []
    for incident in queries.open_incidents(project)[:5]:
        clocks = [c for c in queries.clocks_of(incident, now) if c.target is not None and c.running]
        rows.append({"incident": incident, "clocks": clocks, "red": queries.red_steps(incident)})
    return {
        "rows": rows,
        "now": now,
        "visible": user.has_perm("incidents.view", project),
        "can_report": user.has_perm("incidents.report", project),
    }


# -- response plans ------------------------------------------------------------------------------------------


@login_required
def plans(request):
    if not request.user.has_perm("incidents.plans"):
        raise PermissionDenied
    rows = queries.plans_with_review_state()
    return render(request, "incidents/plans.html", {"rows": rows})


@login_required
def plan_detail(request, pk):
    if not request.user.has_perm("incidents.plans"):
        raise PermissionDenied
    plan = get_object_or_404(ResponsePlan, pk=pk)
    reviews = list(plan.reviews.select_related("incident__project", "completed_by"))
    open_review = next((r for r in reviews if r.status == PlanReview.Status.OPEN), None)
    form = None
    if request.method == "POST" and not request.user.has_perm("incidents.review_plans"):
        raise PermissionDenied
    if request.user.has_perm("incidents.review_plans"):
        form = forms.ReviewForm(
            request.POST or None,
            initial={
                "steps_zh": "\n".join(s.get("zh-hans", "") for s in plan.steps),
                "steps_en": "\n".join(s.get("en", "") for s in plan.steps),
            },
        )
        if request.method == "POST" and form.is_valid():
            try:
                review = open_review or services.open_plan_review(plan, by=request.user)
                services.complete_plan_review(
                    review, by=request.user, findings=form.cleaned_data["findings"], steps=form.steps()
                )
            except ValidationError as error:
                _apply(form, error)
            else:
                messages.success(request, _("Review recorded."))
                return redirect("incidents:plan", pk=plan.pk)
    from huiyi.rulebook.services import active_rulebook

    due = services.review_due(plan, active_rulebook())
    context = {
        "plan": plan,
        "reviews": reviews,
        "open_review": open_review,
        "form": form,
        "due": due,
        "overdue": due < timezone.now(),
    }
    return render(
        request, "incidents/plan.html", context, status=400 if form is not None and form.errors else 200
    )


# -- drills --------------------------------------------------------------------------------------------------


@login_required
def drills(request):
    if not request.user.has_perm("incidents.view_drill") and not request.user.is_superuser:
        raise PermissionDenied
    rows = queries.drills(request.user)
    return render(request, "incidents/drills.html", {"drills": rows[:200]})


@login_required
def drill_new(request, pk):
    project = _project(request, pk, "incidents.manage")
    members = project.members.select_related("user").values_list("user", flat=True)
    from huiyi.accounts.models import User

    form = forms.DrillForm(request.POST or None, members=User.objects.filter(pk__in=members))
    if request.method == "POST" and form.is_valid():
        try:
            drill = services.plan_drill(
                project,
                by=request.user,
                participants=list(form.cleaned_data.pop("participants")),
                **form.cleaned_data,
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            return redirect("incidents:drill", pk=drill.pk)
    return render(
        request,
        "incidents/drill_form.html",
        {"project": project, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def drill_detail(request, pk):
    drill = get_object_or_404(Drill.objects.select_related("project"), pk=pk)
    if not request.user.has_perm("incidents.view", drill.project):
        raise PermissionDenied
    incident = Incident.objects.filter(drill=drill).first()
    timeliness = None
    if incident is not None:
        from huiyi.rulebook.services import rulebook_for

        timeliness = drill.evaluation or services.drill_timeliness(incident, rulebook_for(drill.project))
    context = {
        "drill": drill,
        "project": drill.project,
        "incident": incident,
        "timeliness": timeliness,
        "roles": queries.role_names(drill.project),
        "can_manage": request.user.has_perm("incidents.manage", drill.project),
        "evaluate_form": forms.EvaluateForm(),
    }
    return render(request, "incidents/drill.html", context)


@login_required
@require_POST
def drill_run(request, pk):
    drill = get_object_or_404(Drill.objects.select_related("project"), pk=pk)
    if not request.user.has_perm("incidents.manage", drill.project):
        raise PermissionDenied
    try:
        incident = services.run_drill(drill, by=request.user)
    except ValidationError as error:
        _errors(request, error)
        return redirect("incidents:drill", pk=drill.pk)
    return _detail(incident)


@login_required
@require_POST
def drill_evaluate(request, pk):
    drill = get_object_or_404(Drill.objects.select_related("project"), pk=pk)
    if not request.user.has_perm("incidents.manage", drill.project):
        raise PermissionDenied
    try:
        services.evaluate_drill(drill, by=request.user, findings=request.POST.get("findings", ""))
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Drill evaluated."))
    return redirect("incidents:drill", pk=drill.pk)
