"""The daily filing job (huey): file every phase output that is ready and not yet filed, or changed.

It is the retry of the hooks: an output whose filing failed after its originating action is filed here.
Filing is idempotent (identical content adds no version), so an overlapping or repeated run changes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db.models import Q
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import filing

log = logging.getLogger(__name__)


def projects_to_file(now: dt.datetime | None = None):
    """Projects still open, and those closed since the previous run (their last outputs come at closing)."""
    from huiyi.projects.models import MeetingProject

    now = now or timezone.now()
    since = now - dt.timedelta(days=1)  # the job's own period, not a figure of the standard
    return MeetingProject.objects.filter(Q(closed_at__isnull=True) | Q(closed_at__gte=since)).order_by("pk")


def file_all(now: dt.datetime | None = None) -> dict[str, int]:
    counts: dict[str, int] = {}
    for project in projects_to_file(now):
        for result in filing.file_ready(project):
            counts[result.state] = counts.get(result.state, 0) + 1
    log.info("filing job: %s", counts)
    return counts


@db_periodic_task(crontab(hour="2", minute="30"))
def file_outputs_daily():
    file_all()
