"""Template helpers of the closing app: the summary shown in the project section and the cockpit panel."""

from django import template

from huiyi.core.translation import localize
from huiyi.quality import display
from huiyi.rulebook.services import rulebook_for

from .. import queries

register = template.Library()


@register.simple_tag
def closing_summary(project, user):
    """What the project section and the cockpit panel show, or None for someone who may not see it."""
    if not user.has_perm("closing.view", project):
        return None
    rulebook = rulebook_for(project)
    summary = {"project": project, "can_site": user.has_perm("closing.view_site", project)}
    if summary["can_site"]:
        items = list(queries.lost_items(project))
        summary["lost"] = len(items)
        summary["lost_open"] = sum(1 for i in items if i.status == i.Status.STORED)
        summary["site_check"] = queries.latest_site_check(project)
        archive = queries.archive_status(project, rulebook)
        summary["archived"], summary["required"] = archive.archived, archive.required
    if user.has_perm("closing.view_settlement", project):
        figures = queries.settlement_figures(project, rulebook)
        summary["settlement"] = figures
        summary["deviation"] = display.format_measured(figures.deviation, "ratio")
        summary["deviation_verdict"] = figures.verdict(queries.SETTLEMENT_DEVIATION)
    if user.has_perm("closing.view_reports", project):
        summary["report"] = queries.reports_of(project).first()
    return summary


@register.filter
def verdict_class(verdict: str) -> str:
    return {"pass": "text-bg-success", "fail": "text-bg-danger"}.get(verdict, "text-bg-secondary")


@register.filter
def localized(value) -> str:
    return localize(value)
