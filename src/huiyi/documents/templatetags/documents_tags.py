"""Template helpers of the documents app: the summary of the project section and the cockpit panel."""

from django import template

from .. import queries
from ..models import ConfidentialityAgreement

register = template.Library()


@register.simple_tag
def documents_summary(project, user):
    """Counts shown to someone who may list the project's documents, else None."""
    if not user.has_perm("documents.list", project):
        return None
    members = set(project.members.values_list("user_id", flat=True))
    return {
        "count": queries.project_documents(user, project).count(),
        "members": len(members),
        "signed": ConfidentialityAgreement.objects.filter(project=project, user_id__in=members).count(),
        "can_file": user.has_perm("documents.file_in", project),
    }
