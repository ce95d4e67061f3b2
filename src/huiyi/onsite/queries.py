"""Which meetings are on site: running now, or starting within the coming days."""

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from huiyi.projects.models import MeetingProject
from huiyi.projects.queries import visible_projects

#: How far ahead the on-site list looks (a working week: set-up starts days before a large congress).
LOOKAHEAD = timedelta(days=7)


def on_site_projects(user, now=None) -> QuerySet[MeetingProject]:
    """Meetings the user may see that are running now or start within LOOKAHEAD, soonest first."""
    now = now or timezone.now()
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return (
        visible_projects(user)
        .filter(end__gte=today, start__lte=now + LOOKAHEAD, closed_at__isnull=True)
        .select_related("client")
        .order_by("start", "code")
    )
