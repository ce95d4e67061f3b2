"""Metric ``process_optimisation_meeting_interval`` (REQ-QLT-10, rule qlt.sop.optimisation_meeting_interval).

An organisation-level measure: months since the last process-optimisation meeting, whatever project asks.
"""

from django.utils.translation import gettext_lazy as _

from huiyi.quality.metrics import Measurement, NotMeasurable, metric

from . import queries


@metric("process_optimisation_meeting_interval")
def process_optimisation_meeting_interval(project, rulebook):
    status = queries.meeting_status(rulebook)
    if status.last is None:
        return NotMeasurable(_("No process-optimisation meeting recorded yet."))
    return Measurement(
        value=status.months_since,
        evidence={"meeting": status.last.pk, "held_on": status.last.held_on.isoformat()},
    )
