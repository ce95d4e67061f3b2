from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.feedback.improvement"
    label = "improvement"
    verbose_name = _("Improvement")

    def ready(self):
        pass
