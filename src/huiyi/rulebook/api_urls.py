from django.urls import path

from .api import ActiveRulebookView, VersionViewSet

urlpatterns = [
    path("", ActiveRulebookView.as_view(), name="rulebook-active"),
    path("versions/", VersionViewSet.as_view({"get": "list"}), name="rulebook-version-list"),
    path(
        "versions/<int:number>/",
        VersionViewSet.as_view({"get": "retrieve"}),
        name="rulebook-version-detail",
    ),
]
