from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("", views.staff_list, name="list"),
    path("me/", views.me, name="me"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.profile_edit, name="edit"),
    path("<int:pk>/certifications/new/", views.certification_new, name="certification_new"),
    path("<int:pk>/feedback/", views.feedback, name="feedback"),
    path("<int:pk>/reviews/new/", views.review_new, name="review_new"),
    path("certifications/<int:pk>/", views.certification_edit, name="certification_edit"),
    path("certifications/<int:pk>/delete/", views.certification_delete, name="certification_delete"),
    path("training/", views.training, name="training"),
    path("training/modules/<slug:key>/", views.module_edit, name="module"),
    path("training/sessions/", views.sessions, name="sessions"),
    path("training/sessions/new/", views.session_new, name="session_new"),
    path("training/sessions/<int:pk>/", views.session_detail, name="session"),
    path("reviews/", views.reviews, name="reviews"),
    path("reviews/<int:pk>/", views.review, name="review"),
    path("reviews/<int:pk>/edit/", views.review_edit, name="review_edit"),
    path("reviews/<int:pk>/submit/", views.review_submit, name="review_submit"),
    path("reviews/<int:pk>/acknowledge/", views.review_acknowledge, name="review_acknowledge"),
    path("reviews/<int:pk>/accountability/", views.review_link, name="review_link"),
]
