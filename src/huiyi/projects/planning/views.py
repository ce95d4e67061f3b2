"""Plan pages: a version with its parts, review and client status; the client's public confirmation page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huiyi.core import links
from huiyi.core.files import download
from huiyi.core.forms import apply_service_errors
from huiyi.projects.models import MeetingProject
from huiyi.quality import formulas

from . import pdf, queries, services
from .forms import (
    LINE_FORMS,
    ClientAnswerForm,
    ConcludeReviewForm,
    GoalsForm,
    ReviewForm,
    SendForm,
    SignedCopyForm,
)
from .models import PlanSection, PlanVersion, SignedCopy


def _version_for(request, pk: int, permission: str = "planning.view_plan") -> PlanVersion:
    try:
        version = queries.version_detail(pk)
    except PlanVersion.DoesNotExist as missing:
        raise Http404 from missing
    if not request.user.has_perm("planning.view_plan", version.project):
        raise Http404
    if not request.user.has_perm(permission, version.project):
        raise PermissionDenied
    return version


def _client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")[:64]


def _context(request, version: PlanVersion, **forms_) -> dict:
    project = version.project
    can_edit = request.user.has_perm("planning.edit_plan", project)
    can_review = request.user.has_perm("planning.review_plan", project)
    editable = can_edit and version.is_editable
    own_review = next((r for r in version.reviews.all() if r.reviewer_id == request.user.pk), None)
    response = queries.latest_response(version)
    rulebook_rule = _budget_rule(project)
    budget = queries.budget_deviation(version)
    line_forms = {
        kind: forms_.get(f"{kind}_form") or form_class(prefix=kind) for kind, form_class in LINE_FORMS.items()
    }
    return {
        "project": project,
        "version": version,
        "versions": list(queries.project_versions(project)),
        "can_edit": can_edit,
        "can_review": can_review,
        "editable": editable,
        "goals_form": forms_.get("goals_form") or GoalsForm(instance=version),
        "line_forms": line_forms,
        "review_form": forms_.get("review_form") or ReviewForm(instance=own_review, prefix="review"),
        "own_review": own_review,
        "conclude_form": forms_.get("conclude_form") or ConcludeReviewForm(),
        "send_form": forms_.get("send_form") or SendForm(),
        "signed_copy_form": forms_.get("signed_copy_form") or SignedCopyForm(),
        "score": queries.score_average(version),
        "budget": budget,
        "budget_total": budget["planned"],
        "budget_rule": rulebook_rule,
        "deviation_percent": formulas.percentage(budget["deviation"], places=2)
        if budget["deviation"] is not None
        else None,
        "deviation_ok": rulebook_rule["rule"].passes(budget["deviation"])
        if rulebook_rule and budget["deviation"] is not None
        else None,
        "response": response,
        "answers": queries.section_answers(response),
        "sections": PlanSection.choices,
        "tasks": queries.project_tasks(project),
        "link_url": forms_.get("link_url"),
    }


def _budget_rule(project):
    from huiyi.rulebook.display import format_value
    from huiyi.rulebook.services import rulebook_for

    rulebook = rulebook_for(project)
    rules_ = rulebook.rules_where(metric="budget_deviation")
    if not rules_:
        return None
    return {"rule": rules_[0], "display": format_value(rules_[0])}


@login_required
def version_detail(request, pk: int):
    version = _version_for(request, pk)
    return render(request, "planning/version.html", _context(request, version))


@login_required
def project_plans(request, project_pk: int):
    """The project's latest plan version (or the project page when there is none)."""
    project = get_object_or_404(MeetingProject, pk=project_pk)
    if not request.user.has_perm("planning.view_plan", project):
        raise Http404
    latest = PlanVersion.objects.filter(project=project).order_by("-number").first()
    if latest is None:
        return redirect(reverse("projects:detail", args=[project.pk]) + "#section-planning")
    return redirect("planning:version", latest.pk)


@login_required
@require_POST
def new_version(request, project_pk: int):
    project = get_object_or_404(MeetingProject, pk=project_pk)
    if not request.user.has_perm("planning.view_plan", project):
        raise Http404
    if not request.user.has_perm("planning.edit_plan", project):
        raise PermissionDenied
    try:
        version = services.create_version(project, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(reverse("projects:detail", args=[project.pk]) + "#section-planning")
    messages.success(request, _("Version %(label)s created.") % {"label": version.label})
    return redirect("planning:version", version.pk)


@login_required
@require_POST
def save_goals(request, pk: int):
    version = _version_for(request, pk, "planning.edit_plan")
    form = GoalsForm(request.POST, instance=PlanVersion.objects.get(pk=pk))
    if form.is_valid():
        try:
            services.update_goals(version, by=request.user, **{f: form.cleaned_data[f] for f in form.fields})
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Research and goals saved."))
            return redirect(reverse("planning:version", args=[pk]) + "#goals")
    return render(request, "planning/version.html", _context(request, version, goals_form=form), status=400)


@login_required
@require_POST
def add_line(request, pk: int, kind: str):
    if kind not in LINE_FORMS:
        raise Http404
    version = _version_for(request, pk, "planning.edit_plan")
    form = LINE_FORMS[kind](request.POST, prefix=kind)
    if form.is_valid():
        try:
            services.add_line(version, kind, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect(reverse("planning:version", args=[pk]) + f"#{kind}")
    return render(
        request, "planning/version.html", _context(request, version, **{f"{kind}_form": form}), status=400
    )


def _line_for(request, kind: str, line_pk: int):
    if kind not in LINE_FORMS:
        raise Http404
    model = LINE_FORMS[kind]._meta.model
    line = get_object_or_404(model.objects.select_related("version__project"), pk=line_pk)
    _version_for(request, line.version_id, "planning.edit_plan")
    return line


@login_required
def edit_line(request, kind: str, line_pk: int):
    line = _line_for(request, kind, line_pk)
    form = LINE_FORMS[kind](request.POST or None, instance=line)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_line(line, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect(reverse("planning:version", args=[line.version_id]) + f"#{kind}")
    return render(
        request,
        "planning/line_form.html",
        {"form": form, "line": line, "kind": kind, "version": line.version, "project": line.version.project},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def delete_line(request, kind: str, line_pk: int):
    line = _line_for(request, kind, line_pk)
    try:
        services.delete_line(line, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(reverse("planning:version", args=[line.version_id]) + f"#{kind}")


def _action(request, pk: int, permission: str, action, success: str):
    version = _version_for(request, pk, permission)
    try:
        action(version)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied as denied:
        messages.error(request, str(denied))
    else:
        messages.success(request, success)
    return redirect("planning:version", pk)


@login_required
@require_POST
def submit(request, pk: int):
    return _action(
        request,
        pk,
        "planning.edit_plan",
        lambda v: services.submit_for_review(v, by=request.user),
        _("Sent to internal review."),
    )


@login_required
@require_POST
def add_review(request, pk: int):
    version = _version_for(request, pk, "planning.review_plan")
    form = ReviewForm(request.POST, prefix="review")
    if form.is_valid():
        try:
            services.review(version, reviewer=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        except PermissionDenied as denied:
            form.add_error(None, str(denied))
        else:
            messages.success(request, _("Your review is recorded."))
            return redirect(reverse("planning:version", args=[pk]) + "#review")
    return render(request, "planning/version.html", _context(request, version, review_form=form), status=400)


@login_required
@require_POST
def conclude(request, pk: int):
    version = _version_for(request, pk, "planning.review_plan")
    form = ConcludeReviewForm(request.POST)
    if form.is_valid():
        try:
            services.conclude_review(version, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The review is concluded."))
            return redirect(reverse("planning:version", args=[pk]) + "#review")
    return render(
        request, "planning/version.html", _context(request, version, conclude_form=form), status=400
    )


@login_required
@require_POST
def send(request, pk: int):
    version = _version_for(request, pk, "planning.edit_plan")
    form = SendForm(request.POST)
    if form.is_valid():
        try:
            version, token = services.send_to_client(
                version, by=request.user, recipient=form.cleaned_data["recipient"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("planning:version", pk)
        link_url = request.build_absolute_uri(reverse("planning:confirm", args=[token]))
        messages.success(request, _("Confirmation link issued; copy it now, it is shown only once."))
        return render(
            request, "planning/version.html", _context(request, queries.version_detail(pk), link_url=link_url)
        )
    return redirect("planning:version", pk)


@login_required
@require_POST
def upload_signed_copy(request, pk: int):
    version = _version_for(request, pk, "planning.edit_plan")
    form = SignedCopyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.archive_signed_copy(version, form.cleaned_data["file"], by=request.user)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The e-signed copy is archived."))
            return redirect(reverse("planning:version", args=[pk]) + "#client")
    return render(
        request, "planning/version.html", _context(request, version, signed_copy_form=form), status=400
    )


@login_required
def signed_copy(request, copy_pk: int):
    copy = get_object_or_404(SignedCopy.objects.select_related("version__project"), pk=copy_pk)
    _version_for(request, copy.version_id)
    return download(copy.file, copy.original_name)  # type from the bytes, an attachment (issue 10)


@login_required
def plan_pdf(request, pk: int):
    version = _version_for(request, pk)
    language = "en" if request.GET.get("lang", "").startswith("en") else "zh-hans"
    data = pdf.render(version, language)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="plan-{version.project.code}-{version.label}.pdf"'
    return response


# --- the client, without an account ------------------------------------------------------------------


def confirm(request, token: str):
    """The client reviews a sent version, accepts or comments each section and signs by typing a name."""
    try:
        link = links.resolve(token, services.LINK_PURPOSE)
    except links.LinkError as error:
        return render(request, "planning/confirm_closed.html", {"message": error.message}, status=410)
    version = queries.version_detail(int(link.object_id))
    if version.status != "sent":
        return render(
            request,
            "planning/confirm_closed.html",
            {"message": _("This plan version is no longer open for confirmation; nothing was changed.")},
            status=410,
        )
    form = ClientAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            response = services.answer_as_client(
                token,
                answers=form.answers(),
                signer_name=form.cleaned_data["signer_name"],
                address=_client_address(request),
            )
        except links.LinkError as error:
            return render(request, "planning/confirm_closed.html", {"message": error.message}, status=410)
        except ValidationError as error:
            for field, messages_ in error.message_dict.items():
                target = field if field in form.fields else f"{field}_comment"
                for message in messages_:
                    form.add_error(target if target in form.fields else None, message)
        else:
            return render(
                request,
                "planning/confirm_done.html",
                {"version": version, "response": response, "project": version.project},
            )
    return render(
        request,
        "planning/confirm.html",
        {
            "version": version,
            "project": version.project,
            "form": form,
            "client_fields": {
                section: {
                    "section": section,
                    "answer": form[f"{section}_answer"],
                    "comment": form[f"{section}_comment"],
                }
                for section in PlanSection.values
            },
            "budget_total": queries.budget_total(version),
        },
        status=400 if form.errors else 200,
    )
