"""API routes of on-site inspections (mounted under /api/v1/)."""

from django.urls import path

from . import api

P = "projects/<int:project_pk>/"

urlpatterns = [
    path(
        P + "inspections/",
        api.RoundViewSet.as_view({"get": "list", "post": "create"}),
        name="inspections-round-list",
    ),
    path(
        P + "inspections/<int:pk>/",
        api.RoundViewSet.as_view({"get": "retrieve"}),
        name="inspections-round-detail",
    ),
    path(
        P + "inspections/<int:pk>/readings/",
        api.RoundViewSet.as_view({"post": "add_readings"}),
        name="inspections-round-readings",
    ),
    path(
        P + "inspections/<int:pk>/complete/",
        api.RoundViewSet.as_view({"post": "complete"}),
        name="inspections-round-complete",
    ),
    path(P + "inspection-items/", api.ItemViewSet.as_view({"get": "list"}), name="inspections-item-list"),
    path(
        P + "inspection-readings/",
        api.ReadingViewSet.as_view({"get": "list"}),
        name="inspections-reading-list",
    ),
    path(
        P + "inspection-readings/<int:pk>/",
        api.ReadingViewSet.as_view({"get": "retrieve"}),
        name="inspections-reading-detail",
    ),
    path(
        P + "inspection-readings/<int:pk>/correct/",
        api.ReadingViewSet.as_view({"post": "correct"}),
        name="inspections-reading-correct",
    ),
    path(
        P + "site-milestones/",
        api.MilestoneViewSet.as_view({"get": "list", "post": "create"}),
        name="inspections-milestone-list",
    ),
    path(
        P + "roll-call/",
        api.RollCallViewSet.as_view({"get": "list", "post": "create"}),
        name="inspections-roll-call",
    ),
]
