from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class Config(AppConfig):
    name = "huiyi.onsite.attendees"
    label = "attendees"
    verbose_name = pgettext_lazy("attendee", "Attendees")

    def ready(self):
        from huiyi.core.audit import register
        from huiyi.onsite.panels import Panel
        from huiyi.onsite.panels import register as register_panel
        from huiyi.projects.sections import Section
        from huiyi.projects.sections import register as register_section

        from . import models, rules  # noqa: F401  (registers the object permissions)

        register(models.Attendee)
        # The ticket code admits a person: the audit trail keeps only a masked form of it.
        register(models.Ticket, mask_fields=["code"])

        register_section(Section("attendees", "attendees/_project_section.html", order=44))
        register_panel(Panel("attendees", "attendees/_cockpit_panel.html", order=20, width="col-lg-6"))
