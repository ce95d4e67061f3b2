from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.incidents.preparedness"
    label = "preparedness"
    verbose_name = _("Emergency preparedness")

    def ready(self):
        from huiyi.core.audit import register
        from huiyi.core.navigation import Module
        from huiyi.core.navigation import register as register_module
        from huiyi.onsite.panels import Panel
        from huiyi.onsite.panels import register as register_panel
        from huiyi.projects.sections import Section
        from huiyi.projects.sections import register as register_section

        from . import metrics, models, rules, tasks  # noqa: F401  (metrics, permissions, jobs)

        for model in (
            models.EmergencyResource,
            models.EmergencyContact,
            models.ContactSheet,
            models.Risk,
            models.SupportDesk,
        ):
            register(model)

        register_panel(Panel("preparedness", "preparedness/_cockpit_panel.html", order=40, width="col-lg-6"))
        register_section(Section("preparedness", "preparedness/_project_section.html", order=75))
        register_module(
            Module(
                "preparedness",
                _("Risk register"),
                "preparedness:risks",
                "shield-exclamation",
                "preparedness.view_risk",
                secondary=True,
            )
        )
