"""API routes of this app (mounted under /api/v1/)."""

from django.urls import path

from . import api

project_contracts = api.ProjectContractViewSet.as_view({"get": "list", "post": "create"})
contract = api.ContractViewSet.as_view({"get": "retrieve", "patch": "partial_update"})
sign = api.ContractViewSet.as_view({"post": "sign"})
change_requests = api.ChangeRequestViewSet.as_view({"get": "list", "post": "create"})
approve = api.ChangeRequestViewSet.as_view({"post": "approve"})
client_confirmation = api.ChangeRequestViewSet.as_view({"post": "client_confirmation"})
breaches = api.BreachViewSet.as_view({"get": "list", "post": "create"})

urlpatterns = [
    path("projects/<int:project_id>/contracts/", project_contracts, name="project-contracts"),
    path("contracts/<int:pk>/", contract, name="contract-detail"),
    path("contracts/<int:pk>/sign/", sign, name="contract-sign"),
    path("contracts/<int:contract_id>/change-requests/", change_requests, name="contract-change-requests"),
    path(
        "contracts/<int:contract_id>/change-requests/<int:pk>/approve/",
        approve,
        name="contract-change-request-approve",
    ),
    path(
        "contracts/<int:contract_id>/change-requests/<int:pk>/client-confirmation/",
        client_confirmation,
        name="contract-change-request-client-confirmation",
    ),
    path("contracts/<int:contract_id>/breaches/", breaches, name="contract-breaches"),
]
