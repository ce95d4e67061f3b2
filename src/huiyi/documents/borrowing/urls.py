from django.urls import path

from . import views

app_name = "borrowing"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("approvals/", views.approvals, name="approvals"),
    path("projects/<int:pk>/", views.project_borrowings, name="project"),
    path("new/", views.borrow_new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/reject/", views.reject, name="reject"),
    path("<int:pk>/hand-out/", views.hand_out, name="hand_out"),
    path("<int:pk>/return/", views.give_back, name="return"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/agreement/", views.sign, name="agreement"),
]
