"""Pages of the preparation app: thin — forms in, services do the work, back to the project page."""

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
from huiyi.core.forms import apply_service_errors
from huiyi.projects.models import MeetingProject
from huiyi.rulebook.services import rulebook_for

from . import forms, ics, queries, services
from .models import AttendeeCommunication, ClientMessage, MaterialItem, ReviewStep, Task, TrainingSession


def _require(request, permission: str, obj):
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied


def _back(project):
    return redirect(reverse("projects:detail", args=[project.pk]) + "#preparation")


def _form_page(request, project, form, title: str, save, *, form_id: str, intro: str = ""):
    """GET shows the form; a valid POST calls ``save(cleaned_data)`` and goes back to the project page."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return _back(project)
    context = {"project": project, "form": form, "title": title, "form_id": form_id, "intro": intro}
    return render(request, "preparation/form.html", context, status=400 if form.errors else 200)


def _project(request, pk, permission="preparation.manage"):
    project = get_object_or_404(MeetingProject, pk=pk)
    if not request.user.has_perm("projects.view_meetingproject", project):
        raise PermissionDenied
    _require(request, permission, project)
    return project


# -- tasks ------------------------------------------------------------------------------------------------


@login_required
def task_add(request, pk):
    project = _project(request, pk)
    form = forms.TaskForm(request.POST or None, project=project)
    return _form_page(
        request,
        project,
        form,
        _("New task"),
        lambda data: services.create_task(project, created_by=request.user, **data),
        form_id="task-form",
    )


@login_required
def task_edit(request, pk):
    task = get_object_or_404(Task.objects.select_related("project"), pk=pk)
    project = _project(request, task.project_id)
    initial = {
        "title": task.title,
        "owner": task.owner,
        "due": task.due,
        "done_criterion": task.done_criterion,
    }
    form = forms.TaskForm(request.POST or None, project=project, initial=initial)
    return _form_page(
        request,
        project,
        form,
        _("Task #%(number)s") % {"number": task.number},
        lambda data: services.update_task(task, **data),
        form_id="task-form",
    )


@login_required
@require_POST
def task_done(request, pk):
    task = get_object_or_404(Task.objects.select_related("project"), pk=pk)
    _require(request, "preparation.complete_task", task)
    try:
        if request.POST.get("reopen"):
            services.reopen_task(task, by=request.user)
        else:
            services.complete_task(task, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(task.project)


# -- review chain -----------------------------------------------------------------------------------------


@login_required
@require_POST
def review_start(request, pk):
    project = _project(request, pk)
    try:
        services.start_review(project, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The cross-department review has started."))
    return _back(project)


@login_required
def review_decide(request, pk):
    step = get_object_or_404(ReviewStep.objects.select_related("project"), pk=pk)
    _require(request, "preparation.review_step", step)
    form = forms.ReviewDecisionForm(request.POST or None)
    return _form_page(
        request,
        step.project,
        form,
        step.get_department_display(),
        lambda data: services.complete_review_step(step, by=request.user, **data),
        form_id="review-form",
    )


@login_required
@require_POST
def review_restart(request, pk):
    step = get_object_or_404(ReviewStep.objects.select_related("project"), pk=pk)
    _require(request, "preparation.review_step", step)
    try:
        services.restart_review_step(step, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(step.project)


# -- training ---------------------------------------------------------------------------------------------


@login_required
def training_add(request, pk):
    project = _project(request, pk, "preparation.record_training")
    form = forms.TrainingForm(request.POST or None)
    return _form_page(
        request,
        project,
        form,
        _("New training session"),
        lambda data: services.create_training(project, created_by=request.user, **data),
        form_id="training-form",
    )


@login_required
def training_attendance(request, pk):
    session = get_object_or_404(TrainingSession.objects.select_related("project"), pk=pk)
    project = _project(request, session.project_id, "preparation.record_training")
    members = forms.team_choices(project)
    form = forms.AttendanceForm(request.POST or None, session=session, members=members)
    if request.method == "POST" and form.is_valid():
        try:
            for user in form.members:
                attended = form.cleaned_data[f"attended_{user.pk}"]
                score = form.cleaned_data[f"score_{user.pk}"]
                if attended or score is not None:
                    services.record_attendance(session, user=user, attended=attended, score=score)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return _back(project)
    context = {"project": project, "session": session, "form": form}
    return render(request, "preparation/attendance.html", context, status=400 if form.errors else 200)


@login_required
def host_evaluation_add(request, pk):
    project = _project(request, pk, "preparation.record_training")
    form = forms.HostEvaluationForm(request.POST or None)
    return _form_page(
        request,
        project,
        form,
        _("Host / MC evaluation"),
        lambda data: services.record_host_evaluation(project, created_by=request.user, **data),
        form_id="host-form",
    )


# -- materials --------------------------------------------------------------------------------------------


@login_required
def material_add(request, pk):
    project = _project(request, pk)
    form = forms.MaterialForm(request.POST or None)
    return _form_page(
        request,
        project,
        form,
        _("New material item"),
        lambda data: services.create_material(project, created_by=request.user, **data),
        form_id="material-form",
    )


@login_required
def material_decision(request, pk):
    item = get_object_or_404(MaterialItem.objects.select_related("project"), pk=pk)
    project = _project(request, item.project_id)
    form = forms.DesignDecisionForm(request.POST or None)
    return _form_page(
        request,
        project,
        form,
        _("Client's decision on the design of %(name)s") % {"name": item.name},
        lambda data: services.record_design_decision(item, by=request.user, **data),
        form_id="decision-form",
    )


@login_required
@require_POST
def material_link(request, pk):
    item = get_object_or_404(MaterialItem.objects.select_related("project"), pk=pk)
    project = _project(request, item.project_id)
    link, token = services.issue_design_approval_link(item, by=request.user)
    url = request.build_absolute_uri(reverse("preparation:approve", args=[token]))
    return render(
        request, "preparation/link.html", {"project": project, "item": item, "link": link, "url": url}
    )


@login_required
def material_delivery(request, pk):
    item = get_object_or_404(MaterialItem.objects.select_related("project"), pk=pk)
    project = _project(request, item.project_id)
    form = forms.DeliveryForm(
        request.POST or None, initial={"delivered_at": item.delivered_at, "satisfaction": item.satisfaction}
    )

    def save(data):
        services.record_delivery(item, by=request.user, delivered_at=data["delivered_at"])
        if data["satisfaction"]:
            services.rate_material(item, by=request.user, satisfaction=data["satisfaction"])

    return _form_page(
        request, project, form, _("Delivery of %(name)s") % {"name": item.name}, save, form_id="delivery-form"
    )


def approve_design(request, token):
    """The client's page behind the signed link: the design item only, approve or reject, once."""
    try:
        link = links.resolve(token, services.DESIGN_APPROVAL_PURPOSE)
    except links.LinkError as error:
        return render(request, "preparation/approve.html", {"link_error": error.message}, status=410)
    item = MaterialItem.objects.select_related("project").get(pk=link.object_id)
    form = forms.PublicDesignDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_design_by_link(
                token,
                approved=request.POST.get("decision") == "approve",
                address=request.META.get("REMOTE_ADDR", ""),
                **form.cleaned_data,
            )
        except links.LinkError as error:
            return render(request, "preparation/approve.html", {"link_error": error.message}, status=410)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            item.refresh_from_db()
            return render(request, "preparation/approve.html", {"item": item, "done": True})
    return render(request, "preparation/approve.html", {"item": item, "form": form})


# -- communications ---------------------------------------------------------------------------------------


@login_required
def message_add(request, pk):
    project = _project(request, pk)
    form = forms.ClientMessageForm(request.POST or None)
    return _form_page(
        request,
        project,
        form,
        _("Log a client message"),
        lambda data: services.log_client_message(project, created_by=request.user, **data),
        form_id="message-form",
    )


@login_required
@require_POST
def message_responded(request, pk):
    message = get_object_or_404(ClientMessage.objects.select_related("project"), pk=pk)
    _project(request, message.project_id)
    try:
        services.record_response(message, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(message.project)


@login_required
def attendee_add(request, pk):
    project = _project(request, pk)
    form = forms.AttendeeCommunicationForm(request.POST or None)
    return _form_page(
        request,
        project,
        form,
        _("Plan an attendee communication"),
        lambda data: services.plan_attendee_communication(project, created_by=request.user, **data),
        form_id="attendee-form",
    )


@login_required
@require_POST
def attendee_sent(request, pk):
    item = get_object_or_404(AttendeeCommunication.objects.select_related("project"), pk=pk)
    _project(request, item.project_id)
    try:
        services.mark_attendee_communication_sent(item, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(item.project)


# -- team chart and calendar ------------------------------------------------------------------------------


@login_required
def team(request, pk):
    project = _project(request, pk, "preparation.view")
    context = {
        "project": project,
        "members": queries.team(project),
        "unstaffed": queries.unstaffed_roles(project, rulebook_for(project)),
    }
    return render(request, "preparation/team.html", context)


@login_required
def task_list(request, pk):
    """Every task of the project (the project page shows only the open ones due soonest)."""
    project = _project(request, pk, "preparation.view")
    page = Paginator(queries.project_tasks(project), 50).get_page(request.GET.get("page"))
    context = {"project": project, "page": page, "now": timezone.now()}
    return render(request, "preparation/tasks.html", context)


@login_required
def schedule_ics(request, pk):
    project = _project(request, pk, "preparation.view")
    response = HttpResponse(ics.project_calendar(project), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{project.code}.ics"'
    return response
