"""CCP 9 measured from complaint records (REQ-FBK-06, §3.2 CCP 9)."""

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huiyi.quality.metrics import Measurement, NotMeasurable, metric

from . import sla
from .models import Complaint
from .queries import MEETINGS_PER_UNIT


@metric("serious_complaint_rate")
def serious_complaint_rate(project, rulebook):
    """Serious complaints per 100 meetings, for one meeting: its serious complaints × 100 / 1.

    A meeting that has not started and has no serious complaint is not measured yet (a rate of 0 before the
    meeting is held would count a service not given); once it has started, no complaint measures 0 — a
    complaint can still come in later and the next evaluation counts it. The organisation-wide figure over a
    period is on the complaints dashboard (``queries.serious_rate``)."""
    key = sla.serious_key(rulebook)
    complaints = Complaint.objects.filter(project=project)
    serious = complaints.filter(severity=key).count() if key else 0
    if not serious and project.start > timezone.now():
        return NotMeasurable(_("The meeting has not started yet."))
    references = list(complaints.filter(severity=key).values_list("reference", flat=True)[:20]) if key else []
    return Measurement(
        value=Decimal(serious * MEETINGS_PER_UNIT),
        evidence={
            "serious_complaints": serious,
            "meetings": 1,
            "complaints": complaints.count(),
            "references": references,
        },
    )
