from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    name = "huiyi.clients"
    label = "clients"
    verbose_name = _("Clients")

    def ready(self):
        from huiyi.core.audit import register

        from .models import Client, Contact

        register(Client)
        register(Contact)
