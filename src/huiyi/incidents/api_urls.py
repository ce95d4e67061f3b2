"""API routes of incidents (mounted under /api/v1/)."""

from django.urls import path

from . import api

urlpatterns = [
    path("incidents/", api.IncidentViewSet.as_view({"get": "list", "post": "create"}), name="incident-list"),
    path("incidents/<int:pk>/", api.IncidentViewSet.as_view({"get": "retrieve"}), name="incident-detail"),
    path("incidents/<int:pk>/level/", api.LevelView.as_view(), name="incident-level"),
    path(
        "incidents/<int:pk>/clocks/<slug:clock>/stop/",
        api.StopClockView.as_view(),
        name="incident-stop-clock",
    ),
    path("incidents/<int:pk>/resolve/", api.ResolveView.as_view(), name="incident-resolve"),
    path("incidents/<int:pk>/close/", api.CloseView.as_view(), name="incident-close"),
    path("incidents/<int:pk>/chain/", api.ChainView.as_view(), name="incident-chain"),
    path("incidents/<int:pk>/releases/", api.ReleaseListView.as_view(), name="incident-releases"),
    path("incident-chain/<int:pk>/acknowledge/", api.AcknowledgeView.as_view(), name="incident-acknowledge"),
    path("response-plans/", api.ResponsePlanViewSet.as_view({"get": "list"}), name="response-plan-list"),
    path(
        "response-plans/<int:pk>/",
        api.ResponsePlanViewSet.as_view({"get": "retrieve"}),
        name="response-plan-detail",
    ),
    path("drills/", api.DrillViewSet.as_view({"get": "list", "post": "create"}), name="drill-list"),
    path("drills/<int:pk>/", api.DrillViewSet.as_view({"get": "retrieve"}), name="drill-detail"),
]
