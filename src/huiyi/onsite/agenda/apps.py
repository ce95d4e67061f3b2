from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.onsite.agenda"
    label = "liveagenda"
    verbose_name = _("Live agenda")

    def ready(self):
        pass
