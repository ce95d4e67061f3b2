"""API routes of the closing app (mounted under /api/v1/)."""

from django.urls import path

from . import api

urlpatterns = [
    path(
        "settlements/",
        api.SettlementViewSet.as_view({"get": "list", "post": "create"}),
        name="closing-settlement-list",
    ),
    path(
        "settlements/<int:pk>/",
        api.SettlementViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="closing-settlement-detail",
    ),
    path(
        "settlements/<int:pk>/invoices/",
        api.SettlementViewSet.as_view({"post": "invoices"}),
        name="closing-settlement-invoices",
    ),
    path(
        "settlements/<int:pk>/disputes/",
        api.SettlementViewSet.as_view({"post": "disputes"}),
        name="closing-settlement-disputes",
    ),
    path(
        "settlements/<int:pk>/payments/<int:payment_pk>/paid/",
        api.SettlementViewSet.as_view({"post": "paid"}),
        name="closing-settlement-paid",
    ),
    path(
        "projects/<int:project_pk>/lost-and-found/",
        api.LostItemViewSet.as_view({"get": "list", "post": "create"}),
        name="closing-lost-list",
    ),
    path(
        "projects/<int:project_pk>/lost-and-found/<int:pk>/",
        api.LostItemViewSet.as_view({"get": "retrieve"}),
        name="closing-lost-detail",
    ),
]
