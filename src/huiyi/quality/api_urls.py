from django.urls import include, path
from rest_framework.routers import SimpleRouter

from .api import NonconformanceViewSet, ProjectEvaluateView, ProjectQualityView, RulebookCheckView

router = SimpleRouter()
router.register("nonconformances", NonconformanceViewSet, basename="nonconformance")

urlpatterns = [
    path("rulebook/check/", RulebookCheckView.as_view(), name="rulebook-check"),
    path("projects/<int:pk>/quality/", ProjectQualityView.as_view(), name="project-quality"),
    path("projects/<int:pk>/quality/evaluate/", ProjectEvaluateView.as_view(), name="project-evaluate"),
    path("", include(router.urls)),
]
