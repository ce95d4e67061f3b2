"""Measurement of REQ-DOC-06 for the quality scorecard: every destruction of the project was approved."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from huiyi.documents.models import Document
from huiyi.quality.metrics import Measurement, NotMeasurable, metric

from .models import DestructionRecord


@metric("destruction_approved")
def destruction_approved(project, rulebook):
    """1 when every destroyed document of the project has a record approved by someone other than the
    requester, before it was destroyed; else 0. Not measurable while nothing was destroyed."""
    destroyed = list(
        Document.objects.filter(project=project, destroyed_at__isnull=False).values_list("pk", flat=True)
    )
    if not destroyed:
        return NotMeasurable(_("No document of this meeting has been destroyed."))
    records = {
        r.document_id: r
        for r in DestructionRecord.objects.filter(document_id__in=destroyed).only(
            "document_id", "requested_by_id", "approved_by_id", "approved_at", "destroyed_at"
        )
    }
    unapproved = [
        pk
        for pk in destroyed
        if pk not in records
        or records[pk].approved_by_id == records[pk].requested_by_id
        or records[pk].approved_at > records[pk].destroyed_at
    ]
    return Measurement(
        value=Decimal(0 if unapproved else 1),
        evidence={"destroyed": len(destroyed), "unapproved": unapproved},
    )
