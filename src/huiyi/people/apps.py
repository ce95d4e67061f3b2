from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.people"
    label = "people"
    verbose_name = _("People")

    def ready(self):
        pass
