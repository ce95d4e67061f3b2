"""API routes of complaints (mounted under /api/v1/)."""

from django.urls import path

from . import api

_actions = ["acknowledge", "start", "pause", "resume", "resolve", "close", "reopen", "escalate", "severity"]

urlpatterns = [
    path(
        "complaints/", api.ComplaintViewSet.as_view({"get": "list", "post": "create"}), name="complaint-list"
    ),
    path("complaints/<int:pk>/", api.ComplaintViewSet.as_view({"get": "retrieve"}), name="complaint-detail"),
    *[
        path(
            f"complaints/<int:pk>/{name}/",
            api.ComplaintViewSet.as_view({"post": name}),
            name=f"complaint-{name}",
        )
        for name in _actions
    ],
    path(
        "complaints/<int:pk>/raise-nonconformance/",
        api.ComplaintViewSet.as_view({"post": "raise_nonconformance"}),
        name="complaint-raise-nonconformance",
    ),
]
