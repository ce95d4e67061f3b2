from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.quality.kpis"
    label = "kpis"
    verbose_name = _("KPIs")

    def ready(self):
        from huiyi.core.audit import derived, register
        from huiyi.core.navigation import Module
        from huiyi.core.navigation import register as register_module

        from . import builtin, models

        register(models.MonthlyReportSetting)
        register(models.MonthlyReport)
        derived(models.StoredFigure, "KPI figures recounted from the audited records they count")
        builtin.register_builtin()

        from . import rules, stored, tasks  # noqa: F401  (permissions, monthly job)

        stored.connect()

        register_module(
            Module("kpis", _("KPIs"), "kpis:dashboard", "graph-up", "kpis.dashboard"), after="quality"
        )
