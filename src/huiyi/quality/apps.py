from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "huiyi.quality"
    label = "quality"
    verbose_name = _("Quality")

    def ready(self):
        from huiyi.core.audit import register
        from huiyi.core.navigation import Module
        from huiyi.core.navigation import register as register_module

        from . import metrics  # noqa: F401  (registers the metrics computable from what exists)
        from .models import ControlPointResult, CorrectiveAction, ManualMeasurement, Nonconformance

        for model in (ManualMeasurement, ControlPointResult, Nonconformance, CorrectiveAction):
            register(model)
        register_module(
            Module("quality", _("Quality"), "quality:nonconformances", "clipboard-check", None),
            after="projects",
        )
