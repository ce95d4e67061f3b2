from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.documents.disposition"
    label = "disposition"
    verbose_name = _("Disposition")

    def ready(self):
        from huiyi.core.audit import register
        from huiyi.core.navigation import Module
        from huiyi.core.navigation import register as register_module

        from . import models

        for model in (
            models.DispositionRequest,
            models.DestructionRecord,
            models.DestroyedFile,
            models.LegalHoldEvent,
        ):
            register(model)

        from . import metrics, rules, tasks  # noqa: F401  (registers the metric, permissions, daily jobs)

        register_module(
            Module(
                "disposition",
                _("Disposition"),
                "disposition:queue",
                "trash3",
                "disposition.queue",
                secondary=True,
            ),
            after="documents",
        )
