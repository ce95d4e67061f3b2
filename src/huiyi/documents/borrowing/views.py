"""Borrowing pages: thin — forms in, services judge and save, back to the page (REQ-DOC-05).

/borrowing/                    my borrowings
/borrowing/approvals/          requests awaiting my approval (the meeting's lead)
/borrowing/projects/<pk>/      every borrowing of a meeting (its lead, keepers, quality)
/borrowing/new/?document=<pk>  ask to borrow
/borrowing/<pk>/               one borrowing, with the actions the viewer may take
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from huiyi.core.forms import apply_service_errors
from huiyi.documents.models import Document
from huiyi.projects.models import MeetingProject
from huiyi.projects.queries import visible_projects

from . import queries, services
from .forms import BorrowForm, DecisionForm, RejectForm
from .models import Borrowing

PAGE = 50
#: How many documents the request form offers at once (narrow by ?project=).
CHOICES_LIMIT = 300


def _borrowing(request, pk: int, permission: str = "borrowing.view") -> Borrowing:
    borrowing = get_object_or_404(
        Borrowing.objects.select_related(
            "document",
            "document__project",
            "project",
            "borrower",
            "decided_by",
            "handed_out_by",
            "received_by",
        ),
        pk=pk,
    )
    if not request.user.has_perm("borrowing.view", borrowing):
        raise Http404
    if permission != "borrowing.view" and not request.user.has_perm(permission, borrowing):
        raise PermissionDenied
    return borrowing


def _rows(page, now):
    return [{"b": b, "state": queries.state(b, now)} for b in page]


def _list(request, borrowings, template: str, extra: dict):
    now = timezone.now()
    page = Paginator(borrowings.order_by("-created_at", "-pk"), PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": _rows(page.object_list, now),
        "awaiting_count": queries.awaiting(request.user).count(),
        **extra,
    }
    return render(request, template, context)


@login_required
@require_GET
def mine(request):
    return _list(request, queries.mine(request.user), "borrowing/list.html", {"tab": "mine"})


@login_required
@require_GET
def approvals(request):
    return _list(request, queries.awaiting(request.user), "borrowing/list.html", {"tab": "approvals"})


@login_required
@require_GET
def project_borrowings(request, pk: int):
    project = get_object_or_404(MeetingProject, pk=pk)
    if not request.user.has_perm("projects.view_meetingproject", project):
        raise Http404
    if not request.user.has_perm("borrowing.view_project", project):
        raise PermissionDenied
    now = timezone.now()
    borrowings = queries.of_project(project)
    return _list(
        request,
        borrowings,
        "borrowing/list.html",
        {
            "tab": "project",
            "project": project,
            "overdue_count": borrowings.filter(
                medium="paper", status=Borrowing.Status.LENT, due_at__lte=now
            ).count(),
            "is_lead": bool(queries.lead_role(request.user, project)),
        },
    )


def _borrowable(request):
    """(document, label) pairs the user may ask to borrow, narrowed by ?document= or ?project=."""
    user = request.user
    qs = Document.objects.select_related("project").filter(
        Q(project__in=visible_projects(user).values("pk")) | Q(project__isnull=True)
    )
    wanted = request.GET.get("document") or request.POST.get("document") or ""
    project = request.GET.get("project", "")
    if wanted.isdigit() and request.method == "GET":
        qs = qs.filter(pk=int(wanted))
    elif project.isdigit():
        qs = qs.filter(project_id=int(project))
    qs = qs.order_by("-project__start", "title")[:CHOICES_LIMIT]
    return [
        (
            d,
            f"{d.project.code if d.project else _('Organisation')} · {d.title}"
            f" ({d.get_confidentiality_display()})",
        )
        for d in qs
        if user.has_perm("borrowing.request", d)
    ]


@login_required
def borrow_new(request):
    if not request.user.has_perm("borrowing.add_borrowing"):
        raise PermissionDenied
    documents = _borrowable(request)
    now = timezone.localtime().replace(second=0, microsecond=0)
    initial = {"starts_at": now}
    if request.method == "GET" and request.GET.get("document", "").isdigit():
        initial["document"] = int(request.GET["document"])
    form = BorrowForm(request.POST or None, documents=documents, initial=initial)
    longest = services.max_period(None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        document = next((d for d, _label in documents if d.pk == data["document"]), None)
        if document is None:
            form.add_error("document", _("Choose a document from the list."))
        else:
            try:
                borrowing = services.request_borrowing(
                    document,
                    by=request.user,
                    medium=data["medium"],
                    purpose=data["purpose"],
                    starts_at=data["starts_at"],
                    due_at=data["due_at"],
                )
            except ValidationError as error:
                apply_service_errors(form, error, aliases={"note": "purpose"})
            except PermissionDenied as error:
                form.add_error("document", str(error))
            else:
                messages.success(request, _("Your request was sent to the meeting's lead."))
                return redirect("borrowing:detail", borrowing.pk)
    return render(
        request,
        "borrowing/new.html",
        {
            "form": form,
            "longest_days": f"{longest.total_seconds() / 86400:g}",
            "has_documents": bool(documents),
        },
    )


@login_required
@require_GET
def detail(request, pk: int):
    borrowing = _borrowing(request, pk)
    user, now = request.user, timezone.now()
    state = queries.state(borrowing, now)
    requested = borrowing.status == Borrowing.Status.REQUESTED
    from huiyi.documents.rules import can_read

    return render(
        request,
        "borrowing/detail.html",
        {
            "b": borrowing,
            "state": state,
            "can_decide": requested and user.has_perm("borrowing.decide", borrowing),
            "can_cancel": requested and borrowing.borrower_id == user.pk,
            "can_hand_out": borrowing.status == Borrowing.Status.APPROVED
            and not borrowing.is_electronic
            and user.has_perm("borrowing.keep", borrowing),
            "can_take_back": borrowing.status == Borrowing.Status.LENT
            and user.has_perm("borrowing.keep", borrowing),
            "can_end": borrowing.status == Borrowing.Status.APPROVED
            and borrowing.is_electronic
            and user.has_perm("borrowing.give_back", borrowing),
            "must_sign": borrowing.borrower_id == user.pk
            and borrowing.status == Borrowing.Status.APPROVED
            and queries.needs_agreement(user, borrowing),
            "borrower_must_sign": borrowing.status == Borrowing.Status.APPROVED
            and queries.needs_agreement(borrowing.borrower, borrowing),
            "can_open": borrowing.borrower_id == user.pk
            and state == "open"
            and can_read(user, borrowing.document),
            "approve_form": DecisionForm(),
            "reject_form": RejectForm(),
        },
    )


def _act(request, pk: int, permission: str, action, done: str):
    borrowing = _borrowing(request, pk, permission) if permission else _borrowing(request, pk)
    try:
        action(borrowing)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except PermissionDenied as error:
        messages.error(request, str(error) or _("Your roles do not allow this."))
    else:
        messages.success(request, done)
    return redirect("borrowing:detail", borrowing.pk)


@login_required
@require_POST
def approve(request, pk: int):
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return _act(
        request,
        pk,
        "borrowing.decide",
        lambda b: services.approve(b, by=request.user, note=note),
        _("Borrowing approved."),
    )


@login_required
@require_POST
def reject(request, pk: int):
    reason = request.POST.get("reason", "")
    return _act(
        request,
        pk,
        "borrowing.decide",
        lambda b: services.reject(b, by=request.user, reason=reason),
        _("Borrowing rejected."),
    )


@login_required
@require_POST
def hand_out(request, pk: int):
    return _act(
        request,
        pk,
        "borrowing.keep",
        lambda b: services.hand_out(b, by=request.user),
        _("Handed out: the borrowing time is recorded."),
    )


@login_required
@require_POST
def give_back(request, pk: int):
    return _act(
        request,
        pk,
        "",
        lambda b: services.return_borrowing(b, by=request.user),
        _("Return recorded."),
    )


@login_required
@require_POST
def cancel(request, pk: int):
    return _act(
        request, pk, "", lambda b: services.cancel(b, by=request.user), _("Your request was withdrawn.")
    )


@login_required
@require_POST
def sign(request, pk: int):
    return _act(
        request,
        pk,
        "",
        lambda b: services.sign_agreement(b, by=request.user),
        _("You signed the confidentiality agreement of this meeting."),
    )
