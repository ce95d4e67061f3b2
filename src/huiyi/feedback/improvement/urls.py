from django.urls import path

from . import views

app_name = "improvement"

urlpatterns = [
    path("actions/", views.actions, name="actions"),
    path("quarterly/", views.quarterly, name="quarterly"),
    path("quarterly/report.pdf", views.quarterly_pdf, name="quarterly_pdf"),
    path("quarterly/report.xlsx", views.quarterly_xlsx, name="quarterly_xlsx"),
    path("projects/<int:pk>/", views.project_page, name="project"),
    path("projects/<int:pk>/issues/new/", views.issue_add, name="issue_add"),
    path("projects/<int:pk>/issues/prefill/", views.prefill, name="prefill"),
    path("projects/<int:pk>/lines/new/", views.line_add, name="line_add"),
    path("projects/<int:pk>/analysis/complete/", views.analysis_complete, name="analysis_complete"),
    path("projects/<int:pk>/analysis/reopen/", views.analysis_reopen, name="analysis_reopen"),
    path("projects/<int:pk>/analysis.pdf", views.analysis_pdf, name="analysis_pdf"),
    path("projects/<int:pk>/plan.pdf", views.plan_pdf, name="plan_pdf"),
    path("projects/<int:pk>/plan.xlsx", views.plan_xlsx, name="plan_xlsx"),
    path("projects/<int:pk>/actions/new/", views.action_add, name="action_add"),
    path("issues/<int:pk>/delete/", views.issue_delete, name="issue_delete"),
    path("lines/<int:pk>/delete/", views.line_delete, name="line_delete"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("actions/<int:pk>/start/", views.action_start, name="action_start"),
    path("actions/<int:pk>/done/", views.action_done, name="action_done"),
    path("actions/<int:pk>/evaluate/", views.action_evaluate, name="action_evaluate"),
    path("actions/<int:pk>/delete/", views.action_delete, name="action_delete"),
]
