from django.urls import path

from . import views

app_name = "accountability"

urlpatterns = [
    path("", views.violation_list, name="list"),
    path("new/", views.violation_new, name="new"),
    path("<int:pk>/", views.violation_detail, name="detail"),
    path("<int:pk>/<slug:step>/", views.violation_step, name="step"),
]
