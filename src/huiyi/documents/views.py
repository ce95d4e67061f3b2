"""Document pages: thin — forms in, services validate and save. Files are only ever served from here,
through a permission check (never by the static or media server); very-high reads are logged."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from huiyi.core.forms import apply_service_errors
from huiyi.projects.models import MeetingProject
from huiyi.rulebook.services import rulebook_for

from . import catalogue, queries, services
from .forms import DocumentForm, VersionForm
from .models import AccessLog, Confidentiality, Document, DocumentVersion
from .rules import can_add_version, can_read


def _project(request, pk: int, permission: str = "documents.list") -> MeetingProject:
    project = get_object_or_404(MeetingProject.objects.select_related("rulebook_version"), pk=pk)
    if not request.user.has_perm("projects.view_meetingproject", project):
        raise Http404
    if not request.user.has_perm(permission, project):
        raise PermissionDenied
    return project


def _document(request, pk: int) -> Document:
    document = get_object_or_404(Document.objects.select_related("project", "current_version"), pk=pk)
    if not can_read(request.user, document):
        raise Http404  # a document one may not read is a document that does not exist
    return document


@login_required
@require_GET
def index(request):
    if not request.user.has_perm("documents.view_document"):
        raise PermissionDenied
    documents = queries.readable(request.user).order_by("-updated_at", "-pk")
    page = Paginator(documents, 50).get_page(request.GET.get("page"))
    return render(request, "documents/index.html", {"page": page, "documents": page.object_list})


@login_required
@require_GET
def project_documents(request, pk: int):
    project = _project(request, pk)
    rulebook = rulebook_for(project)
    doc_type = request.GET.get("type", "")
    confidentiality = request.GET.get("class", "")
    documents = queries.project_documents(
        request.user, project, doc_type=doc_type, confidentiality=confidentiality
    ).order_by("doc_type", "title")
    labels = dict(catalogue.doc_types(rulebook))
    rows = [(d, labels.get(d.doc_type, d.doc_type)) for d in documents]
    return render(
        request,
        "documents/project.html",
        {
            "project": project,
            "rows": rows,
            "types": catalogue.doc_types(rulebook),
            "classes": Confidentiality.choices,
            "doc_type": doc_type,
            "confidentiality": confidentiality,
            "can_file": request.user.has_perm("documents.file_in", project),
            "can_sign": request.user.has_perm("documents.sign_agreement", project),
            "signed": queries.has_signed(request.user, project),
            "can_log": request.user.has_perm("documents.view_log", project),
        },
    )


@login_required
def document_new(request, pk: int):
    project = _project(request, pk, "documents.file_in")
    rulebook = rulebook_for(project)
    form = DocumentForm(request.POST or None, request.FILES or None, rulebook=rulebook)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.create_document(
                project=project,
                doc_type=data["doc_type"],
                title=data["title"],
                retention_class=data["retention_class"],
                confidentiality=data["confidentiality"],
                trigger_kind=data["trigger_kind"],
                trigger_date=data["trigger_date"],
                upload=data["file"],
                change_note=data["change_note"],
                by=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Filed as “%(name)s”.") % {"name": document.current_version.name})
            return redirect("documents:detail", document.pk)
    suggestions = {
        key: services.suggested_name(project, key) for key, _label in catalogue.doc_types(rulebook)
    }
    return render(
        request,
        "documents/new.html",
        {
            "project": project,
            "form": form,
            "suggestions": suggestions,
            "first_suggestion": suggestions.get(
                form["doc_type"].value() or "", next(iter(suggestions.values()))
            ),
            "max_mb": services.max_upload_bytes() // (1024 * 1024),
        },
    )


@login_required
@require_GET
def document_detail(request, pk: int):
    document = _document(request, pk)
    services.log_access(document, request.user, AccessLog.Action.VIEW, meta=request.META)
    rulebook = rulebook_for(document.project) if document.project else None
    from huiyi.rulebook.services import active_rulebook

    rulebook = rulebook or active_rulebook()
    can_log = request.user.has_perm("documents.view_log", document)
    return render(
        request,
        "documents/detail.html",
        {
            "document": document,
            "project": document.project,
            "type_label": catalogue.type_label(rulebook, document.doc_type),
            "retention_label": queries.retention_label(rulebook, document),
            "versions": document.versions.select_related("author"),
            "version_form": VersionForm(),
            "can_add_version": can_add_version(request.user, document),
            "can_log": can_log,
            "log": queries.access_log(request.user, document=document)[:100] if can_log else [],
            "max_mb": services.max_upload_bytes() // (1024 * 1024),
        },
    )


@login_required
@require_POST
def version_add(request, pk: int):
    document = _document(request, pk)
    if not can_add_version(request.user, document):
        raise PermissionDenied
    form = VersionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            version = services.add_version(
                document,
                upload=form.cleaned_data["file"],
                change_note=form.cleaned_data["change_note"],
                by=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("Version %(n)s filed as “%(name)s”.") % {"n": version.number, "name": version.name}
            )
            return redirect("documents:detail", document.pk)
    for field, problems in form.errors.items():
        for problem in problems:
            messages.error(request, f"{form.fields[field].label if field in form.fields else ''}: {problem}")
    return redirect("documents:detail", document.pk)


@login_required
@require_GET
def download(request, pk: int):
    version = get_object_or_404(
        DocumentVersion.objects.select_related("document", "document__project"), pk=pk
    )
    if not can_read(request.user, version.document):
        raise Http404
    if version.document.destroyed_at is not None:  # REQ-DOC-06: the bytes are gone, the trace stays
        from .disposition.queries import destroyed_message

        messages.error(request, destroyed_message(version.document))
        return redirect("documents:detail", version.document.pk)
    chunks = services.open_version(version, user=request.user, meta=request.META)
    # Streamed chunk by chunk (decrypted on the fly when encrypted): memory stays flat for large files.
    response = StreamingHttpResponse(chunks, content_type=version.mime)
    response["Content-Disposition"] = content_disposition_header(True, version.name)
    response["Content-Length"] = str(version.size)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def sign_agreement(request, pk: int):
    project = _project(request, pk, "documents.sign_agreement")
    try:
        services.sign_agreement(project, user=request.user)
    except ValidationError as error:  # not on the team: an administrator passes has_perm but signs nothing
        raise PermissionDenied(" ".join(error.messages)) from error
    messages.success(request, _("You signed the confidentiality agreement of this meeting."))
    return redirect("documents:project", project.pk)


@login_required
@require_GET
def access_log(request):
    if not request.user.has_perm("documents.view_global_log"):
        raise PermissionDenied
    entries = queries.access_log(request.user)
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(request, "documents/access_log.html", {"page": page, "entries": page.object_list})
