from django.urls import path

from . import views

app_name = "preparation"

urlpatterns = [
    path("projects/<int:pk>/tasks/", views.task_list, name="tasks"),
    path("projects/<int:pk>/tasks/new/", views.task_add, name="task_add"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<int:pk>/done/", views.task_done, name="task_done"),
    path("projects/<int:pk>/review/start/", views.review_start, name="review_start"),
    path("review-steps/<int:pk>/decide/", views.review_decide, name="review_decide"),
    path("review-steps/<int:pk>/restart/", views.review_restart, name="review_restart"),
    path("projects/<int:pk>/trainings/new/", views.training_add, name="training_add"),
    path("trainings/<int:pk>/attendance/", views.training_attendance, name="training_attendance"),
    path("projects/<int:pk>/host-evaluations/new/", views.host_evaluation_add, name="host_add"),
    path("projects/<int:pk>/materials/new/", views.material_add, name="material_add"),
    path("materials/<int:pk>/decision/", views.material_decision, name="material_decision"),
    path("materials/<int:pk>/link/", views.material_link, name="material_link"),
    path("materials/<int:pk>/delivery/", views.material_delivery, name="material_delivery"),
    path("approve/<str:token>/", views.approve_design, name="approve"),
    path("projects/<int:pk>/messages/new/", views.message_add, name="message_add"),
    path("messages/<int:pk>/responded/", views.message_responded, name="message_responded"),
    path("projects/<int:pk>/attendee-communications/new/", views.attendee_add, name="attendee_add"),
    path("attendee-communications/<int:pk>/sent/", views.attendee_sent, name="attendee_sent"),
    path("projects/<int:pk>/team/", views.team, name="team"),
    path("projects/<int:pk>/schedule.ics", views.schedule_ics, name="schedule_ics"),
]
