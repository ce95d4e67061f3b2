from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.projects.preparation"
    label = "preparation"
    verbose_name = _("Preparation")

    def ready(self):
        from huiyi.core.audit import register

        from . import models

        for model in (models.Task,):
            register(model)
