from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.quality.kpis"
    label = "kpis"
    verbose_name = _("KPIs")

    def ready(self):
        from huiyi.core.audit import register
        from huiyi.core.navigation import Module
        from huiyi.core.navigation import register as register_module

        from . import builtin, models

        register(models.MonthlyReportSetting)
        register(models.MonthlyReport)
        builtin.register_builtin()

        from . import rules, tasks  # noqa: F401  (permissions, monthly job)

        register_module(
            Module("kpis", _("KPIs"), "kpis:dashboard", "graph-up", "kpis.dashboard"), after="quality"
        )
