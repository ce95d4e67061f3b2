"""API routes of people (mounted under /api/v1/)."""

from django.urls import path

from . import api

urlpatterns = [
    path("staff/", api.StaffViewSet.as_view({"get": "list"}), name="staff-list"),
    path("staff/<int:pk>/", api.StaffViewSet.as_view({"get": "retrieve"}), name="staff-detail"),
    path(
        "trainings/",
        api.TrainingSessionViewSet.as_view({"get": "list", "post": "create"}),
        name="training-list",
    ),
    path(
        "trainings/<int:pk>/",
        api.TrainingSessionViewSet.as_view({"get": "retrieve"}),
        name="training-detail",
    ),
    path(
        "trainings/<int:pk>/attendance/",
        api.TrainingSessionViewSet.as_view({"post": "attendance"}),
        name="training-attendance",
    ),
]
