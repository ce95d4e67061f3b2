"""API routes of the live agenda (mounted under /api/v1/)."""

from django.urls import path

from . import api

_list = {"get": "list", "post": "create"}

urlpatterns = [
    path(
        "projects/<int:project_pk>/agenda/", api.AgendaItemViewSet.as_view(_list), name="liveagenda-item-list"
    ),
    path(
        "projects/<int:project_pk>/agenda/start-next/",
        api.StartNextView.as_view(),
        name="liveagenda-start-next",
    ),
    path(
        "projects/<int:project_pk>/agenda/<int:pk>/",
        api.AgendaItemViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="liveagenda-item-detail",
    ),
    path("agenda/<int:pk>/start/", api.StartItemView.as_view(), name="liveagenda-item-start"),
    path("agenda/<int:pk>/end/", api.EndItemView.as_view(), name="liveagenda-item-end"),
    path("agenda/<int:pk>/answers/", api.StartAnswerView.as_view(), name="liveagenda-answer-start"),
    path("agenda-answers/<int:pk>/end/", api.EndAnswerView.as_view(), name="liveagenda-answer-end"),
    path(
        "projects/<int:project_pk>/progress-reports/",
        api.ProgressReportViewSet.as_view(_list),
        name="liveagenda-report-list",
    ),
    path(
        "projects/<int:project_pk>/coverage/",
        api.CoverageViewSet.as_view(_list),
        name="liveagenda-coverage-list",
    ),
    path("coverage/<int:pk>/tick/", api.TickCoverageView.as_view(), name="liveagenda-coverage-tick"),
    path(
        "projects/<int:project_pk>/onsite-satisfaction/",
        api.SatisfactionViewSet.as_view(_list),
        name="liveagenda-satisfaction-list",
    ),
    path(
        "projects/<int:project_pk>/live-agenda-settings/",
        api.AgendaSettingsView.as_view(),
        name="liveagenda-settings",
    ),
]
