from django import template

from .. import queries

register = template.Library()


@register.simple_tag
def survey_status(project, user):
    """The project's survey status for the project section and the cockpit, or None when not allowed."""
    if not user.has_perm("surveys.view", project):
        return None
    return queries.project_status(project)
