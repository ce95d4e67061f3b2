"""Phase output in_meeting_service_record 会中服务记录 (phase 3, REQ-QLT-01).

Decision: the in-meeting service record is the live agenda as it ran (items with their actual start and end)
together with the on-site director's progress reports (REQ-ONS-06). It is present once at least one agenda
item has been run to its end and at least one progress report was written.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from huiyi.projects.outputs import Evidence, output

from .models import AgendaItem, ProgressReport


@output("in_meeting_service_record")
def in_meeting_service_record(project):
    finished = AgendaItem.objects.filter(project=project, actual_end__isnull=False).count()
    reports = ProgressReport.objects.filter(project=project).count()
    if not finished or not reports:
        return None
    return Evidence(
        label=_("%(items)s agenda items run, %(reports)s progress reports")
        % {"items": finished, "reports": reports},
        url=reverse("liveagenda:agenda", args=[project.pk]),
    )
