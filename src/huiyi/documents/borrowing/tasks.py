"""Background work of borrowing (huey): remind overdue paper borrowings.

The job runs every hour; ``services.send_overdue_reminders`` sends each reminder at most once per the
rulebook's interval (``doc.borrowing_reminder_interval``), so a retried or overlapping run changes nothing.
Electronic borrowings need no job: their access window is checked at every read.
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


@db_periodic_task(crontab(minute="17"))
def borrowing_overdue_reminders():
    services.send_overdue_reminders()
