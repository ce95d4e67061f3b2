from django.urls import path

from . import views

app_name = "complaints"

urlpatterns = [
    path("", views.complaint_list, name="list"),
    path("projects/<int:pk>/new/", views.complaint_new, name="new"),
    path("projects/<int:pk>/links/", views.project_links, name="links"),
    path("projects/<int:pk>/links/<int:link_pk>/revoke/", views.revoke_link, name="revoke_link"),
    path("projects/<int:pk>/panel/", views.panel, name="panel"),
    path("<int:pk>/", views.complaint_detail, name="detail"),
    path("<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<int:pk>/start/", views.start, name="start"),
    path("<int:pk>/pause/", views.pause, name="pause"),
    path("<int:pk>/resume/", views.resume, name="resume"),
    path("<int:pk>/resolve/", views.resolve, name="resolve"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/escalate/", views.escalate, name="escalate"),
    path("<int:pk>/severity/", views.severity, name="severity"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/nonconformance/", views.raise_nc, name="raise_nc"),
    path("<int:pk>/attach/", views.attach, name="attach"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("c/<str:token>/", views.public_form, name="public"),
    path("c/<str:token>/received/", views.public_received, name="public_received"),
]
