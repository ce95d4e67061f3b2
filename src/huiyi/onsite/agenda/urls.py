from django.urls import path

from . import views

app_name = "liveagenda"

urlpatterns = [
    path("projects/<int:pk>/", views.agenda, name="agenda"),
    path("projects/<int:pk>/panel/", views.panel, name="panel"),
    path("projects/<int:pk>/items/new/", views.item_add, name="item_add"),
    path("projects/<int:pk>/copy-plan/", views.copy_plan, name="copy_plan"),
    path("projects/<int:pk>/start-next/", views.start_next, name="start_next"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:pk>/correct/", views.item_correct, name="item_correct"),
    path("items/<int:pk>/delete/", views.item_delete, name="item_delete"),
    path("items/<int:pk>/start/", views.item_start, name="item_start"),
    path("items/<int:pk>/end/", views.item_end, name="item_end"),
    path("items/<int:pk>/answers/start/", views.answer_start, name="answer_start"),
    path("answers/<int:pk>/end/", views.answer_end, name="answer_end"),
    path("projects/<int:pk>/reports/", views.reports, name="reports"),
    path("projects/<int:pk>/coverage/", views.coverage, name="coverage"),
    path("projects/<int:pk>/coverage/generate/", views.coverage_generate, name="coverage_generate"),
    path("projects/<int:pk>/coverage/new/", views.coverage_add, name="coverage_add"),
    path("coverage/<int:pk>/tick/", views.coverage_tick, name="coverage_tick"),
    path("projects/<int:pk>/satisfaction/", views.satisfaction, name="satisfaction"),
    path("projects/<int:pk>/minutes-owner/", views.minutes_owner, name="minutes_owner"),
]
