from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.feedback.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self):
        pass
