"""API routes of this app (mounted under /api/v1/)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from .api import (
    CalculateView,
    EquipmentViewSet,
    ProjectBookingViewSet,
    ProjectRehearsalViewSet,
    SupplierViewSet,
    VenueRoomViewSet,
    VenueViewSet,
)

router = SimpleRouter()
router.register("venues", VenueViewSet, basename="venue")
router.register("equipment", EquipmentViewSet, basename="equipment")
router.register("suppliers", SupplierViewSet, basename="supplier")
router.register(r"venues/(?P<venue_pk>\d+)/rooms", VenueRoomViewSet, basename="venue-room")
router.register(r"projects/(?P<project_pk>\d+)/bookings", ProjectBookingViewSet, basename="project-booking")
router.register(
    r"projects/(?P<project_pk>\d+)/rehearsals", ProjectRehearsalViewSet, basename="project-rehearsal"
)

urlpatterns = [
    path("resources/calculate/", CalculateView.as_view(), name="resources-calculate"),
    path("", include(router.urls)),
]
