from django.urls import include, path
from rest_framework.routers import SimpleRouter

from .api import NonconformanceViewSet, ProjectQualityView, RulebookCheckView

router = SimpleRouter()
router.register("nonconformances", NonconformanceViewSet, basename="nonconformance")

urlpatterns = [
    path("rulebook/check/", RulebookCheckView.as_view(), name="rulebook-check"),
    path("projects/<int:pk>/quality/", ProjectQualityView.as_view(), name="project-quality"),
    path("", include(router.urls)),
]
