"""Deadlines of intake rules, computed by the calendar from the rule's unit (never a literal here)."""

from datetime import datetime, timedelta

from huiyi.calendar.services import due

KEY_STEP_RULES = {
    "initial_survey": "int.key_step.initial_survey",
    "plan_recommendation": "int.key_step.plan_recommendation",
    "service_agreement": "int.key_step.service_agreement",
}

CONTACT_STEP_RULES = {
    "identify_client": "int.contact.identify_client",
    "classify_request": "int.contact.classify_request",
    "capability_match": "int.contact.capability_match",
    "next_appointment": "int.contact.next_appointment",
}


def rule_deadline(rule, start: datetime):
    """The Deadline of a deadline rule counted from ``start``, in the rule's own unit and clock."""
    unit = rule.unit
    if unit == "working_days":
        return due(start, working_days=int(rule.value))
    if rule.clock == "business_hours" or unit == "business_hours":
        return due(start, business_hours=rule.value)
    if unit == "minutes":
        return due(start, hours=timedelta(minutes=float(rule.value)))
    if unit in ("calendar_days", "days"):
        return due(start, hours=timedelta(days=float(rule.value)))
    return due(start, hours=rule.value)


def rule_limit(rule) -> timedelta:
    """The allowed duration of an elapsed-time rule (minutes or hours)."""
    if rule.unit == "minutes":
        return timedelta(minutes=float(rule.value))
    if rule.unit in ("calendar_days", "days"):
        return timedelta(days=float(rule.value))
    return timedelta(hours=float(rule.value))
