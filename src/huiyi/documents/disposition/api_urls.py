"""API routes of disposition (mounted under /api/v1/)."""

from django.urls import path

from . import api

_actions = {"approve": "approve", "reject": "reject", "withdraw": "withdraw", "destroy": "destroy_files"}

urlpatterns = [
    path(
        "dispositions/",
        api.DispositionViewSet.as_view({"get": "list", "post": "create"}),
        name="disposition-list",
    ),
    path("dispositions/queue/", api.DispositionViewSet.as_view({"get": "queue"}), name="disposition-queue"),
    path(
        "dispositions/<int:pk>/",
        api.DispositionViewSet.as_view({"get": "retrieve"}),
        name="disposition-detail",
    ),
    *[
        path(
            f"dispositions/<int:pk>/{name}/",
            api.DispositionViewSet.as_view({"post": method}),
            name=f"disposition-{name}",
        )
        for name, method in _actions.items()
    ],
    path(
        "destruction-records/",
        api.DestructionRecordViewSet.as_view({"get": "list"}),
        name="destruction-record-list",
    ),
    path(
        "destruction-records/<int:pk>/",
        api.DestructionRecordViewSet.as_view({"get": "retrieve"}),
        name="destruction-record-detail",
    ),
    path(
        "legal-holds/",
        api.LegalHoldViewSet.as_view({"get": "list", "post": "create"}),
        name="legal-hold-list",
    ),
]
