from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.feedback.complaints"
    label = "complaints"
    verbose_name = _("Complaints")

    def ready(self):
        from huiyi.core.audit import register
        from huiyi.core.navigation import Module
        from huiyi.core.navigation import register as register_module
        from huiyi.onsite.panels import Panel
        from huiyi.onsite.panels import register as register_panel
        from huiyi.projects.sections import Section
        from huiyi.projects.sections import register as register_section

        from . import models

        for model in (models.Complaint, models.ComplaintAttachment, models.ComplaintEvent):
            register(model)

        from . import metrics, rules, tasks  # noqa: F401  (registers metrics, permissions, periodic job)

        register_section(Section("complaints", "complaints/_project_section.html", order=62))
        register_panel(Panel("complaints", "complaints/_cockpit_panel.html", order=70))
        register_module(
            Module("complaints", _("Complaints"), "complaints:list", "megaphone", "complaints.dashboard"),
            after="quality",
        )
