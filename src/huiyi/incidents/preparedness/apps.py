from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.incidents.preparedness"
    label = "preparedness"
    verbose_name = _("Emergency preparedness")

    def ready(self):
        pass
