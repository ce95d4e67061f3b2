from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.onsite.checkin"
    label = "checkin"
    verbose_name = _("Check-in")

    def ready(self):
        pass
