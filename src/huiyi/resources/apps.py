from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.resources"
    label = "resources"
    verbose_name = _("Resources")
