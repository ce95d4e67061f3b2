"""Contract pages: thin — every change goes through services."""

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
from huiyi.projects.queries import visible_projects

from . import queries, services
from .forms import (
    BreachForm,
    ChangeRequestForm,
    ClientConfirmForm,
    ClientDeclineForm,
    ClientRecordForm,
    ContractForm,
    PaymentFormSet,
    RejectForm,
    RemedyStatusForm,
    SignedCopyForm,
    StandardFormSet,
)
from .models import Breach, ChangeRequest, Contract
from .pdf import contract_pdf as render_contract_pdf


def _apply_errors(form, error: ValidationError, extra: dict | None = None) -> None:
    """Put a service's ValidationError on the form's fields (or the form) so the user sees each named."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        if extra is not None and field not in form.fields:
            extra.setdefault(field, []).extend(errors)
        elif field in form.fields:
            form.add_error(field, errors)
        else:
            form.add_error(None, errors)


def _contract(request, pk: int) -> Contract:
    try:
        return queries.contract_for_page(request.user, pk)
    except Contract.DoesNotExist:
        raise Http404 from None


def _change(request, pk: int) -> ChangeRequest:
    change = get_object_or_404(
        ChangeRequest.objects.select_related("contract__project"),
        pk=pk,
        contract__project__in=visible_projects(request.user).values("pk"),
    )
    return change


def _require(request, permission: str, obj) -> None:
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied


def _payment_rows(formset) -> list[dict]:
    return [
        {key: form.cleaned_data[key] for key in ("name", "due_date", "amount")}
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


def _contract_form(request, project, contract: Contract | None):
    standards = (
        list(contract.standards.values("rule_id", "name", "target", "acceptance_point"))
        if contract
        else services.standards_from_rulebook(project)
    )
    data = request.POST if request.method == "POST" else None
    form = ContractForm(data, instance=contract)
    payments = PaymentFormSet(
        data,
        prefix="payments",
        initial=[
            {"name": p.name, "due_date": p.due_date, "amount": p.amount} for p in contract.payments.all()
        ]
        if contract
        else [{"name": _("Advance payment")}, {"name": _("Final payment")}],
    )
    standard_forms = StandardFormSet(
        data, prefix="standards", initial=[{"acceptance_point": s["acceptance_point"]} for s in standards]
    )
    extra_errors: dict = {}
    if request.method == "POST" and form.is_valid() & payments.is_valid() & standard_forms.is_valid():
        for standard, standard_form in zip(standards, standard_forms.forms, strict=False):
            standard["acceptance_point"] = standard_form.cleaned_data.get("acceptance_point", "")
        fields = {name: form.cleaned_data[name] for name in ContractForm.Meta.fields}
        try:
            if contract is None:
                contract = services.create_contract(
                    project, by=request.user, payments=_payment_rows(payments), standards=standards, **fields
                )
                messages.success(request, _("Contract drafted."))
            else:
                services.update_draft(
                    contract, by=request.user, payments=_payment_rows(payments), standards=standards, **fields
                )
                messages.success(request, _("Saved."))
            return redirect("contracts:detail", pk=contract.pk), None
        except ValidationError as error:
            _apply_errors(form, error, extra_errors)
    rows = list(zip(standards, standard_forms.forms, strict=False))
    return None, {
        "form": form,
        "payments": payments,
        "standard_forms": standard_forms,
        "standard_rows": rows,
        "payment_errors": extra_errors.get("payments", []),
        "project": project,
        "contract": contract,
    }


@login_required
def contract_create(request, project_pk: int):
    project = get_object_or_404(visible_projects(request.user).select_related("client"), pk=project_pk)
    _require(request, "contracts.change_contract", project)
    existing = queries.current_contract(project)
    if existing is not None and existing.is_current:
        return redirect("contracts:detail", pk=existing.pk)
    response, context = _contract_form(request, project, None)
    return response or render(request, "contracts/form.html", context)


@login_required
def contract_edit(request, pk: int):
    contract = _contract(request, pk)
    _require(request, "contracts.change_contract", contract)
    if not contract.is_draft:
        messages.error(
            request, _("Only a draft can be edited; a signed contract changes by a change request.")
        )
        return redirect("contracts:detail", pk=pk)
    response, context = _contract_form(request, contract.project, contract)
    return response or render(request, "contracts/form.html", context)


@login_required
def contract_detail(request, pk: int):
    contract = _contract(request, pk)
    project = contract.project
    can_change = request.user.has_perm("contracts.change_contract", contract)
    return render(
        request,
        "contracts/detail.html",
        {
            "contract": contract,
            "project": project,
            "versions": queries.versions_of(contract),
            "change_requests": queries.project_change_requests(request.user, contract),
            "breaches": queries.breaches_of_project(project),
            "can_change": can_change,
            "can_approve": request.user.has_perm("contracts.approve_changerequest", contract),
            "can_delete": request.user.has_perm("contracts.delete_contract", contract),
            "copy_form": SignedCopyForm() if can_change and contract.is_current else None,
            "client_link": request.session.pop(f"contracts.link.{pk}", None),
        },
    )


def _post_action(request, contract_pk: int, action, success: str):
    try:
        action()
        messages.success(request, success)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("contracts:detail", pk=contract_pk)


@login_required
@require_POST
def signed_copy_upload(request, pk: int):
    contract = _contract(request, pk)
    _require(request, "contracts.change_contract", contract)
    form = SignedCopyForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("contracts:detail", pk=pk)
    return _post_action(
        request,
        pk,
        lambda: services.attach_signed_copy(contract, form.cleaned_data["signed_copy"], by=request.user),
        _("Signed copy uploaded."),
    )


@login_required
def signed_copy_download(request, pk: int):
    contract = _contract(request, pk)
    if not contract.signed_copy:
        raise Http404
    return download(contract.signed_copy, contract.signed_copy_name or "contract")  # type from the bytes


@login_required
@require_POST
def contract_sign(request, pk: int):
    contract = _contract(request, pk)
    _require(request, "contracts.change_contract", contract)
    return _post_action(
        request, pk, lambda: services.sign_contract(contract, by=request.user), _("Contract signed.")
    )


@login_required
@require_POST
def contract_close(request, pk: int):
    contract = _contract(request, pk)
    _require(request, "contracts.change_contract", contract)
    return _post_action(request, pk, lambda: services.close_contract(contract, by=request.user), _("Closed."))


@login_required
@require_POST
def contract_delete(request, pk: int):
    contract = _contract(request, pk)
    _require(request, "contracts.delete_contract", contract)
    project_pk = contract.project_id
    try:
        services.delete_contract(contract, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("contracts:detail", pk=pk)
    messages.success(request, _("Contract deleted."))
    return redirect("projects:detail", pk=project_pk)


@login_required
def contract_pdf(request, pk: int):
    contract = _contract(request, pk)
    language = request.GET.get("lang") or request.LANGUAGE_CODE
    data = render_contract_pdf(contract, language)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{contract.number}-v{contract.version}.pdf"'
    return response


# --------------------------------------------------------------------------------------------------
# Change requests


@login_required
def change_create(request, pk: int):
    contract = _contract(request, pk)
    _require(request, "contracts.change_contract", contract)
    form = ChangeRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.submit_change_request(contract, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            if change.is_late:
                messages.warning(
                    request,
                    _(
                        "%(code)s is late: submitted %(hours)s h before the affected date "
                        "(at least %(required)s h)."
                    )
                    % {
                        "code": change.code,
                        "hours": change.lead_hours,
                        "required": change.required_lead_hours,
                    },
                )
            else:
                messages.success(request, _("Change request %(code)s recorded.") % {"code": change.code})
            return redirect("contracts:detail", pk=pk)
    return render(request, "contracts/change_form.html", {"form": form, "contract": contract})


@login_required
@require_POST
def change_approve(request, pk: int):
    change = _change(request, pk)
    _require(request, "contracts.approve_changerequest", change)
    return _post_action(
        request,
        change.contract_id,
        lambda: services.approve_change_request(change, by=request.user),
        _("Approved for our side."),
    )


@login_required
@require_POST
def change_reject(request, pk: int):
    change = _change(request, pk)
    _require(request, "contracts.approve_changerequest", change)
    form = RejectForm(request.POST)
    reason = form.data.get("reason", "")
    return _post_action(
        request,
        change.contract_id,
        lambda: services.reject_change_request(change, by=request.user, reason=reason),
        _("Change request rejected."),
    )


@login_required
@require_POST
def change_client_link(request, pk: int):
    change = _change(request, pk)
    _require(request, "contracts.change_contract", change)
    try:
        token = services.issue_client_link(change, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        # Shown once on the next page; only the token's hash is stored.
        request.session[f"contracts.link.{change.contract_id}"] = {
            "code": change.code,
            "url": request.build_absolute_uri(reverse("contracts:client_change", args=[token])),
        }
        messages.success(request, _("Link created: send it to the client."))
    return redirect("contracts:detail", pk=change.contract_id)


@login_required
@require_POST
def change_client_record(request, pk: int):
    change = _change(request, pk)
    _require(request, "contracts.change_contract", change)
    name = ClientRecordForm(request.POST).data.get("client_name", "")
    return _post_action(
        request,
        change.contract_id,
        lambda: services.record_client_confirmation(change, by=request.user, client_name=name),
        _("The client's confirmation is recorded."),
    )


def client_change(request, token: str):
    """The client's page (no login): read the change, confirm or decline it. Shows nothing else."""
    try:
        change = services.change_for_token(token)
    except links.LinkError as error:
        return render(request, "contracts/client_link_error.html", {"message": error.message}, status=410)
    confirm_form = ClientConfirmForm(request.POST if request.POST.get("action") == "confirm" else None)
    decline_form = ClientDeclineForm(request.POST if request.POST.get("action") == "decline" else None)
    address = request.META.get("REMOTE_ADDR", "")
    if request.method == "POST":
        form = confirm_form if request.POST.get("action") == "confirm" else decline_form
        if form.is_valid():
            try:
                if form is confirm_form:
                    change = services.confirm_by_client_link(
                        token, name=form.cleaned_data["name"], address=address
                    )
                else:
                    change = services.decline_by_client_link(
                        token,
                        name=form.cleaned_data["name"],
                        reason=form.cleaned_data["reason"],
                        address=address,
                    )
            except links.LinkError as error:
                return render(
                    request, "contracts/client_link_error.html", {"message": error.message}, status=410
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                return render(request, "contracts/client_change_done.html", {"change": change})
    return render(
        request,
        "contracts/client_change.html",
        {
            "change": change,
            "contract": change.contract,
            "new_value": change.contract.value + change.cost_impact,
            "confirm_form": confirm_form,
            "decline_form": decline_form,
        },
    )


# --------------------------------------------------------------------------------------------------
# Breaches


@login_required
def breach_create(request, pk: int):
    contract = _contract(request, pk)
    _require(request, "contracts.change_contract", contract)
    classes = services.breach_classes(contract.project)
    form = BreachForm(request.POST or None, classes=classes)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("refund_percent")
        try:
            services.record_breach(contract, by=request.user, refund_ratio=form.refund_ratio, **data)
        except ValidationError as error:
            if hasattr(error, "error_dict") and "refund_ratio" in error.error_dict:
                error = ValidationError(
                    {"refund_percent": error.error_dict.pop("refund_ratio"), **error.error_dict}
                )
            _apply_errors(form, error)
        else:
            messages.success(request, _("Breach recorded with its remedy."))
            return redirect("contracts:detail", pk=pk)
    return render(request, "contracts/breach_form.html", {"form": form, "contract": contract})


@login_required
@require_POST
def breach_remedy(request, pk: int):
    breach = get_object_or_404(
        Breach.objects.select_related("contract__project"),
        pk=pk,
        contract__project__in=visible_projects(request.user).values("pk"),
    )
    _require(request, "contracts.change_contract", breach)
    status = RemedyStatusForm(request.POST).data.get("remedy_status", "")
    return _post_action(
        request,
        breach.contract_id,
        lambda: services.update_remedy_status(breach, by=request.user, status=status),
        _("Remedy status saved."),
    )
