"""What the cockpit panel shows on the meeting day: failed readings, set-up verdict, roll-call count."""

from __future__ import annotations

from django.utils import timezone

from huiyi.rulebook.services import rulebook_for

from . import queries
from .models import SiteMilestone

SHOWN_FAILURES = 5


def panel_context(project, user) -> dict | None:
    """``None`` for a user who may see neither the inspections nor the roll-call of the project."""
    can_view = user.has_perm("inspections.view", project)
    can_roll_call = user.has_perm("inspections.view_roll_call", project)
    if not (can_view or can_roll_call):
        return None
    rulebook = rulebook_for(project)
    context = {
        "can_view": can_view,
        "can_record": user.has_perm("inspections.record", project),
        "can_roll_call": can_roll_call,
        "roll_call": queries.roll_call_summary(project, rulebook),
        "can_see_materials": user.has_perm("resources.view_materialacceptance"),
        "now": timezone.now(),
    }
    if can_view:
        failed = queries.failed_now(project)
        statuses = {status.milestone: status for status in queries.milestones(project, rulebook)}
        context.update(
            {
                "failed": failed[:SHOWN_FAILURES],
                "failed_count": len(failed),
                "rounds": queries.rounds(project).count(),
                "setup": statuses.get(SiteMilestone.Milestone.SETUP_DONE),
                "teardown": [
                    statuses[key]
                    for key in (
                        SiteMilestone.Milestone.EQUIPMENT_RECOVERED,
                        SiteMilestone.Milestone.VENUE_RESTORED,
                    )
                    if key in statuses
                ],
                "open_ncs": queries.inspection_nonconformances(project).count(),
            }
        )
    return context
