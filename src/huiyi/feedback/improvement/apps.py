from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.feedback.improvement"
    label = "improvement"
    verbose_name = _("Improvement")

    def ready(self):
        from huiyi.core.audit import register
        from huiyi.core.navigation import Module
        from huiyi.core.navigation import register as register_module
        from huiyi.onsite.panels import Panel
        from huiyi.onsite.panels import register as register_panel
        from huiyi.projects.sections import Section
        from huiyi.projects.sections import register as register_section

        from . import metrics, models, outputs, rules, tasks  # noqa: F401  (metrics, outputs, permissions, jobs)

        for model in (
            models.FeedbackAnalysis,
            models.AnalysisIssue,
            models.StrengthWeakness,
            models.ImprovementAction,
            models.QuarterlyReport,
        ):
            register(model)

        register_section(Section("improvement", "improvement/_project_section.html", order=65))
        register_panel(Panel("improvement", "improvement/_cockpit_panel.html", order=90, width="col-lg-6"))
        register_module(
            Module(
                "improvement",
                _("Improvement"),
                "improvement:actions",
                "arrow-repeat",
                "improvement.view_improvementaction",
                secondary=True,
            )
        )
