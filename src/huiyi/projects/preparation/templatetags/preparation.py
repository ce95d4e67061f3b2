from decimal import Decimal

from django import template

from huiyi.quality.metrics import Measurement, measure_many
from huiyi.rulebook.display import format_number, format_value, text
from huiyi.rulebook.services import rulebook_for

from .. import queries

register = template.Library()

#: The CCP 5 and CCP 7 inputs this app measures (their thresholds come from the rulebook).
CCP_METRICS = (
    "design_client_approval_rate",
    "materials_satisfaction_rate",
    "materials_on_time_rate",
    "training_coverage",
    "training_assessment_pass_rate",
    "host_evaluation_score",
)


def _shown(value: Decimal, unit: str) -> str:
    if unit == "ratio":
        return f"{format_number(float((value * 100).quantize(Decimal('0.1'))))}%"
    return format_number(float(value), unit)


@register.simple_tag
def preparation_overview(project):
    return queries.overview(project)


@register.simple_tag
def preparation_measurements(project):
    """Each CCP 5/7 rule with the value measured now from this project's records, or why it is not yet."""
    rulebook = rulebook_for(project)
    results = measure_many(project, rulebook, CCP_METRICS)
    rows = []
    for key in CCP_METRICS:
        for rule in rulebook.rules_where(metric=key):
            result = results[key]
            measured = isinstance(result, Measurement)
            rows.append(
                {
                    "key": key,
                    "control_point": rule.control_point,
                    "name": text(rule.name),
                    "threshold": format_value(rule),
                    "value": _shown(result.value, rule.unit) if measured else "",
                    "passes": rule.passes(result.value) if measured else None,
                    "reason": "" if measured else result.reason,
                }
            )
    return rows


@register.filter
def overdue_at(record, now) -> bool:
    return record.is_overdue(now)


@register.filter
def has_prep_perm(user, project) -> bool:
    return user.has_perm("preparation.manage", project)


@register.filter
def can_complete(user, task) -> bool:
    return user.has_perm("preparation.complete_task", task)


@register.filter
def can_review(user, step) -> bool:
    return user.has_perm("preparation.review_step", step)


@register.filter
def can_train(user, project) -> bool:
    return user.has_perm("preparation.record_training", project)
