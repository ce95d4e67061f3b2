from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "huiyi.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from .audit import register
        from .models import AccessLink, Notification

        register(AccessLink, exclude_fields=["token_hash"])
        register(Notification)
