from django.urls import path

from . import views

app_name = "rulebook"

_RULE = "<str:rule_id>"

urlpatterns = [
    path("", views.browse, name="browse"),
    path(f"rules/{_RULE}/", views.rule_detail, name="rule"),
    path("versions/", views.version_list, name="versions"),
    path("versions/<int:number>/", views.version_detail, name="version"),
    path("versions/<int:number>/clone/", views.version_clone, name="clone"),
    path("versions/<int:number>/activate/", views.version_activate, name="activate"),
    path(f"versions/<int:number>/rules/{_RULE}/edit/", views.rule_edit, name="rule_edit"),
    path("diff/", views.version_diff, name="diff"),
]
