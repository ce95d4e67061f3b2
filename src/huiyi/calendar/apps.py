from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkCalendarConfig(AppConfig):
    """The calendar service (`huiyi.calendar`); label "workcalendar" keeps clear of the stdlib name."""

    name = "huiyi.calendar"
    label = "workcalendar"
    verbose_name = _("Working calendar")

    def ready(self):
        from huiyi.core.audit import register

        from .models import BusinessHours, CalendarDay, LoadedYear

        register(CalendarDay)
        register(LoadedYear)
        register(BusinessHours)

        from huiyi.core.navigation import Module
        from huiyi.core.navigation import register as register_module

        register_module(
            Module("calendar", _("Working calendar"), "calendar:year", "calendar3", secondary=True),
            after="projects",
        )
