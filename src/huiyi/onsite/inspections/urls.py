from django.urls import path

from . import views

app_name = "inspections"

urlpatterns = [
    path("projects/<int:pk>/", views.home, name="home"),
    path("projects/<int:pk>/rounds/new/", views.round_new, name="round_new"),
    path("projects/<int:pk>/judge/", views.judge, name="judge"),
    path("projects/<int:pk>/milestones/", views.milestone_record, name="milestone"),
    path("projects/<int:pk>/roll-call/", views.roll_call, name="roll_call"),
    path("projects/<int:pk>/panel/", views.panel, name="panel"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/complete/", views.round_complete, name="round_complete"),
    path("readings/<int:pk>/correct/", views.reading_correct, name="correct"),
]
