"""Metrics of emergency preparedness for the quality scorecard (values compared with the rulebook's rules)."""

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huiyi.quality.metrics import Measurement, NotMeasurable, metric

from . import queries
from .models import EmergencyContact


@metric("emergency_resource_present")
def emergency_resource_present(project, rulebook):
    """REQ-INC-08 (§2.8(7)): 1 when every line of the emergency-resource checklist (the rulebook's items and
    any the team added) was checked, with a quantity in place, before the meeting started; else 0.

    Before the start an incomplete checklist is not measurable yet (there is still time)."""
    checklist = queries.checklist(project, rulebook)
    if not checklist.lines:
        return NotMeasurable(_("The rulebook lists no emergency resources."))
    late = checklist.late
    missing = checklist.missing
    started = timezone.now() >= project.start
    if (late or missing) and not started:
        return NotMeasurable(
            _("The emergency-resource checklist is not complete yet; it is due at the start.")
        )
    evidence = {
        "start": project.start.isoformat(),
        "lines": [
            {
                "resource": line.key or line.name,
                "quantity": line.row.quantity if line.row else None,
                "location": line.row.location if line.row else "",
                "checked_at": line.row.checked_at.isoformat() if line.row and line.row.checked_at else None,
                "first_checked_at": (
                    line.row.first_checked_at.isoformat() if line.row and line.row.first_checked_at else None
                ),
            }
            for line in checklist.lines
        ],
        "not_ready_at_start": [line.key or line.name for line in late],
    }
    return Measurement(value=Decimal(0 if late else 1), evidence=evidence)


@metric("emergency_contacts_posted_and_sent")
def emergency_contacts_posted_and_sent(project, rulebook):
    """REQ-ONS-09 (§2.6(4) 4.2): 1 when the current emergency contacts are posted at the venue and were sent
    to every staff member (after the last change of a contact); else 0. Not measurable before the start."""
    count = EmergencyContact.objects.filter(project=project).count()
    sheet = queries.sheet(project)
    done = count > 0 and sheet.posted_current and sheet.sent_current
    if not done and timezone.now() < project.start:
        return NotMeasurable(
            _("The emergency contacts are not posted and sent yet; they are due at the start.")
        )
    return Measurement(
        value=Decimal(1 if done else 0),
        evidence={
            "contacts": count,
            "changed_at": sheet.changed_at.isoformat() if sheet.pk else None,
            "posted_at": sheet.posted_at.isoformat() if sheet.posted_at else None,
            "sent_at": sheet.sent_at.isoformat() if sheet.sent_at else None,
            "sent_to": sheet.sent_to,
        },
    )
