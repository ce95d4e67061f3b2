"""Disposition pages: thin — forms in, services validate and save (one path with the API)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from huiyi.documents import catalogue
from huiyi.documents.models import Document
from huiyi.documents.rules import can_read
from huiyi.projects.models import MeetingProject
from huiyi.projects.queries import can_see_project
from huiyi.rulebook.services import active_rulebook

from . import queries, services
from .forms import DecisionForm, HoldForm, QueueFilterForm, RequestForm
from .models import DispositionRequest


def _messages_from(request, error: ValidationError) -> None:
    for problem in error.messages:
        messages.error(request, problem)


def _document(request, pk: int) -> Document:
    document = get_object_or_404(Document.objects.select_related("project", "project__org_unit"), pk=pk)
    if not can_read(request.user, document):
        raise Http404
    return document


def _request(request, pk: int) -> DispositionRequest:
    row = get_object_or_404(
        DispositionRequest.objects.select_related(
            "document", "document__project", "document__project__org_unit", "requested_by", "decided_by"
        ),
        pk=pk,
    )
    if not request.user.has_perm("disposition.view", row):
        raise Http404
    return row


def _back(request, fallback):
    """Back to the page the form was on: a path of this site only ("/\\evil.example" is another site to a
    browser, which reads the backslash as a slash; issue 10)."""
    target = request.POST.get("next", "")
    local = target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(target if local else fallback)


@login_required
@require_GET
def queue(request, pk: int | None = None):
    if not request.user.has_perm("disposition.queue"):
        raise PermissionDenied
    project = None
    if pk is not None:
        project = get_object_or_404(MeetingProject, pk=pk)
        if not can_see_project(request.user, project):
            raise Http404
    rulebook = active_rulebook()
    form = QueueFilterForm(
        request.GET or None,
        types=catalogue.doc_types(rulebook),
        classes=catalogue.retention_choices(rulebook),
    )
    values = form.values()
    today = timezone.localdate()
    documents = queries.queue(request.user, project=project, today=today, **values)
    page = Paginator(documents, 50).get_page(request.GET.get("page"))
    open_requests = queries.open_requests_by_document(d.pk for d in page.object_list)
    types = dict(catalogue.doc_types(rulebook))
    classes = dict(catalogue.retention_choices(rulebook))
    rows = [
        {
            "d": d,
            "type": types.get(d.doc_type, d.doc_type),
            "class": classes.get(d.retention_class, d.retention_class),
            "overdue": (today - d.retention_until).days,
            "left": (d.retention_until - today).days,
            "request": open_requests.get(d.pk),
        }
        for d in page.object_list
    ]
    pending = queries.requests(request.user, status=DispositionRequest.Status.PENDING, project=project)
    leads: dict = {}  # approvers depend on the project only: asked once per project on the page
    to_approve = []
    for row in pending[:50]:
        key = row.document.project_id
        if key not in leads:
            leads[key] = services.is_approver(request.user, row.document)
        if leads[key]:
            to_approve.append(row)
    return render(
        request,
        "disposition/queue.html",
        {
            "project": project,
            "form": form,
            "state": values["state"],
            "days": values["days"],
            "rows": rows,
            "page": page,
            "counts": queries.counts(request.user, today=today, days=values["days"])
            if project is None
            else None,
            "to_approve": [r for r in to_approve if r.requested_by_id != request.user.pk],
            "today": today,
        },
    )


@login_required
@require_POST
def request_destruction(request, pk: int):
    document = _document(request, pk)
    if not request.user.has_perm("disposition.request", document):
        raise PermissionDenied
    form = RequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for the destruction."))
        return _back(request, document_url(document))
    try:
        row = services.request_destruction(document, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        _messages_from(request, error)
        return _back(request, document_url(document))
    messages.success(request, _("Destruction requested: the meeting's lead is asked to approve it."))
    return redirect("disposition:request", row.pk)


def document_url(document) -> str:
    from django.urls import reverse

    return reverse("documents:detail", args=[document.pk])


@login_required
@require_GET
def request_detail(request, pk: int):
    row = _request(request, pk)
    document = row.document
    today = timezone.localdate()
    rulebook = active_rulebook()
    is_lead = services.is_approver(request.user, document)
    return render(
        request,
        "disposition/request.html",
        {
            "r": row,
            "document": document,
            "project": document.project,
            "type_label": catalogue.type_label(rulebook, document.doc_type),
            "blockers": services.blockers(document, today=today),
            "approvers": services.approvers(document),
            "can_decide": row.status == DispositionRequest.Status.PENDING
            and is_lead
            and row.requested_by_id != request.user.pk,
            "is_requester": row.requested_by_id == request.user.pk,
            "can_destroy": row.status == DispositionRequest.Status.APPROVED
            and request.user.has_perm("disposition.destroy", document),
            "decision_form": DecisionForm(),
            "versions": document.versions.order_by("number"),
            "record": getattr(row, "record", None)
            if row.status == DispositionRequest.Status.EXECUTED
            else None,
        },
    )


def _decide(request, pk: int, action: str):
    row = _request(request, pk)
    form = DecisionForm(request.POST)
    note = form.data.get("note", "")
    try:
        if action == "approve":
            services.approve(row, by=request.user, note=note)
            messages.success(request, _("Destruction approved."))
        elif action == "reject":
            services.reject(row, by=request.user, note=note)
            messages.success(request, _("Destruction rejected."))
        elif action == "withdraw":
            services.withdraw(row, by=request.user)
            messages.success(request, _("Request withdrawn."))
    except ValidationError as error:
        _messages_from(request, error)
    except PermissionDenied as error:
        messages.error(request, str(error) or _("Your roles do not allow this."))
    return redirect("disposition:request", row.pk)


@login_required
@require_POST
def approve(request, pk: int):
    return _decide(request, pk, "approve")


@login_required
@require_POST
def reject(request, pk: int):
    return _decide(request, pk, "reject")


@login_required
@require_POST
def withdraw(request, pk: int):
    return _decide(request, pk, "withdraw")


@login_required
@require_POST
def destroy(request, pk: int):
    row = _request(request, pk)
    if not request.user.has_perm("disposition.destroy", row.document):
        raise PermissionDenied
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that every version will be destroyed."))
        return redirect("disposition:request", row.pk)
    try:
        record = services.destroy(row, by=request.user)
    except ValidationError as error:
        _messages_from(request, error)
        return redirect("disposition:request", row.pk)
    messages.success(request, _("Destroyed. The destruction record is kept."))
    return redirect("disposition:record", record.pk)


@login_required
@require_POST
def hold(request, pk: int, action: str):
    document = _document(request, pk)
    if not request.user.has_perm("documents.hold", document):
        raise PermissionDenied
    form = HoldForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for the legal hold."))
        return _back(request, document_url(document))
    try:
        if action == "place":
            services.place_hold(document, by=request.user, reason=form.cleaned_data["reason"])
            messages.success(
                request, _("Legal hold placed: the document cannot be destroyed while it lasts.")
            )
        else:
            services.lift_hold(document, by=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("Legal hold lifted."))
    except ValidationError as error:
        _messages_from(request, error)
    return _back(request, document_url(document))


@login_required
@require_GET
def records(request):
    if not request.user.has_perm("disposition.records"):
        raise PermissionDenied
    rows = queries.records(request.user)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "disposition/records.html", {"page": page, "records": page.object_list})


@login_required
@require_GET
def record_detail(request, pk: int):
    if not request.user.has_perm("disposition.records"):
        raise PermissionDenied
    record = get_object_or_404(queries.records(request.user), pk=pk)
    rulebook = active_rulebook()
    return render(
        request,
        "disposition/record.html",
        {
            "record": record,
            "type_label": catalogue.type_label(rulebook, record.doc_type),
            "class_label": dict(catalogue.retention_choices(rulebook)).get(
                record.retention_class, record.retention_class
            ),
            "files": record.files.all(),
        },
    )
