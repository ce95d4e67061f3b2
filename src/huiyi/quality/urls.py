from django.urls import path

from . import views

app_name = "quality"

urlpatterns = [
    path("projects/<int:pk>/", views.scorecard, name="scorecard"),
    path("projects/<int:pk>/evaluate/", views.evaluate, name="evaluate"),
    path("projects/<int:pk>/measure/<str:rule_id>/", views.measure, name="measure"),
    path("nonconformances/", views.nonconformance_list, name="nonconformances"),
    path("nonconformances/<int:pk>/", views.nonconformance_detail, name="nonconformance"),
    path("nonconformances/<int:pk>/<slug:step>/", views.nonconformance_step, name="nonconformance_step"),
    path("check/", views.check, name="check"),
]
