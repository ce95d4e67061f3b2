"""Measurement of ``doc.borrowing_approved`` (REQ-DOC-05); the target comes from the project's rulebook."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from huiyi.quality.metrics import Measurement, NotMeasurable, metric

from .models import Borrowing, BorrowingStatus
from .queries import LEAD_ROLES

#: Borrowings that reached a copy or a read: each must carry the lead's approval.
GRANTED = (BorrowingStatus.APPROVED, BorrowingStatus.LENT, BorrowingStatus.RETURNED)


@metric("borrowing_approved")
def borrowing_approved(project, rulebook):
    """1 when every borrowing of the project's documents that was granted was approved by the meeting's lead
    (a team member in a lead role, not the borrower), else 0."""
    rows = list(
        Borrowing.objects.filter(project=project, status__in=GRANTED).values(
            "pk", "decided_by_id", "borrower_id", "approver_role", "decided_at"
        )
    )
    if not rows:
        return NotMeasurable(_("Nobody has borrowed a document of this meeting."))
    unapproved = [
        r["pk"]
        for r in rows
        if r["decided_by_id"] is None
        or r["decided_at"] is None
        or r["decided_by_id"] == r["borrower_id"]
        or r["approver_role"] not in LEAD_ROLES
    ]
    return Measurement(
        value=Decimal(0 if unapproved else 1),
        evidence={"borrowings": len(rows), "not_approved_by_lead": unapproved},
    )
