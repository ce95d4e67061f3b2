from django.urls import path

from . import filing_views, views

app_name = "documents"

urlpatterns = [
    path("", views.index, name="index"),
    path("projects/<int:pk>/", views.project_documents, name="project"),
    path("projects/<int:pk>/new/", views.document_new, name="new"),
    path("projects/<int:pk>/agreement/", views.sign_agreement, name="sign_agreement"),
    path("projects/<int:pk>/file-outputs/", filing_views.file_outputs, name="file_outputs"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/versions/", views.version_add, name="version_add"),
    path("versions/<int:pk>/download/", views.download, name="download"),
    path("access-log/", views.access_log, name="access_log"),
]
