"""Phase output of intake: the client's confirmation of the requirements list (REQ-QLT-01, REQ-INT-07)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from huiyi.projects.outputs import Evidence, output

from .queries import confirmed_revision


@output("client_requirements_confirmation")
def client_requirements_confirmation(project):
    revision = confirmed_revision(project)
    if revision is None:
        return None
    return Evidence(
        label=_("Requirements list r%(number)s confirmed by %(name)s")
        % {"number": revision.number, "name": revision.confirmed_by_name},
        url=reverse("intake:requirements", args=[project.pk]),
    )
