"""Phase output team_responsibility_chart (phase 2, REQ-QLT-01).

Decision: the chart is the project team itself — members with their roles, whose duties are the roles'
duties (REQ-PPL-01). It is present when every on-site role of REQ-RES-03 (the rulebook's staffing rules)
is held by at least as many members as the rule's lower bound.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from huiyi.projects.outputs import Evidence, output
from huiyi.rulebook.services import rulebook_for

from . import queries


@output("team_responsibility_chart")
def team_responsibility_chart(project):
    if queries.unstaffed_roles(project, rulebook_for(project)):
        return None
    members = project.members.count()
    return Evidence(
        label=_("Team of %(count)s with roles and duties") % {"count": members},
        url=reverse("preparation:team", args=[project.pk]),
    )
