from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.people"
    label = "people"
    verbose_name = _("People")

    def ready(self):
        from huiyi.core.audit import register
        from huiyi.core.navigation import Module
        from huiyi.core.navigation import register as register_module

        from . import kpis, models, rules, tasks  # noqa: F401  (KPIs, permissions, the daily job)

        for model in (
            models.StaffProfile,
            models.Certification,
            models.ModulePlan,
            models.ModuleSession,
            models.ModuleAttendance,
            models.PeerFeedback,
            models.PerformanceReview,
        ):
            register(model)
        register_module(
            Module("people", _("People"), "people:list", "people", "people.list", secondary=True),
            after="organisation",
        )
