from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "huiyi.projects"
    label = "projects"
    verbose_name = _("Meeting projects")

    def ready(self):
        from django.db.models.signals import post_migrate

        from huiyi.core.audit import register

        from .models import MeetingProject, MeetingType, PhaseClosure, ProjectMember

        register(MeetingType)
        register(MeetingProject)
        register(ProjectMember)
        register(PhaseClosure)
        from . import timeline_sources  # noqa: F401  (registers the timeline sources)

        post_migrate.connect(_ensure_meeting_types, sender=self)


def _ensure_meeting_types(sender, **kwargs):
    from .services import ensure_default_meeting_types

    ensure_default_meeting_types()
