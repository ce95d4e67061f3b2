from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.onsite.attendees"
    label = "attendees"
    verbose_name = _("Attendees")

    def ready(self):
        from huiyi.core.audit import register

        from . import models

        register(models.Attendee)
        register(models.Ticket)
