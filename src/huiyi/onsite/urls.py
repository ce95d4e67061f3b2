from django.urls import path

from . import views

app_name = "onsite"

urlpatterns = [
    path("", views.index, name="index"),
    path("projects/<int:pk>/", views.cockpit, name="cockpit"),
]
