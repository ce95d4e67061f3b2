"""State changes of intake: one function per business action, in a transaction, validated and audited."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from huiyi.rulebook.services import rulebook_for

from .clocks import KEY_STEP_RULES, rule_deadline
from .models import KeyStep


def _first_contact(project) -> datetime:
    """The clock start of the key steps: the earliest inquiry of the project, else its creation."""
    received = project.inquiries.order_by("received_at").values_list("received_at", flat=True).first()
    return received or project.created_at


@transaction.atomic
def start_key_steps(project, *, started_at: datetime | None = None) -> list[KeyStep]:
    """Create the REQ-INT-02 clocks of a project (idempotent); due times from rules int.key_step.*."""
    rb = rulebook_for(project)
    start = started_at or _first_contact(project)
    steps = []
    for key, rule_id in KEY_STEP_RULES.items():
        deadline = rule_deadline(rb.rule(rule_id), start)
        step, created = KeyStep.objects.get_or_create(
            project=project,
            key=key,
            defaults={"started_at": start, "due_at": deadline.due, "due_confirmed": deadline.confirmed},
        )
        if not created and step.completed_at is None and step.started_at != start:
            # An inquiry attached later moves an open clock back to the real first contact.
            step.started_at, step.due_at, step.due_confirmed = start, deadline.due, deadline.confirmed
            step.full_clean()
            step.save()
        steps.append(step)
    return steps


@transaction.atomic
def complete_key_step(project, key: str, *, at: datetime | None = None, by=None) -> KeyStep:
    """Mark key step `key` of `project` done (idempotent: the first completion is kept).

    Keys: "initial_survey", "plan_recommendation", "service_agreement". Planning calls it when a plan
    version is first sent to the client, contracts when a contract is signed.
    """
    if key not in KEY_STEP_RULES:
        raise ValueError(f"unknown key step {key!r}")
    start_key_steps(project)
    step = KeyStep.objects.select_for_update().get(project=project, key=key)
    if step.completed_at is None:
        step.completed_at = at or timezone.now()
        step.completed_by = by
        step.full_clean()
        step.save()
    return step
