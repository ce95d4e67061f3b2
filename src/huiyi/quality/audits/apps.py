from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.quality.audits"
    label = "audits"
    verbose_name = _("Internal audits")

    def ready(self):
        from huiyi.core.audit import register
        from huiyi.core.navigation import Module
        from huiyi.core.navigation import register as register_module
        from huiyi.quality.kpis.registry import Kpi
        from huiyi.quality.kpis.registry import register as register_kpi

        from . import models, queries, rules  # noqa: F401  (rules registers the permissions)

        for model in (models.Audit, models.AuditItem):
            register(model)
        register_module(
            Module(
                "audits", _("Internal audits"), "audits:list", "search", "audits.view_audit", secondary=True
            ),
            after="quality",
        )
        register_kpi(
            Kpi(
                "audit_findings_open",
                _("Open audit nonconformities"),
                compute=queries.open_findings_kpi,
                unit="count",
                target_rule=None,
                group="quality",
                order=90,
                higher_is_better=False,
            )
        )
