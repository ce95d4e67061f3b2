"""Borrowing on other apps' pages: the borrow button of a document page and a project's summary."""

from django import template
from django.db.models import Count, Q
from django.utils import timezone

from .. import queries
from ..models import Borrowing, BorrowingStatus, Medium

register = template.Library()


@register.inclusion_tag("borrowing/_borrow_button.html", takes_context=True)
def borrow_button(context, document):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"can_borrow": False}
    return {
        "document": document,
        "can_borrow": user.has_perm("borrowing.request", document),
        "has_download": bool(document.current_version_id),
        "grant": queries.open_grant(user, document),
    }


@register.simple_tag
def borrowing_summary(project, user):
    """Counts for the project page, for those who may see the project's borrowings; None otherwise."""
    if not user.has_perm("borrowing.view_project", project):
        return None
    now = timezone.now()
    return Borrowing.objects.filter(project=project).aggregate(
        requested=Count("pk", filter=Q(status=BorrowingStatus.REQUESTED)),
        out=Count(
            "pk",
            filter=Q(status=BorrowingStatus.LENT)
            | Q(
                medium=Medium.ELECTRONIC, status=BorrowingStatus.APPROVED, starts_at__lte=now, due_at__gt=now
            ),
        ),
        overdue=Count("pk", filter=Q(medium=Medium.PAPER, status=BorrowingStatus.LENT, due_at__lte=now)),
    )
