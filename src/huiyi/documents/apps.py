from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.documents"
    label = "documents"
    verbose_name = _("Documents")

    def ready(self):
        pass
