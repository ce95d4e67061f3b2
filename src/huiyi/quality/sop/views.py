"""Pages of the SOP library: thin — forms in, services judge and save, back to the page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from huiyi.core.files import download
from huiyi.core.forms import apply_service_errors

from . import forms, queries, services
from .models import Procedure, ProcedureVersion


def _need(request, permission: str):
    if not request.user.has_perm(permission):
        raise PermissionDenied


@login_required
def library(request):
    _need(request, "sop.read")
    return render(
        request,
        "sop/list.html",
        {
            "procedures": queries.procedures(),
            "status": queries.meeting_status(),
            "meetings": queries.meetings()[:8],
            "can_edit": request.user.has_perm("sop.edit"),
            "can_meet": request.user.has_perm("sop.record_meeting"),
        },
    )


@login_required
def procedure_new(request):
    _need(request, "sop.edit")
    form = forms.ProcedureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["title"] = {"zh-hans": data.pop("title_zh"), "en": data.pop("title_en") or ""}
        try:
            procedure = services.create_procedure(by=request.user, **data)
        except ValidationError as error:
            apply_service_errors(form, error, aliases={"title": "title_zh"})
        else:
            messages.success(request, _("Procedure created; add its first version."))
            return redirect("sop:version_new", pk=procedure.pk)
    return render(request, "sop/form.html", {"form": form, "heading": _("New procedure")})


@login_required
def procedure_detail(request, pk):
    _need(request, "sop.read")
    procedure = get_object_or_404(queries.procedures(), pk=pk)
    return render(
        request,
        "sop/detail.html",
        {
            "procedure": procedure,
            "versions": queries.versions(procedure),
            "can_add_version": request.user.has_perm("sop.add_version"),
        },
    )


@login_required
def version_new(request, pk):
    _need(request, "sop.add_version")
    procedure = get_object_or_404(Procedure, pk=pk)
    form = forms.VersionForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.add_version(procedure, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Version %(n)s approved.") % {"n": version.number})
            return redirect("sop:detail", pk=procedure.pk)
    return render(
        request,
        "sop/form.html",
        {"form": form, "heading": _("New version of %(code)s") % {"code": procedure.code}, "multipart": True},
    )


@login_required
def version_file(request, pk):
    _need(request, "sop.read")
    version = get_object_or_404(ProcedureVersion, pk=pk)
    if not version.file:
        raise Http404
    extension = version.file.name.rsplit(".", 1)[-1] if "." in version.file.name else "bin"
    name = f"{version.procedure.code}-v{version.number}.{extension}"
    return download(version.file, name)  # type from the bytes, an attachment (issue 10)


@login_required
def meeting_new(request):
    _need(request, "sop.record_meeting")
    form = forms.MeetingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.record_meeting(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Meeting recorded."))
            return redirect("sop:meeting", pk=meeting.pk)
    return render(
        request, "sop/form.html", {"form": form, "heading": _("Record a process-optimisation meeting")}
    )


@login_required
def meeting_detail(request, pk):
    _need(request, "sop.read")
    meeting = get_object_or_404(queries.meetings(), pk=pk)
    return render(request, "sop/meeting.html", {"meeting": meeting})
