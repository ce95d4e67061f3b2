"""Template helpers of complaints: the project section's and the cockpit panel's summary, masking."""

from django import template
from django.utils import timezone

from huiyi.calendar import services as calendar

from .. import queries, sla
from ..models import Complaint

register = template.Library()

SUMMARY_ROWS = 8


@register.simple_tag(takes_context=True)
def complaints_summary(context, project):
    """What the project section and the cockpit panel show, or None when the user may not see it."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not user.has_perm("complaints.view", project):
        return None
    now = timezone.now()
    complaints = Complaint.objects.filter(project=project).select_related("owner")
    open_ = complaints.filter(status__in=Complaint.OPEN_STATUSES)
    cal = calendar.work_calendar(request)
    rows = [
        {"c": c, "clocks": queries.clock_views(c, cal, now), "name": queries.mask_name(c.complainant_name)}
        for c in open_.order_by("resolution_due", "pk")[:SUMMARY_ROWS]
    ]
    return {
        "total": complaints.count(),
        "open": open_.count(),
        "breached": complaints.filter(queries.breached_q(now)).count(),
        "rows": rows,
        "can_add": user.has_perm("complaints.add", project),
        "can_links": user.has_perm("complaints.manage_links", project),
    }


@register.filter
def severity_label(key):
    return sla.severity_label(key)


@register.filter
def masked_name(value):
    return queries.mask_name(value)


@register.filter
def masked_contact(value):
    return queries.mask_contact(value)
