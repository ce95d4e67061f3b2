"""API routes of kpis (mounted under /api/v1/)."""

from django.urls import path

from . import api

urlpatterns = [path("kpis/", api.KpiDashboardView.as_view(), name="kpis")]
