"""The rulebook browser: rules by chapter and by phase, search, versions, draft editing, activation, diff."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import display, queries, services
from .forms import ActivateForm, RuleEditForm
from .models import RulebookVersion

TABS = ("chapter", "phase")


def _require_read(request) -> None:
    if not request.user.has_perm("rulebook.view_rulebookversion"):
        raise PermissionDenied


def _require_change(request) -> None:
    if not request.user.has_perm(services.CHANGE_PERMISSION):
        raise PermissionDenied


def _can_change(request) -> bool:
    return request.user.has_perm(services.CHANGE_PERMISSION)


@login_required
def browse(request):
    """The rules in force, by chapter of the requirements or by phase and control point; with a search."""
    _require_read(request)
    version = services.active_version()
    rulebook = services.rulebook_of(version)
    tab = request.GET.get("tab") if request.GET.get("tab") in TABS else "chapter"
    q = request.GET.get("q", "").strip()[:200]
    context = {
        "version": version,
        "rulebook": rulebook,
        "tab": tab,
        "q": q,
        "can_change": _can_change(request),
    }
    if q:
        histories = services.value_histories()
        context["results"] = queries.rule_rows(queries.search(rulebook, q), histories=histories)
    elif tab == "phase":
        context["phases"], context["loose_rows"] = queries.by_phase(rulebook)
    else:
        context["chapters"] = queries.by_chapter(rulebook)
    return render(request, "rulebook/browse.html", context)


@login_required
def rule_detail(request, rule_id: str):
    """One rule of the active version: everything about it, and the versions in which its value changed."""
    _require_read(request)
    version = services.active_version()
    rulebook = services.rulebook_of(version)
    if rule_id not in rulebook:
        raise Http404
    rule = rulebook.rule(rule_id)
    history = services.rule_history(rule_id, include_drafts=True)
    row = queries.rule_rows([rule], histories={rule_id: history})[0]
    history_rows = [{"version": v, "value": display.format_raw(value, rule.unit)} for v, value in history]
    cp = rulebook.control_point(rule.control_point) if rule.control_point else None
    phase = rulebook.phase(rule.phase) if rule.phase else None
    owner = rulebook.roles.get(rule.owner_role) if rule.owner_role else None
    return render(
        request,
        "rulebook/rule_detail.html",
        {
            "version": version,
            "row": row,
            "rule": rule,
            "description": display.text(rule.description),
            "control_point": cp,
            "control_point_name": display.text(cp.name) if cp else "",
            "phase_name": display.text(phase.name) if phase else "",
            "owner": display.text(owner.name) if owner else "",
            "history_rows": history_rows,
            "requirement_title": _(queries.REQUIREMENTS.get(rule.req, "")) if rule.req else "",
        },
    )


@login_required
def version_list(request):
    _require_read(request)
    return render(
        request,
        "rulebook/version_list.html",
        {"versions": queries.version_list(), "can_change": _can_change(request)},
    )


def _version_context(request, version: RulebookVersion, **extra):
    rulebook = services.rulebook_of(version)
    q = request.GET.get("q", "").strip()[:200]
    rules = queries.search(rulebook, q) if q else rulebook.rules
    can_change = _can_change(request)
    context = {
        "version": version,
        "rulebook": rulebook,
        "rows": queries.rule_rows(rules),
        "q": q,
        "can_change": can_change,
        "editable": can_change and version.status == RulebookVersion.Status.DRAFT,
        "changes": services.diff(version.based_on, version) if version.based_on_id else [],
    }
    if context["editable"] and "activate_form" not in extra:
        context["activate_form"] = ActivateForm()
    context.update(extra)
    return context


@login_required
def version_detail(request, number: int):
    _require_read(request)
    version = get_object_or_404(
        RulebookVersion.objects.select_related("based_on", "created_by", "activated_by"), number=number
    )
    return render(request, "rulebook/version_detail.html", _version_context(request, version))


@login_required
@require_POST
def version_clone(request, number: int):
    _require_change(request)
    source = get_object_or_404(RulebookVersion, number=number)
    draft = services.clone_version(source, by=request.user)
    messages.success(
        request,
        _("Draft version %(new)s created from version %(old)s. Edit its rules, then activate it.")
        % {"new": draft.number, "old": source.number},
    )
    return redirect("rulebook:version", number=draft.number)


@login_required
def rule_edit(request, number: int, rule_id: str):
    """Edit one rule of a draft: value(s), names, description (REQ-QLT-10)."""
    _require_change(request)
    version = get_object_or_404(RulebookVersion, number=number)
    if version.status != RulebookVersion.Status.DRAFT:
        messages.error(request, _("Only a draft can be edited. Clone this version to change its rules."))
        return redirect("rulebook:version", number=version.number)
    rulebook = services.rulebook_of(version)
    if rule_id not in rulebook:
        raise Http404
    rule = rulebook.rule(rule_id)
    form = RuleEditForm(request.POST or None, rule=rule)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_rule(version, rule_id, by=request.user, **form.changes())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                _("Rule %(rule)s saved in draft version %(number)s.")
                % {"rule": rule_id, "number": version.number},
            )
            return redirect(f"{_version_url(version)}#rule-{rule_id}")
    row = queries.rule_rows([rule])[0]
    return render(
        request,
        "rulebook/rule_edit.html",
        {"version": version, "rule": rule, "row": row, "form": form, "unit": display.unit_label(rule.unit)},
        status=400 if form.errors else 200,
    )


def _version_url(version: RulebookVersion) -> str:
    return reverse("rulebook:version", kwargs={"number": version.number})


@login_required
@require_POST
def version_activate(request, number: int):
    _require_change(request)
    version = get_object_or_404(RulebookVersion.objects.select_related("based_on"), number=number)
    form = ActivateForm(request.POST)
    if form.is_valid():
        try:
            services.activate(version, note=form.cleaned_data["change_note"], by=request.user)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                for message in error.messages:
                    form.add_error(None, message)
        else:
            messages.success(
                request,
                _("Version %(number)s is now in force. Projects started earlier keep their version.")
                % {"number": version.number},
            )
            target = version.based_on.number if version.based_on_id else version.number
            return redirect(f"{_diff_url()}?a={target}&b={version.number}")
    return render(
        request,
        "rulebook/version_detail.html",
        _version_context(request, version, activate_form=form),
        status=400,
    )


def _diff_url() -> str:
    return reverse("rulebook:diff")


def _version_by_param(value: str | None) -> RulebookVersion | None:
    if value and value.isdigit():
        return RulebookVersion.objects.select_related("based_on").filter(number=int(value)).first()
    return None


@login_required
def version_diff(request):
    """What changed between two versions: rules added, removed, and each changed field, old → new."""
    _require_read(request)
    versions = list(RulebookVersion.objects.defer("data").order_by("-number"))
    b = _version_by_param(request.GET.get("b")) or services.active_version()
    a = _version_by_param(request.GET.get("a"))
    if a is None:
        a = b.based_on or next((v for v in versions if v.number < b.number), b)
    changes = services.diff(a, b)
    rows = []
    for change in changes:
        unit = change.rule.unit if change.rule else None
        if change.field in ("value", None):
            old, new = display.format_raw(change.old, unit), display.format_raw(change.new, unit)
        elif change.field in ("name", "description"):
            old, new = display.text(change.old), display.text(change.new)
        else:
            old, new = (
                str(change.old if change.old is not None else "—"),
                str(change.new if change.new is not None else "—"),
            )
        rows.append(
            {
                "change": change,
                "name": display.text(change.rule.name) if change.rule else change.rule_id,
                "field": display.field_label(change.field),
                "old": old,
                "new": new,
            }
        )
    return render(
        request,
        "rulebook/diff.html",
        {"a": a, "b": b, "versions": versions, "rows": rows},
    )
