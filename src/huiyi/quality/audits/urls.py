from django.urls import path

from . import views

app_name = "audits"

urlpatterns = [
    path("", views.audit_list, name="list"),
    path("new/", views.audit_new, name="new"),
    path("compliance/", views.compliance, name="compliance"),
    path("<int:pk>/", views.audit_detail, name="detail"),
    path("<int:pk>/start/", views.start, name="start"),
    path("<int:pk>/items/<int:item_pk>/", views.assess, name="assess"),
    path("<int:pk>/complete/", views.complete, name="complete"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/report.pdf", views.report_pdf, name="report"),
]
