from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.quality.sop"
    label = "sop"
    verbose_name = _("Procedures (SOP)")

    def ready(self):
        from huiyi.core.audit import register
        from huiyi.core.navigation import Module
        from huiyi.core.navigation import register as register_module

        from . import metrics, models, rules  # noqa: F401  (registers the metric and the permissions)

        for model in (models.Procedure, models.ProcedureVersion, models.OptimisationMeeting):
            register(model)
        register_module(
            Module("sop", _("SOP library"), "sop:list", "journal-bookmark", "sop.read", secondary=True),
            after="audits",
        )
