from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.onsite.agenda"
    label = "liveagenda"
    verbose_name = _("Live agenda")

    def ready(self):
        from huiyi.core.audit import register
        from huiyi.onsite.panels import Panel
        from huiyi.onsite.panels import register as register_panel

        from . import metrics, models, outputs, rules, tasks  # noqa: F401  (metrics, output, permissions, jobs)

        for model in (
            models.AgendaSettings,
            models.AgendaItem,
            models.QaAnswer,
            models.TeaBreakReminder,
            models.ProgressReport,
            models.CoverageItem,
            models.SatisfactionEntry,
        ):
            register(model)

        register_panel(Panel("liveagenda", "liveagenda/_cockpit_panel.html", order=30, width="col-lg-6"))
