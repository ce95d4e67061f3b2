from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.documents.disposition"
    label = "disposition"
    verbose_name = _("Disposition")

    def ready(self):
        pass
