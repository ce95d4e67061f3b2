"""Template helpers of the live agenda: deviation badges and the cockpit panel."""

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from huiyi.onsite.agenda import queries

register = template.Library()


@register.filter
def deviation(judged, kind: str = ""):
    """A signed deviation in minutes as a badge: green when the rule passes, red when it fails. ``kind``:
    "start" or "duration" labels it."""
    if judged is None:
        return ""
    label = {
        "start": pgettext("live agenda", "start deviation"),
        "duration": pgettext("live agenda", "duration deviation"),
    }.get(kind, "")
    css = "text-bg-success" if judged.passes else "text-bg-danger"
    verdict = _("within the rule") if judged.passes else _("outside the rule")
    value = _("%(sign)s%(value)s min") % {"sign": judged.sign, "value": judged.shown}
    return format_html(
        '<span class="badge {} deviation" data-passes="{}" title="{}">{}{}</span>',
        css,
        "1" if judged.passes else "0",
        verdict,
        f"{label} " if label else "",
        value,
    )


@register.filter
def minutes(judged):
    return "" if judged is None else judged.shown


@register.filter
def clock(delta):
    """A duration as H:MM:SS or M:SS (the running clock's text before the script takes over)."""
    if delta is None:
        return ""
    total = int(round(delta.total_seconds()))
    sign, total = ("-", -total) if total < 0 else ("", total)
    hours, rest = divmod(total, 3600)
    mins, secs = divmod(rest, 60)
    return f"{sign}{hours}:{mins:02d}:{secs:02d}" if hours else f"{sign}{mins}:{secs:02d}"


def panel_context(user, project) -> dict:
    now = timezone.now()
    context = {"project": project, "visible": user.has_perm("liveagenda.view", project), "now": now}
    if not context["visible"]:
        return context
    board = queries.board(project, now)
    timeline = queries.report_timeline(project, now)
    context.update(
        board=board,
        timeline=timeline,
        report_overdue=timeline.overdue(now),
        segment_seconds=queries.tolerance_seconds(board.rules.segment),
        can_control=user.has_perm("liveagenda.control", project),
    )
    return context


@register.inclusion_tag("liveagenda/_panel.html", takes_context=True)
def live_agenda_panel(context, project):
    return {**panel_context(context["request"].user, project), "csrf_token": context.get("csrf_token")}
