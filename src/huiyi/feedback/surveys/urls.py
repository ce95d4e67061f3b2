from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("projects/<int:pk>/", views.project_page, name="project"),
    path("projects/<int:pk>/new/", views.survey_add, name="add"),
    path("projects/<int:pk>/revisits/new/", views.revisit_add, name="revisit_add"),
    path("revisits/<int:pk>/edit/", views.revisit_edit, name="revisit_edit"),
    path("<int:pk>/results/", views.results, name="results"),
    path("<int:pk>/results.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<int:pk>/results.pdf", views.export_pdf, name="export_pdf"),
    path("<int:pk>/qr.png", views.survey_qr, name="qr"),
    path("<int:pk>/invite/", views.survey_invite, name="invite"),
    path("<int:pk>/close/", views.survey_close, name="close"),
    path("<int:pk>/reopen/", views.survey_reopen, name="reopen"),
    path("<int:pk>/analysis/", views.survey_analysis, name="analysis"),
    path("<int:pk>/link/", views.attendee_link, name="attendee_link"),
    path("<int:pk>/enter/", views.staff_entry, name="enter"),
    path("templates/", views.template_list, name="templates"),
    path("templates/new/", views.template_add, name="template_add"),
    path("templates/<int:pk>/", views.template_edit, name="template"),
    path("templates/<int:pk>/questions/new/", views.question_add, name="question_add"),
    path("questions/<int:pk>/", views.question_edit, name="question"),
    path("a/<str:code>/", views.answer_public, name="public"),
    path("r/<str:token>/", views.answer_personal, name="personal"),
]
