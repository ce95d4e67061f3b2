"""Check-in API routes (mounted under /api/v1/)."""

from django.urls import path

from . import api

urlpatterns = [
    path("checkin/redeem/", api.RedeemView.as_view(), name="checkin-redeem"),
    path("checkin/checkout/", api.CheckoutView.as_view(), name="checkin-checkout"),
    path("checkin/sync/", api.SyncView.as_view(), name="checkin-sync"),
    path("checkin/timings/", api.TimingsView.as_view(), name="checkin-timings"),
    path("projects/<int:pk>/checkin/search/", api.SearchView.as_view(), name="checkin-search"),
]
