"""Periodic job of incidents (huey): acknowledgement timers of the command chain, checked every minute.

Idempotent: a page escalates once (row lock and state check) and each notice carries a dedupe key, so a
retried or overlapping run changes nothing twice.
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


@db_periodic_task(crontab(minute="*"))
def incident_timers():
    services.check_timers()
