from django.urls import path

from . import views

app_name = "contracts"

urlpatterns = [
    path("project/<int:project_pk>/new/", views.contract_create, name="create"),
    path("<int:pk>/", views.contract_detail, name="detail"),
    path("<int:pk>/edit/", views.contract_edit, name="edit"),
    path("<int:pk>/signed-copy/", views.signed_copy_upload, name="signed_copy_upload"),
    path("<int:pk>/signed-copy/download/", views.signed_copy_download, name="signed_copy"),
    path("<int:pk>/sign/", views.contract_sign, name="sign"),
    path("<int:pk>/close/", views.contract_close, name="close"),
    path("<int:pk>/delete/", views.contract_delete, name="delete"),
    path("<int:pk>/contract.pdf", views.contract_pdf, name="pdf"),
    path("<int:pk>/changes/new/", views.change_create, name="change_create"),
    path("<int:pk>/breaches/new/", views.breach_create, name="breach_create"),
    path("changes/<int:pk>/approve/", views.change_approve, name="change_approve"),
    path("changes/<int:pk>/reject/", views.change_reject, name="change_reject"),
    path("changes/<int:pk>/client-link/", views.change_client_link, name="change_client_link"),
    path("changes/<int:pk>/client-record/", views.change_client_record, name="change_client_record"),
    path("change/<str:token>/", views.client_change, name="client_change"),
    path("breaches/<int:pk>/remedy/", views.breach_remedy, name="breach_remedy"),
]
