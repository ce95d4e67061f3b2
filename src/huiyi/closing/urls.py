from django.urls import path

from . import views

app_name = "closing"

urlpatterns = [
    path("projects/<int:pk>/", views.project_page, name="project"),
    path("projects/<int:pk>/lost-and-found/", views.lost_add, name="lost_add"),
    path("lost-and-found/<int:pk>/return/", views.lost_return, name="lost_return"),
    path("lost-and-found/<int:pk>/dispose/", views.lost_dispose, name="lost_dispose"),
    path("projects/<int:pk>/site-check/", views.site_check, name="site_check"),
    path("projects/<int:pk>/archive/<slug:key>/", views.archive, name="archive"),
    path("projects/<int:pk>/settlement/", views.settlement, name="settlement"),
    path("projects/<int:pk>/invoices/", views.invoice_add, name="invoice_add"),
    path("invoices/<int:pk>/correct/", views.invoice_correct, name="invoice_correct"),
    path("projects/<int:pk>/payments/", views.payment_add, name="payment_add"),
    path("payments/<int:pk>/paid/", views.payment_paid, name="payment_paid"),
    path("projects/<int:pk>/disputes/", views.dispute_add, name="dispute_add"),
    path("disputes/<int:pk>/resolve/", views.dispute_resolve, name="dispute_resolve"),
    path("projects/<int:pk>/evaluation/", views.evaluation, name="evaluation"),
    path("projects/<int:pk>/reports/", views.report_generate, name="report_generate"),
    path("reports/<int:pk>/", views.report_download, name="report_download"),
]
