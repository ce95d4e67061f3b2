from django.urls import path

from . import views

app_name = "intake"

urlpatterns = [
    path("", views.inquiry_list, name="inquiries"),
    path("new/", views.inquiry_create, name="inquiry_create"),
    path("<int:pk>/", views.inquiry_detail, name="inquiry"),
    path("<int:pk>/steps/<slug:step>/", views.inquiry_step, name="inquiry_step"),
    path("<int:pk>/convert/", views.inquiry_convert, name="inquiry_convert"),
    path("<int:pk>/attach/", views.inquiry_attach, name="inquiry_attach"),
    path("projects/<int:pk>/requirements/", views.requirements, name="requirements"),
    path(
        "projects/<int:pk>/requirements/completeness/",
        views.requirements_completeness,
        name="requirements_completeness",
    ),
    path("projects/<int:pk>/requirements.pdf", views.requirements_pdf, name="requirements_pdf"),
    path("projects/<int:pk>/requirements/send/", views.requirements_send, name="requirements_send"),
    path(
        "projects/<int:pk>/requirements/discrepancies/", views.discrepancy_create, name="discrepancy_create"
    ),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
]
