"""API routes of audits (mounted under /api/v1/)."""

from django.urls import path

from . import api

urlpatterns = [
    path("audits/", api.AuditViewSet.as_view({"get": "list", "post": "create"}), name="audit-list"),
    path("audits/findings/", api.FindingList.as_view(), name="audit-findings"),
    path("audits/<int:pk>/", api.AuditViewSet.as_view({"get": "retrieve"}), name="audit-detail"),
    *[
        path(f"audits/<int:pk>/{name}/", api.AuditViewSet.as_view({"post": name}), name=f"audit-{name}")
        for name in ("start", "complete", "close")
    ],
    path(
        "audits/<int:pk>/items/",
        # The whole checklist, not a page of it (and so the schema says: a list, not a paginated object).
        api.AuditViewSet.as_view({"get": "items"}, pagination_class=None),
        name="audit-items",
    ),
    path(
        "audits/<int:pk>/items/<int:item_pk>/",
        api.AuditViewSet.as_view({"post": "assess"}),
        name="audit-item-assess",
    ),
]
