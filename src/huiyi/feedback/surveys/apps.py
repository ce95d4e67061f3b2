from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.feedback.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self):
        from huiyi.core.audit import register
        from huiyi.onsite.panels import Panel
        from huiyi.onsite.panels import register as register_panel
        from huiyi.projects.sections import Section
        from huiyi.projects.sections import register as register_section

        from . import models

        for model in (
            models.SurveyTemplate,
            models.Question,
            models.Survey,
            models.Invitation,
            models.Response,
            models.Answer,
            models.Revisit,
        ):
            register(model)

        from . import metrics, outputs, rules  # noqa: F401  (registers metrics, outputs and permissions)

        register_section(Section("surveys", "surveys/_project_section.html", order=60))
        register_panel(Panel("surveys", "surveys/_cockpit_panel.html", order=80))
