"""Template helpers of the improvement loop: the summary shown in the project section and the cockpit."""

from django import template
from django.utils import timezone

from huiyi.feedback.improvement import queries

register = template.Library()

BADGES = {
    "planned": "text-bg-secondary",
    "in_progress": "text-bg-primary",
    "done": "text-bg-info",
    "effect_evaluated": "text-bg-success",
}


@register.simple_tag
def improvement_summary(project, user):
    """None when the user may not see the improvement loop of the project."""
    if not user.has_perm("improvement.view", project):
        return None
    analysis = queries.analysis_of(project)
    actions = list(queries.actions_of(project))
    now = timezone.now()
    return {
        "analysis": analysis,
        "counts": queries.issue_counts(analysis),
        "lines": analysis.lines.count() if analysis else 0,
        "actions": actions,
        "completion": queries.completion(actions, now=now),
        "late": [a for a in actions if a.is_overdue() or a.effect_overdue(now)][:5],
        "can_manage": user.has_perm("improvement.manage", project),
    }


@register.filter
def status_badge(status: str) -> str:
    return BADGES.get(status, "text-bg-secondary")


@register.filter
def percent(rate) -> str:
    if rate is None:
        return "—"
    from huiyi.quality import formulas

    return f"{formulas.percentage(rate, places=1)}%"
