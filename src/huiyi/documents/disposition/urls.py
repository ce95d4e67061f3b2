from django.urls import path

from . import views

app_name = "disposition"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("projects/<int:pk>/", views.queue, name="project"),
    path("documents/<int:pk>/request/", views.request_destruction, name="request_new"),
    path("documents/<int:pk>/hold/", views.hold, {"action": "place"}, name="hold"),
    path("documents/<int:pk>/release/", views.hold, {"action": "lift"}, name="release"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/approve/", views.approve, name="approve"),
    path("requests/<int:pk>/reject/", views.reject, name="reject"),
    path("requests/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("requests/<int:pk>/destroy/", views.destroy, name="destroy"),
    path("records/", views.records, name="records"),
    path("records/<int:pk>/", views.record_detail, name="record"),
]
