"""Template helpers of emergency preparedness: the cockpit panel, the support hotline, delivery status."""

from django import template
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR

from huiyi.rulebook.display import text
from huiyi.rulebook.services import active_rulebook, rulebook_for

from .. import matrix, queries

register = template.Library()


@register.simple_tag(takes_context=True)
def preparedness_panel(context, project) -> dict:
    """What the cockpit panel shows: resources ready, contacts posted/sent, hotline, top risks."""
    user = context["request"].user
    if not user.has_perm("preparedness.view", project):
        return {}
    rulebook = rulebook_for(project)
    sheet = queries.sheet(project)
    return {
        "checklist": queries.checklist(project, rulebook),
        "contacts": queries.contacts(project).count(),
        "sheet": sheet,
        "top_risks": queries.top_risks(project) if user.has_perm("preparedness.view_risks", project) else [],
        "matrix": matrix.matrix_for(rulebook),
        "support": queries.support_desk(),
        "started": timezone.now() >= project.start,
    }


@register.inclusion_tag("preparedness/_support.html")
def support_hotline(compact: bool = False) -> dict:
    """The support hotline and hours (REQ-TEC-01); include it on any page: ``{% support_hotline %}``."""
    return {**queries.support_desk(), "compact": compact}


@register.filter
def level_class(level) -> str:
    return f"risk-l{level}" if level else "risk-none"


@register.filter
def level_label(level, grid=None) -> str:
    if not level:
        return ""
    grid = grid or matrix.matrix_for(active_rulebook())
    found = grid.levels.get(int(level))
    return found.label if found else str(level)


@register.filter
def scale_label(value, scale) -> str:
    if value is None or not scale:
        return ""
    return text(scale.get(int(value), {})) or str(value)


@register.filter
def weekday_span(group) -> str:
    first, last = WEEKDAYS_ABBR[group["first"]], WEEKDAYS_ABBR[group["last"]]
    return str(first) if group["first"] == group["last"] else f"{first}–{last}"
