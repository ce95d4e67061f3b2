from django.urls import path

from . import views

app_name = "kpis"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.xlsx", views.export, {"kind": "xlsx"}, name="export_xlsx"),
    path("export.pdf", views.export, {"kind": "pdf"}, name="export_pdf"),
    path("monthly-report/", views.monthly_settings, name="settings"),
    path("monthly-report/<int:pk>/", views.monthly_report, name="monthly_report"),
    path("<slug:key>/", views.detail, name="detail"),
]
