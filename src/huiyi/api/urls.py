from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from huiyi.accounts.api import OrgUnitViewSet, UserViewSet
from huiyi.clients.api import ClientViewSet
from huiyi.projects.api import ClosePhaseView, ProjectMemberViewSet, ProjectViewSet

from .views import MeView, ObtainTokenView

app_name = "api"

router = DefaultRouter()
router.register("users", UserViewSet, basename="user")
router.register("org-units", OrgUnitViewSet, basename="orgunit")
router.register("clients", ClientViewSet, basename="client")
router.register("projects", ProjectViewSet, basename="project")
router.register(r"projects/(?P<project_pk>\d+)/members", ProjectMemberViewSet, basename="project-member")

urlpatterns = [
    # First: check-in is the hottest path (a scan every second per gate), tried before ~30 other patterns.
    path("", include("huiyi.onsite.checkin.api_urls")),
    path("auth/token/", ObtainTokenView.as_view(), name="token"),
    path("me/", MeView.as_view(), name="me"),
    path("projects/<int:pk>/close-phase/", ClosePhaseView.as_view(), name="project-close-phase"),
    path(
        "schema/",
        SpectacularAPIView.as_view(
            api_version="1.0.0",
            # The error responses of every operation (see schema.document_error_responses).
            custom_settings={
                "POSTPROCESSING_HOOKS": [
                    "drf_spectacular.hooks.postprocess_schema_enums",
                    "huiyi.api.schema.document_error_responses",
                ]
            },
        ),
        name="schema",
    ),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("", include("huiyi.calendar.urls")),
    path("rulebook/", include("huiyi.rulebook.api_urls")),
    path("", include("huiyi.quality.api_urls")),
    path("", include("huiyi.projects.intake.api_urls")),
    path("", include("huiyi.projects.planning.api_urls")),
    path("", include("huiyi.projects.preparation.api_urls")),
    path("", include("huiyi.contracts.api_urls")),
    path("", include("huiyi.resources.api_urls")),
    path("", include("huiyi.onsite.attendees.api_urls")),
    path("", include("huiyi.onsite.inspections.api_urls")),
    path("", include("huiyi.onsite.agenda.api_urls")),
    path("", include("huiyi.incidents.api_urls")),
    path("", include("huiyi.incidents.preparedness.api_urls")),
    path("", include("huiyi.feedback.surveys.api_urls")),
    path("", include("huiyi.feedback.complaints.api_urls")),
    path("", include("huiyi.feedback.improvement.api_urls")),
    path("", include("huiyi.closing.api_urls")),
    path("", include("huiyi.documents.api_urls")),
    path("", include("huiyi.documents.disposition.api_urls")),
    path("", include("huiyi.documents.borrowing.api_urls")),
    path("", include("huiyi.documents.search.api_urls")),
    path("", include("huiyi.people.api_urls")),
    path("", include("huiyi.quality.audits.api_urls")),
    path("", include("huiyi.quality.accountability.api_urls")),
    path("", include("huiyi.quality.sop.api_urls")),
    path("", include("huiyi.quality.kpis.api_urls")),
    path("", include(router.urls)),
]
