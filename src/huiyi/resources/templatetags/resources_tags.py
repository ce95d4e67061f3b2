from django import template

from .. import queries

register = template.Library()


@register.simple_tag
def resources_summary(project) -> dict:
    """What the project page shows of the project's resources (a bounded number of queries)."""
    bookings = list(queries.project_bookings(project))
    try:
        comparison = queries.compare_with_plan(project, bookings)
    except ImportError:  # planning's frozen plan is not available in this installation
        comparison = None
    devices = queries.device_readiness(project, bookings)
    return {
        "proposal": queries.latest_proposal(project),
        "bookings": len(bookings),
        "unconfirmed": sum(1 for b in bookings if not b.confirmed),
        "comparison": comparison,
        "devices": len(devices),
        "checked": sum(1 for d in devices if d.check),
        "failed": sum(1 for d in devices if d.check and not d.check.passed),
        "rehearsed": project.rehearsals.exists(),
    }
