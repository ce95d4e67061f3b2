from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.documents.borrowing"
    label = "borrowing"
    verbose_name = _("Borrowing")

    def ready(self):
        from huiyi.core.audit import register
        from huiyi.core.navigation import Module
        from huiyi.core.navigation import register as register_module
        from huiyi.projects.sections import Section
        from huiyi.projects.sections import register as register_section

        from . import models

        # The reminder bookkeeping changes daily and says nothing the notifications do not.
        register(models.Borrowing, exclude_fields=["reminded_at", "lead_reminded_at", "reminders"])

        from . import metrics, rules, tasks  # noqa: F401  (registers the metric, permissions, periodic job)

        register_section(Section("borrowing", "borrowing/_project_section.html", order=82))
        register_module(
            Module(
                "borrowing",
                _("Borrowing"),
                "borrowing:mine",
                "journal-arrow-up",
                "borrowing.add_borrowing",
                secondary=True,
            )
        )
