from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.projects.planning"
    label = "planning"
    verbose_name = _("Planning")

    def ready(self):
        from huiyi.core.audit import register
        from huiyi.projects.sections import Section
        from huiyi.projects.sections import register as register_section

        from . import metrics, models, outputs, rules  # noqa: F401  (registrations)

        for model in (
            models.PlanVersion,
            models.AgendaItem,
            models.ResourceLine,
            models.BudgetLine,
            models.RiskItem,
            models.PlanReview,
            models.ClientResponse,
            models.SectionAnswer,
            models.SignedCopy,
        ):
            register(model)
        register_section(Section("planning", "planning/_project_section.html", order=20))
