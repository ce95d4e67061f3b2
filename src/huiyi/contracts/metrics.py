"""Metric `change_request_lead_time` (REQ-CON-02): the shortest lead time of a project's change requests.

The project page's contract section shows it beside the rule it is
compared with (con.change_request.lead_time).
"""

from django.utils.translation import gettext_lazy as _

from huiyi.quality.metrics import Measurement, NotMeasurable, metric

from .models import ChangeRequest


@metric("change_request_lead_time")
def change_request_lead_time(project, rulebook):
    changes = list(
        ChangeRequest.objects.filter(contract__project=project)
        .order_by("lead_hours")
        .values("sequence", "lead_hours", "is_late")
    )
    if not changes:
        return NotMeasurable(_("No change request yet."))
    return Measurement(
        value=changes[0]["lead_hours"],
        evidence={
            "change_requests": [
                {"code": f"CR-{c['sequence']}", "lead_hours": str(c["lead_hours"]), "late": c["is_late"]}
                for c in changes
            ]
        },
    )
