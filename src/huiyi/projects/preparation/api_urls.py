"""API routes of this app (mounted under /api/v1/)."""

from django.urls import path

from . import api

_list = {"get": "list", "post": "create"}
_detail = {"get": "retrieve", "patch": "partial_update"}

urlpatterns = [
    path("projects/<int:project_pk>/tasks/", api.TaskViewSet.as_view(_list), name="preparation-task-list"),
    path(
        "projects/<int:project_pk>/tasks/<int:pk>/",
        api.TaskViewSet.as_view({**_detail, "delete": "destroy"}),
        name="preparation-task-detail",
    ),
    path(
        "projects/<int:project_pk>/reviews/",
        api.ReviewStepViewSet.as_view(_list),
        name="preparation-review-list",
    ),
    path(
        "projects/<int:project_pk>/reviews/<int:pk>/",
        api.ReviewStepViewSet.as_view(_detail),
        name="preparation-review-detail",
    ),
    path(
        "projects/<int:project_pk>/trainings/",
        api.TrainingViewSet.as_view(_list),
        name="preparation-training-list",
    ),
    path(
        "projects/<int:project_pk>/trainings/<int:pk>/",
        api.TrainingViewSet.as_view(_detail),
        name="preparation-training-detail",
    ),
    path(
        "projects/<int:project_pk>/materials/",
        api.MaterialViewSet.as_view(_list),
        name="preparation-material-list",
    ),
    path(
        "projects/<int:project_pk>/materials/<int:pk>/",
        api.MaterialViewSet.as_view(_detail),
        name="preparation-material-detail",
    ),
    path(
        "projects/<int:project_pk>/communications/",
        api.ClientMessageViewSet.as_view(_list),
        name="preparation-communication-list",
    ),
    path(
        "projects/<int:project_pk>/communications/<int:pk>/",
        api.ClientMessageViewSet.as_view(_detail),
        name="preparation-communication-detail",
    ),
    path(
        "projects/<int:project_pk>/reviews/<int:pk>/restart/",
        api.ReviewStepViewSet.as_view({"post": "restart"}),
        name="preparation-review-restart",
    ),
    path(
        "projects/<int:project_pk>/host-evaluations/",
        api.HostEvaluationViewSet.as_view(_list),
        name="preparation-host-evaluation-list",
    ),
    path(
        "projects/<int:project_pk>/materials/<int:pk>/decision/",
        api.MaterialViewSet.as_view({"post": "decision"}),
        name="preparation-material-decision",
    ),
    path(
        "projects/<int:project_pk>/materials/<int:pk>/approval-link/",
        api.MaterialViewSet.as_view({"post": "approval_link"}),
        name="preparation-material-approval-link",
    ),
    path(
        "projects/<int:project_pk>/attendee-communications/",
        api.AttendeeCommunicationViewSet.as_view(_list),
        name="preparation-attendee-communication-list",
    ),
    path(
        "projects/<int:project_pk>/attendee-communications/<int:pk>/",
        api.AttendeeCommunicationViewSet.as_view({"get": "retrieve"}),
        name="preparation-attendee-communication-detail",
    ),
    path(
        "projects/<int:project_pk>/attendee-communications/<int:pk>/sent/",
        api.AttendeeCommunicationViewSet.as_view({"post": "sent"}),
        name="preparation-attendee-communication-sent",
    ),
]
