"""Pages of complaints: thin — forms in, services judge and save, back to the page."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huiyi.calendar import services as calendar
from huiyi.core import links, ratelimit
from huiyi.core.forms import apply_service_errors
from huiyi.core.paging import page_of
from huiyi.projects.models import MeetingProject
from huiyi.rulebook.services import rulebook_for

from . import forms, queries, services, sla
from .models import Complaint, ComplaintAttachment

#: Public form flood protection (not numbers of the specification): submissions per address and per link.
PUBLIC_RATE = int(getattr(settings, "HUIYI_COMPLAINT_RATE", 5))
PUBLIC_LINK_RATE = int(getattr(settings, "HUIYI_COMPLAINT_LINK_RATE", 60))
PUBLIC_WINDOW_SECONDS = int(getattr(settings, "HUIYI_COMPLAINT_RATE_WINDOW", 600))
LIST_PAGE = 50


def _project(request, pk: int, permission: str = "complaints.view") -> MeetingProject:
    project = get_object_or_404(MeetingProject.objects.select_related("client", "org_unit"), pk=pk)
    if not request.user.has_perm("projects.view_meetingproject", project):
        raise Http404
    if not request.user.has_perm(permission, project):
        raise PermissionDenied
    return project


def _complaint(request, pk: int, permission: str = "complaints.view") -> Complaint:
    complaint = get_object_or_404(
        Complaint.objects.select_related("project", "owner", "nonconformance", "project__org_unit"), pk=pk
    )
    if not request.user.has_perm("projects.view_meetingproject", complaint.project):
        raise Http404
    if not request.user.has_perm(permission, complaint):
        raise PermissionDenied
    return complaint


def _period(form) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    data = form.cleaned_data if form.is_valid() else {}
    end = data.get("end") or today
    start = data.get("start") or end.replace(month=1, day=1)
    return start, end


@login_required
def complaint_list(request):
    """All complaints the user sees, with filters, clocks in colour and CCP 9 over a period."""
    if not request.user.has_perm("complaints.dashboard"):
        raise PermissionDenied
    form = forms.FilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    project = None
    if data.get("project"):
        project = _project(request, data["project"])
    now = timezone.now()
    complaints = queries.complaint_list(
        request.user, state=data.get("state", ""), severity=data.get("severity", ""), project=project, now=now
    )
    page, query = page_of(request, complaints, LIST_PAGE)
    cal = calendar.work_calendar(request)
    rows = [
        {
            "c": c,
            "clocks": queries.clock_views(c, cal, now),
            "name": queries.mask_name(c.complainant_name),
            "contact": queries.mask_contact(c.complainant_contact or c.complainant_email),
        }
        for c in page
    ]
    start, end = _period(form)
    context = {
        "form": form,
        "rows": rows,
        "page": page,
        "query": query,
        "project": project,
        "rate": queries.serious_rate(start, end, user=request.user),
        "open_count": queries.visible_complaints(request.user)
        .filter(status__in=Complaint.OPEN_STATUSES)
        .count(),
        "breached_count": queries.visible_complaints(request.user).filter(queries.breached_q(now)).count(),
        "severity_label": sla.severity_label,
    }
    return render(request, "complaints/list.html", context)


@login_required
def complaint_new(request, pk: int):
    project = _project(request, pk, "complaints.add")
    rulebook = rulebook_for(project)
    form = forms.ComplaintForm(
        request.POST or None, request.FILES or None, project=project, rulebook=rulebook
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            complaint = services.create_complaint(project, by=request.user, **data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Complaint %(ref)s recorded.") % {"ref": complaint.reference})
            return redirect("complaints:detail", pk=complaint.pk)
    context = {"project": project, "form": form, "severity_rules": sla.targets(rulebook)}
    return render(request, "complaints/form.html", context, status=400 if form.errors else 200)


@login_required
def complaint_detail(request, pk: int):
    complaint = _complaint(request, pk)
    project = complaint.project
    rulebook = rulebook_for(project)
    user = request.user
    now = timezone.now()
    roles = services.escalation_roles(complaint, rulebook)
    events = list(complaint.events.select_related("actor"))
    context = {
        "complaint": complaint,
        "project": project,
        "clocks": queries.clock_views(complaint, calendar.work_calendar(request), now),
        "events": events,
        "attachments": list(complaint.attachments.all()),
        "severity": sla.severity_label(complaint.severity),
        "targets": sla.targets_for(rulebook, complaint.severity),
        "chain": [
            {
                "level": level,
                "label": sla.level_label(level, roles, rulebook),
                "reached": level <= complaint.escalation_level,
            }
            for level in range(len(roles) + 1)
        ],
        "level_label": sla.level_label(complaint.escalation_level, roles, rulebook),
        "can_handle": user.has_perm("complaints.handle", complaint),
        "can_close": user.has_perm("complaints.close", complaint),
        "can_escalate": user.has_perm("complaints.escalate", complaint),
        "can_raise_nc": user.has_perm("complaints.raise_nc", complaint),
        "close_form": forms.CloseForm(
            initial={"confirmed_at": timezone.localtime().replace(second=0, microsecond=0)}
        ),
        "severity_form": forms.SeverityForm(rulebook=rulebook, initial={"severity": complaint.severity}),
        "assign_form": forms.AssignForm(project=project, initial={"owner": complaint.owner_id}),
        "Status": Complaint.Status,
    }
    return render(request, "complaints/detail.html", context)


def _act(request, pk: int, permission: str, action, success: str):
    complaint = _complaint(request, pk, permission)
    try:
        action(complaint)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect("complaints:detail", pk=complaint.pk)


def _post(request, name: str) -> str:
    return request.POST.get(name, "")


@login_required
@require_POST
def acknowledge(request, pk):
    return _act(
        request,
        pk,
        "complaints.handle",
        lambda c: services.acknowledge(c, by=request.user, note=_post(request, "note")),
        _("First response recorded."),
    )


@login_required
@require_POST
def start(request, pk):
    return _act(
        request,
        pk,
        "complaints.handle",
        lambda c: services.start_work(c, by=request.user),
        _("Work started."),
    )


@login_required
@require_POST
def pause(request, pk):
    return _act(
        request,
        pk,
        "complaints.handle",
        lambda c: services.pause(c, by=request.user, reason=_post(request, "reason")),
        _("Waiting for the client: the clock is paused."),
    )


@login_required
@require_POST
def resume(request, pk):
    return _act(
        request,
        pk,
        "complaints.handle",
        lambda c: services.resume(c, by=request.user, note=_post(request, "note")),
        _("The clock runs again."),
    )


@login_required
@require_POST
def resolve(request, pk):
    return _act(
        request,
        pk,
        "complaints.handle",
        lambda c: services.resolve(c, by=request.user, resolution=_post(request, "resolution")),
        _("Resolution recorded."),
    )


@login_required
@require_POST
def close(request, pk):
    complaint = _complaint(request, pk, "complaints.close")
    form = forms.CloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("complaints:detail", pk=complaint.pk)
    return _act(
        request,
        pk,
        "complaints.close",
        lambda c: services.close(c, by=request.user, **form.cleaned_data),
        _("Complaint closed."),
    )


@login_required
@require_POST
def reopen(request, pk):
    return _act(
        request,
        pk,
        "complaints.close",
        lambda c: services.reopen(c, by=request.user, reason=_post(request, "reason")),
        _("Complaint reopened."),
    )


@login_required
@require_POST
def escalate(request, pk):
    return _act(
        request,
        pk,
        "complaints.escalate",
        lambda c: services.escalate(c, by=request.user, reason=_post(request, "reason")),
        _("Complaint escalated."),
    )


@login_required
@require_POST
def severity(request, pk):
    return _act(
        request,
        pk,
        "complaints.handle",
        lambda c: services.change_severity(
            c, _post(request, "severity"), by=request.user, note=_post(request, "note")
        ),
        _("Severity changed; the clocks follow it."),
    )


@login_required
@require_POST
def assign(request, pk):
    complaint = _complaint(request, pk, "complaints.handle")
    form = forms.AssignForm(request.POST, project=complaint.project)
    if not form.is_valid():
        messages.error(request, _("Choose a member of the project team."))
        return redirect("complaints:detail", pk=complaint.pk)
    return _act(
        request,
        pk,
        "complaints.handle",
        lambda c: services.assign(c, form.cleaned_data["owner"], by=request.user),
        _("Owner changed."),
    )


@login_required
@require_POST
def raise_nc(request, pk):
    complaint = _complaint(request, pk, "complaints.raise_nc")
    had = complaint.nonconformance_id
    try:
        nc = services.raise_nonconformance(complaint, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("complaints:detail", pk=complaint.pk)
    if had:
        messages.info(request, _("%(nc)s was raised for this complaint already.") % {"nc": nc.code})
    else:
        messages.success(request, _("%(nc)s raised.") % {"nc": nc.code})
    return redirect("complaints:detail", pk=complaint.pk)


@login_required
@require_POST
def attach(request, pk):
    complaint = _complaint(request, pk, "complaints.handle")
    form = forms.ComplaintForm.base_fields["attachments"]
    try:
        files = form.clean(request.FILES.getlist("attachments"))
        added = services.add_attachments(complaint, files, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(n)s file(s) attached.") % {"n": len(added)})
    return redirect("complaints:detail", pk=complaint.pk)


@login_required
def attachment(request, pk):
    item = get_object_or_404(ComplaintAttachment.objects.select_related("complaint__project"), pk=pk)
    _complaint(request, item.complaint_id)
    response = FileResponse(
        item.file.open("rb"), as_attachment=True, filename=item.name, content_type=item.mime
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def project_links(request, pk):
    """Issue a link to the project's public complaint form; the address is shown once."""
    project = _project(request, pk, "complaints.manage_links")
    form = forms.LinkForm(request.POST or None)
    new_url = None
    if request.method == "POST" and form.is_valid():
        try:
            _link, token = services.issue_public_link(
                project, by=request.user, days=form.cleaned_data["days"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            new_url = request.build_absolute_uri(reverse("complaints:public", args=[token]))
    context = {
        "project": project,
        "form": form,
        "new_url": new_url,
        "links": list(services.public_links(project)[:20]),
        "now": timezone.now(),
    }
    return render(request, "complaints/links.html", context)


@login_required
@require_POST
def revoke_link(request, pk, link_pk):
    project = _project(request, pk, "complaints.manage_links")
    link = get_object_or_404(services.public_links(project), pk=link_pk)
    links.revoke(link)
    messages.success(request, _("The link no longer works."))
    return redirect("complaints:links", pk=project.pk)


@login_required
def panel(request, pk):
    project = _project(request, pk, "projects.view_meetingproject")
    return render(request, "complaints/_cockpit_panel.html", {"project": project})


# ------------------------------------------------------------------------------------------------------
# public


def _client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _over_limit(key: str, limit: int) -> bool:
    """Count one submission under ``key`` in the current window; True once over ``limit``."""
    return not ratelimit.hit("complaints:public", key, limit, PUBLIC_WINDOW_SECONDS)


def public_form(request, token):
    """The complainant's form behind the project's link: no account, CSRF, honeypot, rate limit."""
    try:
        link = links.resolve(token, services.PUBLIC_LINK_PURPOSE)
    except links.LinkError as error:
        return render(request, "complaints/public.html", {"link_error": error.message}, status=410)
    project = get_object_or_404(MeetingProject, pk=link.object_id)
    form = forms.PublicComplaintForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        address = _client_address(request)
        if _over_limit(f"ip:{address}", PUBLIC_RATE) or _over_limit(f"link:{link.pk}", PUBLIC_LINK_RATE):
            form.add_error(
                None, _("Too many complaints were sent from here just now. Please try again later.")
            )
            status = 429
        elif request.POST.get("website"):
            form.add_error(None, _("Your complaint could not be accepted. Please try again."))
            status = 400
        elif form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "website"}
            try:
                complaint = services.submit_public(
                    token, address=address, language=translation.get_language(), **data
                )
            except links.LinkError as error:
                return render(request, "complaints/public.html", {"link_error": error.message}, status=410)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                request.session["complaints_received"] = complaint.reference
                return redirect("complaints:public_received", token=token)
        if form.errors and status == 200:
            status = 400
    context = {
        "project": project,
        "form": form,
        "max_mb": services.ATTACHMENT_MAX_BYTES // (1024 * 1024),
        "max_files": services.ATTACHMENT_MAX_COUNT,
    }
    return render(request, "complaints/public.html", context, status=status)


def public_received(request, token):
    reference = request.session.get("complaints_received")
    try:
        link = links.resolve(token, services.PUBLIC_LINK_PURPOSE)
        project = MeetingProject.objects.get(pk=link.object_id)
    except (links.LinkError, MeetingProject.DoesNotExist):
        project = None
    if not reference:
        return (
            redirect("complaints:public", token=token)
            if project
            else render(
                request, "complaints/public.html", {"link_error": links.LinkInvalid.message}, status=410
            )
        )
    return render(
        request, "complaints/received.html", {"reference": reference, "project": project, "token": token}
    )
