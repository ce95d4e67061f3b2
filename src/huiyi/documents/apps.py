from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.documents"
    label = "documents"
    verbose_name = _("Documents")

    def ready(self):
        from huiyi.core.audit import register
        from huiyi.core.navigation import Module
        from huiyi.core.navigation import register as register_module
        from huiyi.onsite.panels import Panel
        from huiyi.onsite.panels import register as register_panel
        from huiyi.projects.sections import Section
        from huiyi.projects.sections import register as register_section

        from . import models

        for model in (
            models.Document,
            models.DocumentVersion,
            models.AccessLog,
            models.ConfidentialityAgreement,
        ):
            register(model)

        from . import metrics, rules  # noqa: F401  (registers metrics and permissions)
        from .backup import tasks  # noqa: F401  (the daily backup job)

        register_section(Section("documents", "documents/_project_section.html", order=80))
        register_panel(Panel("documents", "documents/_cockpit_panel.html", order=90))
        register_module(
            Module(
                "documents",
                _("Documents"),
                "documents:index",
                "folder2-open",
                "documents.view_document",
                secondary=True,
            )
        )

        from . import filing_outputs, filing_tasks  # noqa: F401  (phase outputs filed as documents)
