from django.urls import path

from . import views

app_name = "sop"

urlpatterns = [
    path("", views.library, name="list"),
    path("new/", views.procedure_new, name="new"),
    path("meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("<int:pk>/", views.procedure_detail, name="detail"),
    path("<int:pk>/versions/new/", views.version_new, name="version_new"),
    path("versions/<int:pk>/file/", views.version_file, name="version_file"),
]
