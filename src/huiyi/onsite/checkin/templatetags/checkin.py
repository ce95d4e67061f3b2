"""Template helpers of check-in: the cockpit panel's figures, only for those allowed to see them."""

from django import template

from .. import queries

register = template.Library()


@register.simple_tag
def checkin_summary(project, user):
    """The panel's counts, or None when the user may neither scan nor see the board of this meeting."""
    if not (user.has_perm("checkin.board", project) or user.has_perm("checkin.scan", project)):
        return None
    return {
        **queries.summary(project),
        "can_board": user.has_perm("checkin.board", project),
        "can_scan": user.has_perm("checkin.scan", project),
    }


@register.filter
def result_tone(result: str) -> str:
    """Bootstrap colour of a scan result: green in, red refused, amber to look at."""
    return {
        "ok": "success",
        "checked_out": "secondary",
        "already_checked_in": "warning",
        "already_checked_out": "warning",
        "not_checked_in": "warning",
        "unknown": "danger",
        "wrong_meeting": "danger",
        "blocked": "danger",
    }.get(result, "secondary")
