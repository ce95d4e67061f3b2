from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.contracts"
    label = "contracts"
    verbose_name = _("Contracts")
