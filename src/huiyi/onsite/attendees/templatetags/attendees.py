"""Template tags of the attendee app: the summary shown on the project page and in the cockpit."""

from django import template

from .. import queries

register = template.Library()


@register.simple_tag
def attendee_summary(project, user):
    """Counts and what the user may do, or None for someone who may not see the attendees."""
    if user is None or not user.has_perm("attendees.view", project):
        return None
    return {
        "counts": queries.counts(project),
        "can_add": user.has_perm("attendees.add", project),
        "can_import": user.has_perm("attendees.import", project),
        "can_print_badges": user.has_perm("attendees.scan", project),  # a badge carries the ticket's QR
    }
