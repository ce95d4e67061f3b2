"""The intake section of the project page: what it needs, read in a few queries."""

from django import template
from django.utils import timezone

from huiyi.rulebook.services import rulebook_for

from .. import completeness, queries
from ..models import Inquiry

register = template.Library()


@register.simple_tag
def intake_summary(project, user) -> dict:
    revision = queries.current_revision(project)
    confirmed = revision if revision and revision.is_confirmed else queries.confirmed_revision(project)
    return {
        "revision": revision,
        "confirmed": confirmed,
        "completeness": completeness.of_revision(revision, rulebook_for(project)) if revision else None,
        "discrepancies": queries.discrepancies(project).count(),
        "key_steps": queries.key_step_rows(project, timezone.now()),
        "inquiries": list(Inquiry.objects.filter(project=project).order_by("received_at")),
        "can_edit": user.has_perm("intake.change_requirementsrevision", project),
    }
