"""API routes of this app (mounted under /api/v1/)."""

from django.urls import path

from . import api

urlpatterns = [
    path("projects/<int:project_pk>/plans/", api.ProjectPlansView.as_view(), name="project-plans"),
    path("plans/<int:pk>/", api.PlanVersionView.as_view(), name="plan-detail"),
    path("plans/<int:pk>/reviews/", api.PlanReviewsView.as_view(), name="plan-reviews"),
    path("plans/<int:pk>/submit/", api.SubmitPlanView.as_view(), name="plan-submit"),
    path("plans/<int:pk>/conclude/", api.ConcludeReviewView.as_view(), name="plan-conclude"),
    path("plans/<int:pk>/send/", api.SendPlanView.as_view(), name="plan-send"),
    path("plans/<int:pk>/signed-copies/", api.SignedCopiesView.as_view(), name="plan-signed-copies"),
]
