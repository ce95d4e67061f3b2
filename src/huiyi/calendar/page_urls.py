"""The calendar's pages (mounted at /calendar/); its API routes are in urls.py."""

from django.urls import path

from . import views

app_name = "calendar"

urlpatterns = [
    path("", views.year_view, name="year"),
    path("days/new/", views.day_edit, name="day_new"),
    path("days/<int:pk>/", views.day_edit, name="day_edit"),
    path("days/<int:pk>/delete/", views.day_delete, name="day_delete"),
    path("import/", views.import_view, name="import"),
]
