"""Survey API routes (mounted under /api/v1/)."""

from django.urls import path

from . import api

urlpatterns = [
    path("surveys/", api.SurveyViewSet.as_view({"get": "list", "post": "create"}), name="survey-list"),
    path("surveys/<int:pk>/", api.SurveyViewSet.as_view({"get": "retrieve"}), name="survey-detail"),
    path(
        "survey-responses/",
        api.SurveyResponseViewSet.as_view({"get": "list", "post": "create"}),
        name="survey-response-list",
    ),
    path(
        "survey-responses/<int:pk>/",
        api.SurveyResponseViewSet.as_view({"get": "retrieve"}),
        name="survey-response-detail",
    ),
    path("revisits/", api.RevisitViewSet.as_view({"get": "list", "post": "create"}), name="revisit-list"),
    path(
        "revisits/<int:pk>/",
        api.RevisitViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="revisit-detail",
    ),
]
