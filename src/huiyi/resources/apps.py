from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.resources"
    label = "resources"
    verbose_name = _("Resources")

    def ready(self):
        from huiyi.core import audit
        from huiyi.core.navigation import Module
        from huiyi.core.navigation import register as register_module
        from huiyi.projects.sections import Section
        from huiyi.projects.sections import register as register_section

        from . import metrics, models, outputs, rules  # noqa: F401  (registrations)

        for model in (
            models.Venue,
            models.Room,
            models.Equipment,
            models.TestReport,
            models.UsageLog,
            models.MaintenanceRecord,
            models.SparePart,
            models.Supplier,
            models.ScorecardCriterion,
            models.ScorecardStanding,
            models.SupplierScorecard,
            models.ScorecardScore,
            models.MaterialAcceptance,
            models.ResourceProposal,
            models.Booking,
            models.EquipmentCheck,
            models.Rehearsal,
        ):
            audit.register(model)
        register_module(
            Module(
                "resources",
                _("Resources"),
                "resources:index",
                "box-seam",
                "resources.view_venue",
                secondary=True,
            ),
            after="projects",
        )
        register_section(Section("resources", "resources/_project_section.html", order=35))
