from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.onsite.inspections"
    label = "inspections"
    verbose_name = _("On-site inspections")

    def ready(self):
        from huiyi.core.audit import register
        from huiyi.onsite.panels import Panel
        from huiyi.onsite.panels import register as register_panel

        from . import models

        for model in (models.InspectionRound, models.Reading, models.SiteMilestone, models.RollCall):
            register(model)

        from . import metrics, rules  # noqa: F401  (registers the metrics and the object permissions)

        register_panel(Panel("inspections", "inspections/_cockpit_panel.html", order=20))
