from django.urls import path

from . import views

app_name = "onsite"

urlpatterns = [
    path("projects/<int:pk>/", views.cockpit, name="cockpit"),
]
