from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "huiyi.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from . import channels  # noqa: F401  (the delivery tasks and their minute's sweep)
        from .audit import register
        from .models import AccessLink, ChannelConfig, Delivery, Notification, ParkedTask

        register(AccessLink, exclude_fields=["token_hash"])
        register(Notification)
        register(ChannelConfig, exclude_fields=["secret"])
        register(Delivery)
        register(ParkedTask, exclude_fields=["data"])  # the queued message itself is not an audit fact
