from django.urls import path

from . import views

app_name = "resources"

urlpatterns = [
    path("", views.index, name="index"),
    path("venues/", views.venue_list, name="venues"),
    path("venues/new/", views.venue_create, name="venue_create"),
    path("venues/<int:pk>/", views.venue_detail, name="venue"),
    path("venues/<int:pk>/edit/", views.venue_edit, name="venue_edit"),
    path("venues/<int:venue_pk>/rooms/new/", views.room_edit, name="room_create"),
    path("venues/<int:venue_pk>/rooms/<int:pk>/", views.room_edit, name="room_edit"),
    path("equipment/", views.equipment_list, name="equipment_list"),
    path("equipment/new/", views.equipment_create, name="equipment_create"),
    path("equipment/<int:pk>/", views.equipment_detail, name="equipment"),
    path("spare-parts/new/", views.spare_part_create, name="spare_part_create"),
    path("suppliers/", views.supplier_list, name="suppliers"),
    path("suppliers/new/", views.supplier_create, name="supplier_create"),
    path("suppliers/<int:pk>/", views.supplier_detail, name="supplier"),
    path("materials/", views.material_list, name="materials"),
    path("materials/new/", views.material_create, name="material_create"),
    path("calculator/", views.calculator_page, name="calculator"),
    path("calculator/apply/", views.calculator_apply, name="calculator_apply"),
    path("projects/<int:pk>/bookings/", views.project_bookings, name="project_bookings"),
    path("projects/<int:pk>/bookings/new/", views.booking_create, name="booking_create"),
    path("projects/<int:pk>/rehearsal/", views.rehearsal_record, name="rehearsal"),
    path("bookings/<int:pk>/confirm/", views.booking_confirm, name="booking_confirm"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("bookings/<int:pk>/check/", views.equipment_check, name="equipment_check"),
    path("bookings/<int:pk>/file/<str:which>/", views.booking_file, name="booking_file"),
]
