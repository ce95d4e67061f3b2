"""Template helpers of incidents: the cockpit panel and durations shown as m:ss."""

from django import template

register = template.Library()


@register.inclusion_tag("incidents/_panel.html", takes_context=True)
def incidents_panel(context, project):
    from ..views import panel_context

    request = context.get("request")
    return {
        "project": project,
        "request": request,
        "perms": context.get("perms"),
        **panel_context(request.user, project),
    }


@register.filter
def mmss(delta) -> str:
    """A duration as [-]m:ss (negative once overdue)."""
    if delta is None:
        return "—"
    seconds = int(delta.total_seconds())
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{secs:02d}"
    return f"{sign}{minutes}:{secs:02d}"


@register.filter
def seconds(delta) -> int:
    return 0 if delta is None else int(delta.total_seconds())


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key, "")
