from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.projects.preparation"
    label = "preparation"
    verbose_name = _("Preparation")
