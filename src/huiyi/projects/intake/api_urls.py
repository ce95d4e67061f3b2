"""API routes of intake (mounted under /api/v1/)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from .api import DiscrepancyListView, InquiryViewSet, RequirementsView, SendLinkView

router = SimpleRouter()
router.register("inquiries", InquiryViewSet, basename="inquiry")

urlpatterns = [
    path("projects/<int:pk>/requirements/", RequirementsView.as_view(), name="project-requirements"),
    path("projects/<int:pk>/requirements/send/", SendLinkView.as_view(), name="project-requirements-send"),
    path(
        "projects/<int:pk>/requirements/discrepancies/",
        DiscrepancyListView.as_view(),
        name="project-requirements-discrepancies",
    ),
    path("", include(router.urls)),
]
