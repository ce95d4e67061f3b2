from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.quality.kpis"
    label = "kpis"
    verbose_name = _("KPIs")

    def ready(self):
        pass
