from django.urls import path

from . import views

app_name = "preparedness"

urlpatterns = [
    path("projects/<int:pk>/", views.project_home, name="project"),
    path("projects/<int:pk>/panel/", views.panel, name="panel"),
    path("projects/<int:pk>/resources/new/", views.resource_add, name="resource_add"),
    path("projects/<int:pk>/resources/<slug:key>/check/", views.resource_check, name="resource_check"),
    path("resources/<int:pk>/check/", views.item_check, name="item_check"),
    path("resources/<int:pk>/clear/", views.resource_clear, name="resource_clear"),
    path("projects/<int:pk>/contacts/new/", views.contact_add, name="contact_add"),
    path("projects/<int:pk>/contacts.pdf", views.contact_sheet_pdf, name="contact_sheet"),
    path("projects/<int:pk>/contacts/posted/", views.contacts_posted, name="contacts_posted"),
    path("projects/<int:pk>/contacts/send/", views.contacts_send, name="contacts_send"),
    path("contacts/<int:pk>/edit/", views.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/delete/", views.contact_delete, name="contact_delete"),
    path("projects/<int:pk>/import-plan-risks/", views.import_plan_risks, name="import_plan_risks"),
    path("risks/", views.risk_register, name="risks"),
    path("risks/new/", views.risk_add, name="risk_add"),
    path("risks/<int:pk>/edit/", views.risk_edit, name="risk_edit"),
    path("risks/<int:pk>/review/", views.risk_review, name="risk_review"),
    path("risks/<int:pk>/status/", views.risk_status, name="risk_status"),
    path("channels/", views.channel_list, name="channels"),
    path("channels/new/", views.channel_add, name="channel_add"),
    path("channels/<int:pk>/edit/", views.channel_edit, name="channel_edit"),
    path("channels/<int:pk>/test/", views.channel_test, name="channel_test"),
    path("deliveries/<int:pk>/retry/", views.delivery_retry, name="delivery_retry"),
    path("notifications/<int:pk>/", views.notification_deliveries, name="notification_deliveries"),
    path("support/", views.support_desk, name="support"),
]
