from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.quality.accountability"
    label = "accountability"
    verbose_name = _("Violations and accountability")

    def ready(self):
        from huiyi.core.audit import register
        from huiyi.core.navigation import Module
        from huiyi.core.navigation import register as register_module
        from huiyi.quality.kpis.registry import Kpi
        from huiyi.quality.kpis.registry import register as register_kpi

        from . import models, queries, rules  # noqa: F401  (rules registers the permissions)

        for model in (models.Violation, models.ViolationEvent):
            register(model)
        register_module(
            Module(
                "accountability",
                _("Violations"),
                "accountability:list",
                "shield-exclamation",
                "accountability.dashboard",
                secondary=True,
            ),
            after="audits",
        )
        register_kpi(
            Kpi(
                "violations",
                _("Violations reported"),
                compute=queries.violations_kpi,
                unit="count",
                group="quality",
                order=91,
                higher_is_better=False,
            )
        )
