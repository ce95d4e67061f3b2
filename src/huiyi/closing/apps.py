from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.closing"
    label = "closing"
    verbose_name = _("Closing a meeting")

    def ready(self):
        from huiyi.core.audit import register
        from huiyi.onsite.panels import Panel
        from huiyi.onsite.panels import register as register_panel
        from huiyi.projects.sections import Section
        from huiyi.projects.sections import register as register_section

        from . import models

        for model in (
            models.LostItem,
            models.SiteCheck,
            models.ArchiveItem,
            models.Settlement,
            models.Invoice,
            models.Payment,
            models.Dispute,
            models.ServiceEvaluation,
            models.EvaluationScore,
            models.SummaryReport,
        ):
            register(model)

        from . import metrics, outputs, rules  # noqa: F401  (registers metrics, the output and permissions)

        register_section(Section("closing", "closing/_project_section.html", order=70))
        register_panel(Panel("closing", "closing/_cockpit_panel.html", order=80))
