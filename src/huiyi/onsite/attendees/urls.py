from django.urls import path

from . import views

app_name = "attendees"

urlpatterns = [
    path("projects/<int:pk>/", views.attendee_list, name="list"),
    path("projects/<int:pk>/new/", views.attendee_add, name="add"),
    path("projects/<int:pk>/import/", views.import_upload, name="import"),
    path("projects/<int:pk>/import/<str:token>/", views.import_mapping, name="import_mapping"),
    path("projects/<int:pk>/export.xlsx", views.export_xlsx, name="export"),
    path("projects/<int:pk>/badges.pdf", views.badges_pdf, name="badges"),
    path("<int:pk>/", views.attendee_detail, name="detail"),
    path("<int:pk>/edit/", views.attendee_edit, name="edit"),
    path("<int:pk>/cancel/", views.attendee_cancel, name="cancel"),
    path("<int:pk>/reinstate/", views.attendee_reinstate, name="reinstate"),
    path("<int:pk>/reissue-ticket/", views.ticket_reissue, name="reissue"),
    path("<int:pk>/ticket-link/", views.ticket_link, name="ticket_link"),
    path("<int:pk>/badge.pdf", views.attendee_badge, name="badge"),
    path("ticket/<str:token>/", views.ticket_page, name="ticket"),
]
