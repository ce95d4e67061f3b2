"""The planning section of the project page."""

from django import template

from huiyi.quality import formulas

from .. import queries

register = template.Library()


@register.simple_tag(takes_context=True)
def plan_summary(context, project) -> dict:
    """Versions with score, budget deviation and client answer, plus what the user may do."""
    user = context["user"]
    versions = list(queries.project_versions(project))
    budget = queries.client_budget(project)
    rows = []
    for version in versions:
        planned = queries.budget_total(version)
        deviation = formulas.budget_deviation(planned, budget) if budget else None
        rows.append(
            {
                "version": version,
                "score": queries.score_average(version),
                "planned": planned,
                "deviation": formulas.percentage(deviation, places=2) if deviation is not None else None,
                "response": queries.latest_response(version),
            }
        )
    return {
        "rows": rows,
        "budget": budget,
        "can_edit": user.has_perm("planning.edit_plan", project),
        "open": any(v.status in ("draft", "review") for v in versions),
    }
