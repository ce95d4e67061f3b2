from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.onsite"
    label = "onsite"
    verbose_name = _("On site")

    def ready(self):
        from huiyi.core import navigation

        navigation.register(
            navigation.Module("onsite", _("On site"), "onsite:index", "broadcast"), after="projects"
        )
        from huiyi.projects.sections import Section
        from huiyi.projects.sections import register as register_section

        register_section(Section("onsite", "onsite/_project_section.html", order=45))
