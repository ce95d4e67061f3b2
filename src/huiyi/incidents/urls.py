from django.urls import path

from . import views

app_name = "incidents"

urlpatterns = [
    path("", views.incident_list, name="list"),
    path("projects/<int:pk>/", views.project_incidents, name="project"),
    path("projects/<int:pk>/report/", views.report_form, name="report"),
    path("projects/<int:pk>/panel/", views.panel, name="panel"),
    path("projects/<int:pk>/no-incident/", views.confirm_calm, name="confirm_calm"),
    path("projects/<int:pk>/drills/new/", views.drill_new, name="drill_new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/live/", views.live, name="live"),
    path("<int:pk>/level/", views.set_level, name="level"),
    path("<int:pk>/actions/", views.add_action, name="action"),
    path("<int:pk>/clocks/<slug:clock>/stop/", views.stop_clock, name="stop_clock"),
    path("<int:pk>/resolve/", views.resolve, name="resolve"),
    path("<int:pk>/releases/", views.release, name="release"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
    path("<int:pk>/photo/", views.photo, name="photo"),
    path("chain/<int:pk>/ack/", views.acknowledge, name="ack"),
    path("ack/<str:token>/", views.ack_link, name="ack_link"),
    path("steps/<int:pk>/tick/", views.tick, name="tick"),
    path("plans/", views.plans, name="plans"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("drills/", views.drills, name="drills"),
    path("drills/<int:pk>/", views.drill_detail, name="drill"),
    path("drills/<int:pk>/run/", views.drill_run, name="drill_run"),
    path("drills/<int:pk>/evaluate/", views.drill_evaluate, name="drill_evaluate"),
]
