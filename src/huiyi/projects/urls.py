from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("new/", views.project_create, name="create"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
    path("<int:pk>/close-phase/", views.phase_close, name="close_phase"),
    path("<int:pk>/timeline/", views.project_timeline, name="timeline"),
    path("<int:pk>/team/", views.project_team, name="team"),
    path("green/", views.green_report, name="green"),
]
