"""API routes of sop (mounted under /api/v1/)."""

from django.urls import path

from . import api

urlpatterns = [
    path("sops/", api.ProcedureViewSet.as_view({"get": "list", "post": "create"}), name="sop-list"),
    path(
        "sops/meetings/", api.MeetingViewSet.as_view({"get": "list", "post": "create"}), name="sop-meetings"
    ),
    path("sops/<int:pk>/", api.ProcedureViewSet.as_view({"get": "retrieve"}), name="sop-detail"),
    path("sops/<int:pk>/versions/", api.ProcedureViewSet.as_view({"post": "versions"}), name="sop-versions"),
]
