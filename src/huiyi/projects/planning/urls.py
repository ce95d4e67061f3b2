from django.urls import path

from . import views

app_name = "planning"

urlpatterns = [
    path("projects/<int:project_pk>/", views.project_plans, name="project_plans"),
    path("projects/<int:project_pk>/versions/new/", views.new_version, name="new_version"),
    path("versions/<int:pk>/", views.version_detail, name="version"),
    path("versions/<int:pk>/goals/", views.save_goals, name="save_goals"),
    path("versions/<int:pk>/lines/<str:kind>/add/", views.add_line, name="add_line"),
    path("lines/<str:kind>/<int:line_pk>/edit/", views.edit_line, name="edit_line"),
    path("lines/<str:kind>/<int:line_pk>/delete/", views.delete_line, name="delete_line"),
    path("versions/<int:pk>/submit/", views.submit, name="submit"),
    path("versions/<int:pk>/review/", views.add_review, name="review"),
    path("versions/<int:pk>/conclude/", views.conclude, name="conclude"),
    path("versions/<int:pk>/send/", views.send, name="send"),
    path("versions/<int:pk>/signed-copy/", views.upload_signed_copy, name="upload_signed_copy"),
    path("signed-copies/<int:copy_pk>/", views.signed_copy, name="signed_copy"),
    path("versions/<int:pk>/plan.pdf", views.plan_pdf, name="pdf"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
]
