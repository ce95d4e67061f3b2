from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.projects.preparation"
    label = "preparation"
    verbose_name = _("Preparation")

    def ready(self):
        from huiyi.core.audit import register

        from . import models

        for model in (
            models.Task,
            models.PreparationSettings,
            models.ReviewStep,
            models.TrainingSession,
            models.TrainingAttendance,
            models.HostEvaluation,
            models.MaterialItem,
            models.ClientMessage,
            models.AttendeeCommunication,
        ):
            register(model)

        from huiyi.projects.sections import Section
        from huiyi.projects.sections import register as register_section

        from . import metrics, outputs, rules  # noqa: F401  (registers metrics, outputs and permissions)

        register_section(Section("preparation", "preparation/_project_section.html", order=40))
