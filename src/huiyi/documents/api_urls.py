"""API routes of the documents app (mounted under /api/v1/)."""

from django.urls import path

from . import api

urlpatterns = [
    path("documents/", api.DocumentViewSet.as_view({"get": "list", "post": "create"}), name="documents-list"),
    path("documents/<int:pk>/", api.DocumentViewSet.as_view({"get": "retrieve"}), name="documents-detail"),
    path(
        "documents/<int:pk>/versions/",
        api.DocumentViewSet.as_view({"post": "versions"}),
        name="documents-versions",
    ),
    path(
        "documents/<int:pk>/download/",
        api.DocumentViewSet.as_view({"get": "download"}),
        name="documents-download",
    ),
    path("access-log/", api.AccessLogViewSet.as_view({"get": "list"}), name="documents-access-log"),
]
