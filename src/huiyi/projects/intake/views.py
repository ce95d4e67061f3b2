"""Pages of intake: inquiries and their steps, the requirements list, its PDF and the client's link page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
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

from . import completeness, pdf, queries, services
from .catalogue import FIVE_W_TWO_H, ITEM_QUESTIONS, TIERS, confirmed_item_keys, item_label
from .forms import (
    STEP_FORMS,
    AttachForm,
    CommentForm,
    ConfirmForm,
    ConvertForm,
    DiscrepancyForm,
    InquiryForm,
    RequirementsForm,
)
from .models import Inquiry


def _client_address(request) -> str:
    return (request.META.get("REMOTE_ADDR") or "")[:64]


# --- inquiries ------------------------------------------------------------------------------------------


@login_required
@permission_required("intake.view_inquiry", raise_exception=True)
def inquiry_list(request):
    inquiries = queries.visible_inquiries(request.user).order_by("-received_at")
    state = request.GET.get("state", "")
    if state == "open":
        inquiries = inquiries.filter(project__isnull=True)
    elif state == "converted":
        inquiries = inquiries.filter(project__isnull=False)
    page = Paginator(inquiries, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "intake/inquiry_list.html",
        {"page": page, "state": state, "can_add": request.user.has_perm("intake.add_inquiry")},
    )


@login_required
@permission_required("intake.add_inquiry", raise_exception=True)
def inquiry_create(request):
    form = InquiryForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        new_client = None
        name, kind = data.pop("new_client_name"), data.pop("new_client_kind")
        if not data.get("client"):
            new_client = {"name": name, "kind": kind}
        try:
            inquiry = services.create_inquiry(by=request.user, new_client=new_client, **data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("intake:inquiry", inquiry.pk)
    return render(request, "intake/inquiry_form.html", {"form": form})


def _inquiry_for(request, pk: int, permission: str = "intake.view_inquiry") -> Inquiry:
    inquiry = get_object_or_404(
        Inquiry.objects.select_related("client", "account_manager", "project", "org_unit"), pk=pk
    )
    if not request.user.has_perm(permission, inquiry):
        raise PermissionDenied
    return inquiry


def _inquiry_page(request, inquiry, *, step_form=None, convert_form=None, attach_form=None):
    next_step = services.next_contact_step(inquiry)
    can_change = request.user.has_perm("intake.change_inquiry", inquiry)
    if next_step and step_form is None:
        step_form = STEP_FORMS[next_step](prefix=next_step)
    finished = next_step is None and not inquiry.project_id and inquiry.capability_ok is not False
    if finished and convert_form is None:
        convert_form = ConvertForm(prefix="project", initial={"expected_attendees": 50})
    if finished and attach_form is None:
        attach_form = AttachForm(prefix="attach", inquiry=inquiry, user=request.user)
    return render(
        request,
        "intake/inquiry_detail.html",
        {
            "inquiry": inquiry,
            "timings": queries.contact_step_timings(inquiry),
            "next_step": next_step,
            "step_form": step_form,
            "convert_form": convert_form,
            "attach_form": attach_form,
            "can_change": can_change,
            "can_convert": can_change and request.user.has_perm("projects.add_meetingproject"),
        },
    )


@login_required
def inquiry_detail(request, pk: int):
    return _inquiry_page(request, _inquiry_for(request, pk))


@login_required
@require_POST
def inquiry_step(request, pk: int, step: str):
    inquiry = _inquiry_for(request, pk, "intake.change_inquiry")
    if step not in STEP_FORMS:
        raise PermissionDenied
    form = STEP_FORMS[step](request.POST, prefix=step)
    if form.is_valid():
        try:
            services.record_contact_step(inquiry, step, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("intake:inquiry", inquiry.pk)
    inquiry.refresh_from_db()
    return _inquiry_page(request, inquiry, step_form=form)


@login_required
@require_POST
def inquiry_convert(request, pk: int):
    inquiry = _inquiry_for(request, pk, "intake.change_inquiry")
    if not request.user.has_perm("projects.add_meetingproject"):
        raise PermissionDenied
    form = ConvertForm(request.POST, prefix="project")
    if form.is_valid():
        try:
            project = services.convert_inquiry(inquiry, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("The inquiry is now meeting project %(code)s.") % {"code": project.code}
            )
            return redirect("intake:requirements", project.pk)
    return _inquiry_page(request, inquiry, convert_form=form)


@login_required
@require_POST
def inquiry_attach(request, pk: int):
    inquiry = _inquiry_for(request, pk, "intake.change_inquiry")
    form = AttachForm(request.POST, prefix="attach", inquiry=inquiry, user=request.user)
    if form.is_valid():
        try:
            services.attach_inquiry(inquiry, form.cleaned_data["project"], by=request.user)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("projects:detail", form.cleaned_data["project"].pk)
    return _inquiry_page(request, inquiry, attach_form=form)


# --- requirements list ------------------------------------------------------------------------------


def _project_for(request, pk: int, permission: str) -> MeetingProject:
    project = get_object_or_404(MeetingProject.objects.select_related("client", "rulebook_version"), pk=pk)
    if not request.user.has_perm("projects.view_meetingproject", project):
        raise PermissionDenied
    if not request.user.has_perm(permission, project):
        raise PermissionDenied
    return project


def _discrepancy_choices(revision, rulebook):
    if revision is None:
        return []
    return [(key, item_label(key, rulebook)) for key in confirmed_item_keys(revision)]


@login_required
def requirements(request, pk: int):
    project = _project_for(request, pk, "intake.view_requirementsrevision")
    can_edit = request.user.has_perm("intake.change_requirementsrevision", project)
    revision = queries.current_revision(project)
    rulebook = rulebook_for(project)
    form = RequirementsForm(
        request.POST if request.method == "POST" else None, project=project, revision=revision
    )
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                saved = services.save_requirements(
                    project, by=request.user, basic=form.basic(), values=form.values(), items=form.items()
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                if revision is not None and saved.pk != revision.pk:
                    messages.info(
                        request,
                        _("Confirmed list kept; your changes are revision %(n)s, to be confirmed again.")
                        % {"n": saved.number},
                    )
                else:
                    messages.success(request, _("Requirements list saved."))
                return redirect("intake:requirements", project.pk)
    score = _live_completeness(form, revision, rulebook)
    confirmed = queries.confirmed_revision(project)
    return render(
        request,
        "intake/requirements.html",
        {
            "project": project,
            "revision": revision,
            "confirmed": confirmed,
            "form": form,
            "completeness": score,
            "can_edit": can_edit,
            "can_record_discrepancy": confirmed is not None
            and request.user.has_perm("intake.add_discrepancy", project),
            "discrepancy_form": DiscrepancyForm(choices=_discrepancy_choices(confirmed, rulebook)),
            "discrepancies": [(d, item_label(d.item, rulebook)) for d in queries.discrepancies(project)],
            "comments": revision.comments.all() if revision else [],
            "new_link": request.session.pop(f"intake-link-{project.pk}", None),
            "item_rows": [(key, item_label(key, rulebook), fields) for key, fields in form.item_rows()],
        },
    )


def _live_completeness(form, revision, rulebook):
    if form.is_bound:
        form.is_valid()
        data = getattr(form, "cleaned_data", {})
        items = form.items() if data else {}
        values = form.values() if data else {}
        return completeness.evaluate(items, values, rulebook)
    if revision is not None:
        return completeness.of_revision(revision, rulebook)
    return completeness.evaluate({}, {}, rulebook)


@login_required
@require_POST
def requirements_completeness(request, pk: int):
    """htmx: the completeness index and what is missing, for the values being typed (nothing is saved)."""
    project = _project_for(request, pk, "intake.view_requirementsrevision")
    form = RequirementsForm(request.POST, project=project, revision=queries.current_revision(project))
    form.is_valid()
    # Only the 5W2H and payment values matter here; a half-typed date elsewhere must not hide them.
    data = getattr(form, "cleaned_data", {})
    items = {}
    for key in FIVE_W_TWO_H:
        items[key] = {
            "text": request.POST.get(f"{key}_text", ""),
            "completion": _percent(request.POST.get(f"{key}_completion")),
            "unclear": bool(request.POST.get(f"{key}_unclear")),
        }
    values = {
        "budget": data.get("budget") or request.POST.get("budget") or None,
        "payment_schedule": request.POST.get("payment_schedule"),
        "payment_method": request.POST.get("payment_method"),
    }
    score = completeness.evaluate(items, values, rulebook_for(project))
    return render(request, "intake/_completeness.html", {"completeness": score})


def _percent(raw) -> str:
    from decimal import Decimal, InvalidOperation

    try:
        value = Decimal(str(raw or "0")) / 100
    except InvalidOperation:
        return "0"
    return str(min(max(value, Decimal(0)), Decimal(1)))


@login_required
def requirements_pdf(request, pk: int):
    project = _project_for(request, pk, "intake.view_requirementsrevision")
    revision = queries.current_revision(project)
    if revision is None:
        messages.warning(request, _("There is no requirements list yet."))
        return redirect("intake:requirements", project.pk)
    language = "en" if request.GET.get("lang", "").startswith("en") else "zh-hans"
    response = HttpResponse(pdf.render(revision, language), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="{project.code}-requirements-r{revision.number}-{language}.pdf"'
    )
    return response


@login_required
@require_POST
def requirements_send(request, pk: int):
    project = _project_for(request, pk, "intake.change_requirementsrevision")
    revision = queries.current_revision(project)
    if revision is None:
        messages.warning(request, _("Save the requirements list first."))
        return redirect("intake:requirements", project.pk)
    try:
        link, token = services.send_for_confirmation(
            revision, by=request.user, recipient=request.POST.get("recipient", "")[:200]
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        request.session[f"intake-link-{project.pk}"] = {
            "url": request.build_absolute_uri(reverse("intake:confirm", args=[token])),
            "expires": timezone.localtime(link.expires_at).strftime("%Y-%m-%d %H:%M"),
        }
    return redirect("intake:requirements", project.pk)


@login_required
@require_POST
def discrepancy_create(request, pk: int):
    project = _project_for(request, pk, "intake.add_discrepancy")
    confirmed = queries.confirmed_revision(project)
    form = DiscrepancyForm(request.POST, choices=_discrepancy_choices(confirmed, rulebook_for(project)))
    if form.is_valid():
        try:
            services.record_discrepancy(project, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Discrepancy recorded."))
    else:
        messages.error(request, _("Choose the item and describe what differs."))
    return redirect("intake:requirements", project.pk)


# --- the client's link (no login) -----------------------------------------------------------------------


def confirm(request, token: str):
    """The client reads the list and confirms it (typing their name) or comments. Nothing else is shown."""
    try:
        revision = services.revision_for_token(token)
    except links.LinkError as error:
        return render(request, "intake/confirm_closed.html", {"message": error.message}, status=410)
    confirm_form, comment_form = ConfirmForm(prefix="confirm"), CommentForm(prefix="comment")
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "confirm":
                confirm_form = ConfirmForm(request.POST, prefix="confirm")
                if confirm_form.is_valid():
                    services.confirm_requirements(
                        token, name=confirm_form.cleaned_data["name"], address=_client_address(request)
                    )
                    return render(request, "intake/confirm_done.html", {"confirmed": True})
            elif action == "comment":
                comment_form = CommentForm(request.POST, prefix="comment")
                if comment_form.is_valid():
                    services.comment_requirements(
                        token, address=_client_address(request), **comment_form.cleaned_data
                    )
                    return render(request, "intake/confirm_done.html", {"confirmed": False})
        except links.LinkError as error:
            return render(request, "intake/confirm_closed.html", {"message": error.message}, status=410)
        except ValidationError as error:
            apply_service_errors(confirm_form if action == "confirm" else comment_form, error)
    rulebook = rulebook_for(revision.project)
    return render(
        request,
        "intake/confirm.html",
        {
            "revision": revision,
            "project": revision.project,
            "items": [
                {
                    "label": item_label(item.key, rulebook),
                    "text": item.text,
                    "flag": item.flag,
                    "question": ITEM_QUESTIONS.get(item.key, ""),
                    "purpose": item.get_purpose_display() if item.purpose else "",
                }
                for item in revision.items.order_by("pk")
            ],
            "services_by_tier": [
                (tier, [label for key, label in tier.items if key in revision.services]) for tier in TIERS
            ],
            "confirm_form": confirm_form,
            "comment_form": comment_form,
        },
    )
