"""Pages of the attendee app: thin — forms in, services do the work (REQ-ONS-02).

Lists, exports and the API mask phone and e-mail for whoever lacks `attendees.view_contact`; the detail page
shows them in full to permitted roles and logs that read in the audit trail.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huiyi.core import links
from huiyi.core.audit import record_access
from huiyi.core.forms import apply_service_errors
from huiyi.projects.models import MeetingProject

from . import badges, exports, forms, importing, qr, queries, services, uploads
from .models import Attendee, Category

PAGE_SIZE = 50


def _project(request, pk, permission: str = "attendees.view") -> MeetingProject:
    project = get_object_or_404(MeetingProject, pk=pk)
    if not request.user.has_perm("projects.view_meetingproject", project):
        raise PermissionDenied
    if not request.user.has_perm(permission, project):
        raise PermissionDenied
    return project


def _attendee(request, pk, permission: str = "attendees.view") -> Attendee:
    attendee = get_object_or_404(Attendee.objects.select_related("project", "ticket"), pk=pk)
    _project(request, attendee.project_id, permission)
    return attendee


def _filters(request) -> dict:
    return {
        "q": request.GET.get("q", "").strip()[:100],
        "category": request.GET.get("category", ""),
        "status": request.GET.get("status", ""),
    }


def _selection(request, project):
    filters = _filters(request)
    full = queries.may_see_contact(request.user, project)
    return queries.attendees(project, full_phone_search=full, **filters), filters, full


# -- list and detail --------------------------------------------------------------------------------------


@login_required
def attendee_list(request, pk):
    project = _project(request, pk)
    rows, filters, full = _selection(request, project)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for attendee in page.object_list:
        attendee.shown_phone, attendee.shown_email = queries.shown_contact(attendee, full)
    user = request.user
    context = {
        "project": project,
        "page": page,
        "filters": filters,
        "query": urlencode({k: v for k, v in filters.items() if v}),
        "counts": queries.counts(project),
        "categories": Category.choices,
        "statuses": Attendee.Status.choices,
        "full_contact": full,
        "can_add": user.has_perm("attendees.add", project),
        "can_import": user.has_perm("attendees.import", project),
        "can_print_badges": user.has_perm("attendees.scan", project),  # a badge carries the ticket's QR
    }
    return render(request, "attendees/list.html", context)


@login_required
def attendee_detail(request, pk):
    attendee = _attendee(request, pk)
    project = attendee.project
    user = request.user
    full = queries.may_see_contact(user, project)
    if full and (attendee.phone or attendee.email):
        record_access(attendee, user, note="contact details shown")
    phone, email = queries.shown_contact(attendee, full)
    can_scan = user.has_perm("attendees.scan", project)
    context = {
        "project": project,
        "attendee": attendee,
        "phone": phone,
        "email": email,
        "key": queries.shown_key(attendee, full),
        "full_contact": full,
        "can_change": user.has_perm("attendees.change", project),
        "can_scan": can_scan,
        "qr_svg": mark_safe(qr.svg(attendee.ticket.code, scale=6)) if can_scan else "",  # noqa: S308 — segno's own SVG of a URL-safe code
        "links": services.ticket_links(attendee) if user.has_perm("attendees.change", project) else [],
    }
    return render(request, "attendees/detail.html", context)


# -- add, edit, cancel ------------------------------------------------------------------------------------


def _form_page(request, project, form, title, save, *, form_id, back, intro=""):
    if request.method == "POST" and form.is_valid():
        try:
            attendee = save(form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("attendees:detail", attendee.pk)
    context = {
        "project": project,
        "form": form,
        "title": title,
        "form_id": form_id,
        "back": back,
        "intro": intro,
    }
    return render(request, "attendees/form.html", context, status=400 if form.errors else 200)


@login_required
def attendee_add(request, pk):
    project = _project(request, pk, "attendees.add")
    form = forms.AttendeeForm(request.POST or None)
    return _form_page(
        request,
        project,
        form,
        _("New attendee"),
        lambda data: services.create_attendee(project, by=request.user, **data),
        form_id="attendee-form",
        back=reverse("attendees:list", args=[project.pk]),
    )


@login_required
def attendee_edit(request, pk):
    attendee = _attendee(request, pk, "attendees.change")
    initial = {name: getattr(attendee, name) for name in services.EDITABLE}
    form = forms.AttendeeForm(request.POST or None, initial=initial)
    return _form_page(
        request,
        attendee.project,
        form,
        _("Edit %(name)s") % {"name": attendee.name},
        lambda data: services.update_attendee(attendee, by=request.user, **data),
        form_id="attendee-form",
        back=reverse("attendees:detail", args=[attendee.pk]),
    )


@login_required
def attendee_cancel(request, pk):
    attendee = _attendee(request, pk, "attendees.change")
    form = forms.CancelForm(request.POST or None)
    return _form_page(
        request,
        attendee.project,
        form,
        _("Cancel the registration of %(name)s") % {"name": attendee.name},
        lambda data: services.cancel_attendee(attendee, by=request.user, **data),
        form_id="cancel-form",
        back=reverse("attendees:detail", args=[attendee.pk]),
    )


@login_required
@require_POST
def attendee_reinstate(request, pk):
    attendee = _attendee(request, pk, "attendees.change")
    try:
        services.reinstate_attendee(attendee, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s is registered again.") % {"name": attendee.name})
    return redirect("attendees:detail", attendee.pk)


@login_required
@require_POST
def ticket_reissue(request, pk):
    attendee = _attendee(request, pk, "attendees.change")
    services.reissue_ticket(attendee, by=request.user)
    messages.success(
        request, _("A new ticket code is issued; the old one no longer works and sent links are withdrawn.")
    )
    return redirect("attendees:detail", attendee.pk)


@login_required
@require_POST
def ticket_link(request, pk):
    attendee = _attendee(request, pk, "attendees.change")
    try:
        link, token = services.issue_ticket_link(attendee, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("attendees:detail", attendee.pk)
    url = request.build_absolute_uri(reverse("attendees:ticket", args=[token]))
    return render(
        request,
        "attendees/link.html",
        {"project": attendee.project, "attendee": attendee, "link": link, "url": url},
    )


# -- the attendee's own ticket page (signed link, no account) ---------------------------------------------


def ticket_page(request, token):
    try:
        attendee = services.attendee_for_link(token)
    except links.LinkError as error:
        return render(request, "attendees/ticket.html", {"link_error": error.message}, status=410)
    with translation.override(attendee.language):
        context = {
            "attendee": attendee,
            "project": attendee.project,
            "meeting": attendee.project.name_en
            if attendee.language == "en" and attendee.project.name_en
            else attendee.project.name,
            "qr_svg": "" if attendee.is_cancelled else mark_safe(qr.svg(attendee.ticket.code, scale=10)),  # noqa: S308 — segno's own SVG
            "ended": attendee.project.end <= timezone.now(),
            "LANGUAGE_CODE": attendee.language,
        }
        response = render(request, "attendees/ticket.html", context)
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


# -- import -----------------------------------------------------------------------------------------------


@login_required
def import_upload(request, pk):
    project = _project(request, pk, "attendees.import")
    form = forms.UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > importing.MAX_FILE_BYTES:
            form.add_error(
                "file",
                _("The file is larger than %(size)s MB; split it into smaller files.")
                % {"size": importing.MAX_FILE_BYTES // (1024 * 1024)},
            )
        else:
            data = upload.read()
            try:
                importing.read_table(data, upload.name)  # refuse an unreadable file at once, before mapping
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                token = uploads.store(data, filename=upload.name, user=request.user, project=project)
                return redirect("attendees:import_mapping", project.pk, token)
    context = {"project": project, "form": form}
    return render(request, "attendees/import_upload.html", context, status=400 if form.errors else 200)


@login_required
def import_mapping(request, pk, token):
    """Step 2 (choose columns), step 3 (dry run: every bad row listed) and step 4 (apply)."""
    project = _project(request, pk, "attendees.import")
    data, filename = uploads.load(token, user=request.user, project=project)
    action = request.POST.get("action", "")
    if action == "abandon":
        uploads.discard(token)
        messages.info(request, _("The import was abandoned and the uploaded file deleted."))
        return redirect("attendees:list", project.pk)
    try:
        table = importing.read_table(data, filename)
    except ValidationError as error:
        uploads.discard(token)
        messages.error(request, " ".join(error.messages))
        return redirect("attendees:import", project.pk)
    guessed = importing.guess_mapping(table.headers)
    form = forms.MappingForm(
        request.POST if action else None,
        headers=table.headers,
        initial=forms.MappingForm.initial_for(guessed),
    )
    report = None
    status = 200
    if action in ("dry_run", "apply") and form.is_valid():
        skip = form.cleaned_data["skip_bad_rows"]
        try:
            report = services.import_attendees(
                project,
                data,
                filename=filename,
                by=request.user,
                mapping=form.mapping(),
                dry_run=action == "dry_run",
                skip_bad_rows=skip,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
            status = 400
        else:
            if report.applied:
                uploads.discard(token)
                messages.success(
                    request,
                    _(
                        "Import done: %(created)s added, %(updated)s updated, %(unchanged)s unchanged, "
                        "%(skipped)s bad rows skipped."
                    )
                    % {
                        "created": report.created,
                        "updated": report.updated,
                        "unchanged": report.unchanged,
                        "skipped": report.skipped,
                    },
                )
                return redirect("attendees:list", project.pk)
            if action == "apply":
                status = 400  # refused: bad rows and "skip" not ticked — nothing saved
    elif action:
        status = 400
    preview = list(zip(table.row_numbers[:5], table.rows[:5], strict=True))
    context = {
        "project": project,
        "token": token,
        "filename": filename,
        "table": table,
        "preview": preview,
        "form": form,
        "report": report,
        "refused": report is not None and action == "apply" and not report.applied,
        "column_fields": [form[f"col_{name}"] for name in importing.FIELDS],
    }
    return render(request, "attendees/import_mapping.html", context, status=status)


# -- export, badges ---------------------------------------------------------------------------------------


@login_required
def export_xlsx(request, pk):
    project = _project(request, pk)
    rows, filters, full = _selection(request, project)
    rows = list(rows)
    if full:
        record_access(
            project, request.user, note=f"attendee list exported with contact details ({len(rows)} rows)"
        )
    content = exports.attendees_xlsx(project, rows, full_contact=full)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{project.code}-attendees-{stamp}.xlsx"'
    return response


def _size(request) -> str:
    size = request.GET.get("size", "a6").lower()
    return size if size in badges.SIZES else "a6"


@login_required
def badges_pdf(request, pk):
    """Badges of the whole project or of the filtered selection (cancelled attendees only when asked).

    A badge carries its ticket's QR code: only who may scan tickets prints them (as the detail page's QR).
    """
    project = _project(request, pk)
    if not request.user.has_perm("attendees.scan", project):
        raise PermissionDenied
    rows, filters, _full = _selection(request, project)
    if not filters["status"]:
        rows = rows.filter(status=Attendee.Status.ACTIVE)
    rows = rows.only("name", "organisation", "title", "seat", "category", "language", "ticket__code")
    content = badges.badges_pdf(project, rows.iterator(chunk_size=2000), _size(request))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{project.code}-badges-{_size(request)}.pdf"'
    return response


@login_required
def attendee_badge(request, pk):
    attendee = _attendee(request, pk)
    if not request.user.has_perm("attendees.scan", attendee.project):  # the badge carries the ticket's QR
        raise PermissionDenied
    content = badges.badges_pdf(attendee.project, [attendee], _size(request))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="badge-{attendee.pk}-{_size(request)}.pdf"'
    return response
