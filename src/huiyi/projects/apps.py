from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "huiyi.projects"
    label = "projects"
    verbose_name = _("Meeting projects")

    def ready(self):
        from huiyi.core.audit import register

        from .models import MeetingProject, MeetingType, ProjectMember

        register(MeetingType)
        register(MeetingProject)
        register(ProjectMember)
