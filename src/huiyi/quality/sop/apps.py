from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.quality.sop"
    label = "sop"
    verbose_name = _("Procedures (SOP)")

    def ready(self):
        pass
