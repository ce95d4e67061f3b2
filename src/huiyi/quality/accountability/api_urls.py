"""API routes of accountability (mounted under /api/v1/)."""

from django.urls import path

from . import api

_steps = ["investigate", "determine", "sanction", "appeal", "decide_appeal", "close"]

urlpatterns = [
    path(
        "violations/", api.ViolationViewSet.as_view({"get": "list", "post": "create"}), name="violation-list"
    ),
    path("violations/<int:pk>/", api.ViolationViewSet.as_view({"get": "retrieve"}), name="violation-detail"),
    *[
        path(
            f"violations/<int:pk>/{name.replace('_', '-')}/",
            api.ViolationViewSet.as_view({"post": name}),
            name=f"violation-{name.replace('_', '-')}",
        )
        for name in _steps
    ],
]
