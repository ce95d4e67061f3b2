from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.projects.intake"
    label = "intake"
    verbose_name = _("Intake and requirements")

    def ready(self):
        from huiyi.core import audit, navigation
        from huiyi.projects import sections

        from . import metrics, models, outputs, rules, timeline  # noqa: F401  (they register themselves)

        for model in (
            models.Inquiry,
            models.KeyStep,
            models.RequirementsRevision,
            models.RequirementItem,
            models.Discrepancy,
            models.ClientComment,
        ):
            audit.register(model)
        sections.register(sections.Section("intake", "intake/_project_section.html", order=10))
        navigation.register(
            navigation.Module(
                "intake", _("Inquiries"), "intake:inquiries", "telephone-inbound", "intake.view_inquiry"
            ),
            after="dashboard",
        )
