"""API routes of the calendar service; included by huiyi.api.urls (so they live under /api/v1/)."""

from django.urls import path

from .api import DueView

urlpatterns = [
    path("calendar/due/", DueView.as_view(), name="calendar-due"),
]
