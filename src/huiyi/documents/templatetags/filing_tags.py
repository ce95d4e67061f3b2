"""The phase outputs checklist of a project's documents page (REQ-QLT-01, REQ-DOC-03, CCP 11)."""

from django import template
from django.utils import timezone

from huiyi.rulebook.services import rulebook_for

from .. import filing
from ..rules import can_read

register = template.Library()


@register.inclusion_tag("documents/_filing_outputs.html", takes_context=True)
def filing_outputs(context, project):
    user = context["request"].user
    rulebook = rulebook_for(project)
    rows = filing.output_rows(project, rulebook)
    deadline, confirmed = filing.archive_deadline(project, rulebook)
    now = timezone.now()
    required = [r for r in rows if r.required]
    return {
        "project": project,
        "rows": [(row, row.document is not None and can_read(user, row.document)) for row in rows],
        "deadline": deadline,
        "deadline_confirmed": confirmed,
        "overdue": deadline is not None and now > deadline,
        "present": sum(1 for r in required if r.present),
        "required": len(required),
        "can_file": user.has_perm("documents.file_in", project),
        "csrf_token": context.get("csrf_token"),
    }
