from django.urls import path

from . import views

app_name = "docsearch"

urlpatterns = [
    path("", views.search, name="search"),
]
