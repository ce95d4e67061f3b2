from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.feedback.complaints"
    label = "complaints"
    verbose_name = _("Complaints")

    def ready(self):
        pass
