"""API routes of this app (mounted under /api/v1/)."""

from django.urls import path

from . import api

urlpatterns = [
    path("projects/<int:project_pk>/plans/", api.ProjectPlansView.as_view(), name="project-plans"),
    path("plans/<int:pk>/", api.PlanVersionView.as_view(), name="plan-detail"),
    path("plans/<int:pk>/reviews/", api.PlanReviewsView.as_view(), name="plan-reviews"),
    path("plans/<int:pk>/send/", api.SendPlanView.as_view(), name="plan-send"),
]
