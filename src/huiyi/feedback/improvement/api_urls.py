"""API routes of the improvement loop (mounted under /api/v1/)."""

from django.urls import path

from . import api

urlpatterns = [
    path(
        "improvement-actions/",
        api.ImprovementActionViewSet.as_view({"get": "list", "post": "create"}),
        name="improvement-action-list",
    ),
    path(
        "improvement-actions/<int:pk>/",
        api.ImprovementActionViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="improvement-action-detail",
    ),
]
