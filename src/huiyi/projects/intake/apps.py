from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.projects.intake"
    label = "intake"
    verbose_name = _("Intake and requirements")
