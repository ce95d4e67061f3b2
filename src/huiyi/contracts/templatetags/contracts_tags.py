"""Data for the contract section of the project page (the section template only gets the project)."""

from django import template

from huiyi.rulebook.display import format_value
from huiyi.rulebook.services import rulebook_for

from .. import queries, services

register = template.Library()


@register.simple_tag
def contract_section(project, user) -> dict:
    if not user.has_perm("contracts.view_contract", project):
        return {"visible": False}
    changes = list(queries.change_requests_of_project(project))
    rulebook = rulebook_for(project)
    lead_rule = rulebook.rule(services.LEAD_TIME_RULE)
    return {
        "visible": True,
        "contract": queries.current_contract(project),
        "change_requests": changes,
        "shortest_lead": min((c.lead_hours for c in changes), default=None),
        "lead_rule": format_value(lead_rule),
        "breaches": list(queries.breaches_of_project(project)),
        "can_change": user.has_perm("contracts.change_contract", project),
    }


@register.filter
def breach_class_name(breach) -> str:
    from huiyi.rulebook.display import text

    rulebook = rulebook_for(breach.contract.project)
    return text(rulebook.rule(breach.rule_id).name) if breach.rule_id in rulebook else breach.breach_class
