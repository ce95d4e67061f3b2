from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.contracts"
    label = "contracts"
    verbose_name = _("Contracts")

    def ready(self):
        from huiyi.core.audit import register
        from huiyi.projects.sections import Section
        from huiyi.projects.sections import register as register_section

        from . import metrics, outputs, rules  # noqa: F401  (metrics, phase outputs and permissions)
        from .models import Breach, ChangeRequest, Contract, PaymentLine, QualityStandard

        for model in (Contract, QualityStandard, PaymentLine, ChangeRequest, Breach):
            register(model)
        register_section(Section("contracts", "contracts/_project_section.html", order=30))
