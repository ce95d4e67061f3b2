"""API routes of emergency preparedness (mounted under /api/v1/)."""

from django.urls import path

from . import api

urlpatterns = [
    path("risks/", api.RiskViewSet.as_view({"get": "list", "post": "create"}), name="preparedness-risk-list"),
    path(
        "risks/<int:pk>/",
        api.RiskViewSet.as_view({"get": "retrieve", "put": "update", "patch": "partial_update"}),
        name="preparedness-risk-detail",
    ),
    path(
        "projects/<int:project_pk>/emergency-resources/",
        api.EmergencyResourceViewSet.as_view({"get": "list", "post": "create"}),
        name="preparedness-resource-list",
    ),
    path(
        "projects/<int:project_pk>/emergency-contacts/",
        api.EmergencyContactViewSet.as_view({"get": "list", "post": "create"}),
        name="preparedness-contact-list",
    ),
    path(
        "projects/<int:project_pk>/emergency-contacts/<int:pk>/",
        api.EmergencyContactViewSet.as_view(
            {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
        ),
        name="preparedness-contact-detail",
    ),
]
