from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.closing"
    label = "closing"
    verbose_name = _("Closing a meeting")

    def ready(self):
        pass
