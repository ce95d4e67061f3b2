"""Intake events on the project timeline: inquiry steps, key-step clocks, confirmations, discrepancies."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyi.projects.timeline import Event, timeline_source

from .models import Discrepancy, Inquiry, KeyStep, RequirementsRevision


@timeline_source
def intake_events(project):
    now = timezone.now()
    for inquiry in Inquiry.objects.filter(project=project).select_related("account_manager"):
        yield Event(
            at=inquiry.received_at,
            kind="action",
            title=_("Inquiry received"),
            detail=inquiry.summary[:200],
            url=reverse("intake:inquiry", args=[inquiry.pk]),
            actor=str(inquiry.account_manager),
        )
    for step in KeyStep.objects.filter(project=project):
        if step.completed_at:
            state = "overdue" if step.completed_at > step.due_at else "done"
        else:
            state = "overdue" if now > step.due_at else "open"
        yield Event(
            at=step.completed_at or step.due_at,
            kind="deadline",
            title=step.get_key_display(),
            detail=_("due %(due)s") % {"due": timezone.localtime(step.due_at).strftime("%Y-%m-%d %H:%M")},
            state=state,
        )
    for revision in RequirementsRevision.objects.filter(project=project, confirmed_at__isnull=False):
        yield Event(
            at=revision.confirmed_at,
            kind="action",
            title=_("Requirements list r%(number)s confirmed by the client") % {"number": revision.number},
            url=reverse("intake:requirements", args=[project.pk]),
            actor=revision.confirmed_by_name,
            state="done",
        )
    for discrepancy in Discrepancy.objects.filter(revision__project=project).select_related("found_by"):
        yield Event(
            at=discrepancy.found_at,
            kind="action",
            title=_("Requirements discrepancy found"),
            detail=discrepancy.description[:200],
            actor=str(discrepancy.found_by),
            state="fail",
        )
