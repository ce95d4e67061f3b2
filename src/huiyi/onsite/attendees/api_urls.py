"""API routes of the attendee app (mounted under /api/v1/)."""

from django.urls import path

from . import api

urlpatterns = [
    path(
        "projects/<int:project_pk>/attendees/",
        api.AttendeeViewSet.as_view({"get": "list", "post": "create"}),
        name="attendee-list",
    ),
    path(
        "projects/<int:project_pk>/attendees/import/",
        api.AttendeeImportView.as_view(),
        name="attendee-import",
    ),
    path(
        "projects/<int:project_pk>/attendees/<int:pk>/",
        api.AttendeeViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="attendee-detail",
    ),
    path(
        "projects/<int:project_pk>/attendees/<int:pk>/reissue-ticket/",
        api.AttendeeViewSet.as_view({"post": "reissue_ticket"}),
        name="attendee-reissue-ticket",
    ),
    path("tickets/<str:code>/qr.png", api.TicketQrView.as_view(), name="ticket-qr"),
]
