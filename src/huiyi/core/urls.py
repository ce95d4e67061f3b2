from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("glossary/", views.glossary, name="glossary"),
    path("audit/", views.audit_search, name="audit"),
    path("notifications/", views.notification_list, name="notifications"),
    path("activity/<int:content_type_id>/<str:object_pk>/", views.activity, name="activity"),
]
