"""Reads of contracts, always filtered to the projects the user may see."""

from django.db.models import Prefetch, QuerySet

from huiyi.projects.queries import visible_projects

from .models import Breach, ChangeRequest, Contract


def visible_contracts(user) -> QuerySet[Contract]:
    return Contract.objects.filter(project__in=visible_projects(user).values("pk"))


def contract_for_page(user, pk: int) -> Contract:
    return (
        visible_contracts(user)
        .select_related("project__client", "project__org_unit", "client", "signed_by", "previous")
        .prefetch_related("standards", "payments")
        .get(pk=pk)
    )


def versions_of(contract: Contract) -> QuerySet[Contract]:
    return Contract.objects.filter(project_id=contract.project_id, number=contract.number).order_by(
        "-version"
    )


def change_requests_of_project(project) -> QuerySet[ChangeRequest]:
    return (
        ChangeRequest.objects.filter(contract__project=project)
        .select_related("contract", "approved_by", "resulting_version", "client_recorded_by")
        .order_by("-sequence")
    )


def breaches_of_project(project) -> QuerySet[Breach]:
    return (
        Breach.objects.filter(contract__project=project)
        .select_related("contract__project__rulebook_version")
        .order_by("-occurred_at")
    )


def current_contract(project) -> Contract | None:
    """The version in force (or the draft), else the latest one."""
    contracts = Contract.objects.filter(project=project).select_related("signed_by")
    return (
        contracts.filter(status__in=["draft", "signed"]).order_by("-version").first()
        or contracts.order_by("-version").first()
    )


def contracts_of_projects(user, project_ids=None) -> QuerySet[Contract]:
    """Contract versions with project and client in one query, for lists and the API."""
    contracts = (
        visible_contracts(user)
        .select_related("project", "client", "signed_by")
        .prefetch_related("payments", "standards")
    )
    if project_ids is not None:
        contracts = contracts.filter(project_id__in=project_ids)
    return contracts


def project_change_requests(user, contract: Contract) -> QuerySet[ChangeRequest]:
    return (
        ChangeRequest.objects.filter(contract__project_id=contract.project_id)
        .select_related("contract", "approved_by", "resulting_version", "client_recorded_by")
        .order_by("sequence")
    )


def prefetch_for_section(project):
    return Prefetch("change_requests", queryset=change_requests_of_project(project))
