"""API routes of this app (mounted under /api/v1/)."""

from django.urls import path

from . import api

project_contracts = api.ProjectContractViewSet.as_view({"get": "list", "post": "create"})
contract = api.ContractViewSet.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"})
sign = api.ContractViewSet.as_view({"post": "sign"})
signed_copy = api.ContractViewSet.as_view({"post": "signed_copy"})
close = api.ContractViewSet.as_view({"post": "close"})
reject = api.ChangeRequestViewSet.as_view({"post": "reject"})
client_link = api.ChangeRequestViewSet.as_view({"post": "client_link"})
remedy = api.BreachViewSet.as_view({"post": "remedy"})
change_requests = api.ChangeRequestViewSet.as_view({"get": "list", "post": "create"})
approve = api.ChangeRequestViewSet.as_view({"post": "approve"})
client_confirmation = api.ChangeRequestViewSet.as_view({"post": "client_confirmation"})
breaches = api.BreachViewSet.as_view({"get": "list", "post": "create"})

urlpatterns = [
    path("projects/<int:project_id>/contracts/", project_contracts, name="project-contracts"),
    path("contracts/<int:pk>/", contract, name="contract-detail"),
    path("contracts/<int:pk>/sign/", sign, name="contract-sign"),
    path("contracts/<int:pk>/signed-copy/", signed_copy, name="contract-signed-copy"),
    path("contracts/<int:pk>/close/", close, name="contract-close"),
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
    path(
        "contracts/<int:contract_id>/change-requests/<int:pk>/reject/",
        reject,
        name="contract-change-request-reject",
    ),
    path(
        "contracts/<int:contract_id>/change-requests/<int:pk>/client-link/",
        client_link,
        name="contract-change-request-client-link",
    ),
    path("contracts/<int:contract_id>/breaches/", breaches, name="contract-breaches"),
    path("contracts/<int:contract_id>/breaches/<int:pk>/remedy/", remedy, name="contract-breach-remedy"),
]
