from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.incidents"
    label = "incidents"
    verbose_name = _("Incidents and emergencies")

    def ready(self):
        pass
