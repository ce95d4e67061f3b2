"""The disposition and legal-hold box of a document's page (documents/detail.html)."""

from django import template
from django.utils import timezone

from .. import queries, services
from ..forms import HoldForm, RequestForm
from ..models import DestructionRecord, DispositionRequest

register = template.Library()

HOLD_EVENTS_SHOWN = 5


@register.inclusion_tag("disposition/_document_box.html", takes_context=True)
def disposition_box(context, document):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    today = timezone.localdate()
    open_request = (
        DispositionRequest.objects.filter(document=document, status__in=DispositionRequest.OPEN_STATUSES)
        .select_related("requested_by", "decided_by")
        .first()
    )
    record = DestructionRecord.objects.filter(document=document).select_related("destroyed_by").first()
    blockers = services.blockers(document, today=today)
    can_request = not blockers and open_request is None and user.has_perm("disposition.request", document)
    can_hold = document.destroyed_at is None and user.has_perm("documents.hold", document)
    return {
        "show": True,
        "request": request,
        "document": document,
        "open_request": open_request,
        "record": record,
        "blockers": blockers,
        "due": document.retention_until is not None
        and not document.retention_permanent
        and document.retention_until <= today,
        "can_request": can_request,
        "can_hold": can_hold,
        "hold_events": list(queries.hold_events(document)[:HOLD_EVENTS_SHOWN]),
        "request_form": RequestForm(),
        "hold_form": HoldForm(),
        "csrf_token": context.get("csrf_token"),
        "perms": context.get("perms"),
    }
