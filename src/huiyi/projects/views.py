from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huiyi.core.paging import page_of

from . import queries, services, timeline
from .forms import MemberForm, ProjectForm
from .models import GreenMeasure, MeetingProject, Phase, ServiceGrade
from .phases import readiness
from .sections import sections


@login_required
def project_list(request):
    projects = queries.project_list(request.user)
    phase = request.GET.get("phase", "")
    if phase.isdigit() and int(phase) in Phase.values:
        projects = projects.filter(phase=int(phase))
    text = request.GET.get("q", "").strip()
    if text:
        projects = projects.filter(
            Q(name__icontains=text)
            | Q(name_en__icontains=text)
            | Q(code__icontains=text)
            | Q(client__name__icontains=text)
        )
    page, query = page_of(request, projects, 25)
    return render(
        request,
        "projects/list.html",
        {
            "page": page,
            "query": query,
            "phases": Phase.choices,
            "phase": phase,
            "q": text,
        },
    )


@login_required
def project_detail(request, pk: int):
    project = get_object_or_404(
        MeetingProject.objects.select_related("client", "org_unit", "meeting_type"), pk=pk
    )
    if not request.user.has_perm("projects.view_meetingproject", project):
        raise PermissionDenied
    members = project.members.select_related("user", "role").order_by("role__key", "user__username")
    return render(
        request,
        "projects/detail.html",
        {
            "project": project,
            "members": members,
            "phases": Phase.choices,
            "content_type_id": ContentType.objects.get_for_model(MeetingProject).pk,
            "sections": sections(),
            "readiness": readiness(project) if not project.closed_at else None,
            "service_grades": [
                ServiceGrade(g).label for g in project.service_grades if g in ServiceGrade.values
            ],
            "green_measures": [
                GreenMeasure(g).label for g in project.green_measures if g in GreenMeasure.values
            ],
            "can_edit": request.user.has_perm("projects.change_meetingproject", project),
        },
    )


@login_required
@permission_required("projects.add_meetingproject", raise_exception=True)
def project_create(request):
    form = ProjectForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        role = request.user.memberships.filter(role__permissions__codename="add_meetingproject").first()
        members = [(request.user, role.role)] if role else []
        project = services.create_project(created_by=request.user, members=members, **form.cleaned_data)
        messages.success(request, _("Meeting project %(code)s created.") % {"code": project.code})
        return redirect("projects:detail", pk=project.pk)
    return render(request, "projects/form.html", {"form": form, "project": None})


@login_required
def project_edit(request, pk: int):
    project = get_object_or_404(MeetingProject, pk=pk)
    if not request.user.has_perm("projects.change_meetingproject", project):
        raise PermissionDenied
    form = ProjectForm(request.POST or None, instance=project, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_project(project, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("projects:detail", pk=project.pk)
    return render(request, "projects/form.html", {"form": form, "project": project})


@login_required
@require_POST
def phase_close(request, pk: int):
    project = get_object_or_404(MeetingProject, pk=pk)
    if not request.user.has_perm("projects.change_meetingproject", project):
        raise PermissionDenied
    try:
        closure = services.close_phase(
            project, by=request.user, override_reason=request.POST.get("override_reason", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Phase %(phase)s closed.") % {"phase": closure.get_phase_display()})
    return redirect("projects:detail", pk=project.pk)


@login_required
def green_report(request):
    """REQ-GEN-05: green measures applied, per quarter, over the projects the user may see."""
    rows = queries.green_measures_by_quarter(request.user)
    return render(request, "projects/green.html", {"rows": rows, "measures": GreenMeasure.choices})


@login_required
def project_timeline(request, pk: int):
    project = get_object_or_404(MeetingProject, pk=pk)
    if not request.user.has_perm("projects.view_meetingproject", project):
        raise PermissionDenied
    return render(request, "projects/timeline.html", {"project": project, "events": timeline.events(project)})


@login_required
def project_team(request, pk: int):
    project = get_object_or_404(MeetingProject, pk=pk)
    if not request.user.has_perm("projects.view_meetingproject", project):
        raise PermissionDenied
    can_edit = request.user.has_perm("projects.change_meetingproject", project)
    form = MemberForm(request.POST or None, project=project)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if "remove" in request.POST:
            member = get_object_or_404(project.members, pk=request.POST["remove"])
            services.remove_member(member)
            messages.success(request, _("%(person)s left the team.") % {"person": member.user})
            return redirect("projects:team", pk=project.pk)
        if form.is_valid():
            services.add_member(project, form.cleaned_data["user"], form.cleaned_data["role"])
            messages.success(
                request, _("%(person)s joined the team.") % {"person": form.cleaned_data["user"]}
            )
            return redirect("projects:team", pk=project.pk)
    members = project.members.select_related("user", "user__org_unit", "role").order_by(
        "role__key", "user__username"
    )
    return render(
        request,
        "projects/team.html",
        {"project": project, "members": members, "form": form, "can_edit": can_edit},
    )
