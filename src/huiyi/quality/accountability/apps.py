from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.quality.accountability"
    label = "accountability"
    verbose_name = _("Violations and accountability")

    def ready(self):
        pass
