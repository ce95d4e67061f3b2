"""API routes of docsearch (mounted under /api/v1/)."""

from django.urls import path

from . import api

urlpatterns = [
    path("documents/search/", api.DocumentSearchView.as_view(), name="documents-search"),
]
