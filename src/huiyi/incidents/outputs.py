"""Phase output ``incident_report`` (phase 3, REQ-INC-06, REQ-QLT-01).

Evidence: the reports (突发事件处理报告) of the meeting's closed real incidents, when every real incident is
closed; or, for a meeting without any real incident, the site lead's confirmation that it stayed calm. An open
incident means the output is not there yet. Drills never count.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from huiyi.projects.outputs import Evidence, output

from .models import CalmMeeting, Incident


@output("incident_report")
def incident_report(project):
    real = Incident.objects.filter(project=project, is_drill=False)
    if real.exists():
        if real.exclude(status=Incident.Status.CLOSED).exists():
            return None
        count = real.count()
        return Evidence(
            label=_("%(count)s incident report(s)") % {"count": count},
            url=reverse("incidents:project", args=[project.pk]),
        )
    calm = CalmMeeting.objects.filter(project=project).select_related("confirmed_by").first()
    if calm is None:
        return None
    return Evidence(
        label=_("No incident, confirmed by %(who)s") % {"who": calm.confirmed_by},
        url=reverse("incidents:project", args=[project.pk]),
    )
