"""CCP 9 measured from complaint records (REQ-FBK-06, §3.2 CCP 9)."""

from decimal import Decimal

from huiyi.quality.metrics import Measurement, metric

from . import sla
from .models import Complaint
from .queries import MEETINGS_PER_UNIT


@metric("serious_complaint_rate")
def serious_complaint_rate(project, rulebook):
    """Serious complaints per 100 meetings, for one meeting: its serious complaints × 100 / 1.

    A meeting without complaints measures 0 (nothing to wait for: a complaint can still come in later and
    the next evaluation counts it). The organisation-wide figure over a period is on the complaints
    dashboard (``queries.serious_rate``)."""
    key = sla.serious_key(rulebook)
    complaints = Complaint.objects.filter(project=project)
    serious = complaints.filter(severity=key).count() if key else 0
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
