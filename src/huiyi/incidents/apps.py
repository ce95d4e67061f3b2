from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.incidents"
    label = "incidents"
    verbose_name = _("Incidents and emergencies")

    def ready(self):
        from huiyi.core.audit import register
        from huiyi.core.navigation import Module
        from huiyi.core.navigation import register as register_module
        from huiyi.onsite.panels import Panel
        from huiyi.onsite.panels import register as register_panel

        from . import metrics, models, outputs, rules, tasks  # noqa: F401  (metrics, output, permissions, jobs)

        for model in (
            models.ResponsePlan,
            models.Drill,
            models.Incident,
            models.IncidentTask,
            models.ChainStep,
            models.TimelineEntry,
            models.InformationRelease,
            models.PlanReview,
            models.CalmMeeting,
        ):
            register(model)
        register_panel(Panel("incidents", "incidents/_cockpit_panel.html", order=15, width="col-lg-6"))
        register_module(
            Module(
                "incidents",
                _("Incidents"),
                "incidents:list",
                "exclamation-octagon",
                "incidents.view_incident",
            ),
            after="onsite",
        )
