from django.urls import path

from . import views

app_name = "checkin"

urlpatterns = [
    path("projects/<int:pk>/scan/", views.scanner, name="scan"),
    path("projects/<int:pk>/board/", views.board, name="board"),
    path("projects/<int:pk>/board/live/", views.board_live, name="board_live"),
    path("projects/<int:pk>/panel/", views.panel, name="panel"),
    path("conflicts/<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
]
