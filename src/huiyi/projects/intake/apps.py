from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.projects.intake"
    label = "intake"
    verbose_name = _("Intake and requirements")

    def ready(self):
        from huiyi.core import audit

        from . import models

        for model in (
            models.Inquiry,
            models.KeyStep,
            models.RequirementsRevision,
            models.RequirementItem,
            models.Discrepancy,
        ):
            audit.register(model)
