from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.onsite.checkin"
    label = "checkin"
    verbose_name = _("Check-in")

    def ready(self):
        from huiyi.core.audit import register
        from huiyi.onsite.panels import Panel
        from huiyi.onsite.panels import register as register_panel

        from . import metrics, models, rules  # noqa: F401  (registers the metric and the permissions)

        # Scans, check-ins made online and idempotency records are written with plain SQL on the hot path:
        # the scan record is itself the append-only audit of each scan. ORM changes (offline sync,
        # acknowledging a conflict) go to the audit trail.
        for model in (
            models.ScanRecord,
            models.CheckIn,
            models.PresenceEvent,
            models.Conflict,
            models.IdempotencyRecord,
        ):
            register(model)
        register_panel(Panel("checkin", "checkin/_cockpit_panel.html", order=10))
