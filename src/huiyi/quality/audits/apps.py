from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.quality.audits"
    label = "audits"
    verbose_name = _("Internal audits")

    def ready(self):
        pass
