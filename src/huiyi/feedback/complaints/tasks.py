"""Background work of complaints (huey): find missed targets and escalate, every few minutes.

``services.check_breaches`` is idempotent (one breach per clock, one escalation per level, notifications
deduplicated), so a retried or overlapping run changes nothing.
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


@db_periodic_task(crontab(minute="*/5"))
def complaint_breach_check():
    services.check_breaches()
