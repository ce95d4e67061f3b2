from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.onsite.inspections"
    label = "inspections"
    verbose_name = _("On-site inspections")

    def ready(self):
        pass
