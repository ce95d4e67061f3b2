"""Periodic jobs of the live agenda (huey): the tea-break reminder and the progress-report reminder.

Both run every minute and are idempotent: a tea break's reminder is a recorded row (one per break), a progress
report reminder carries its due time in the notification's dedupe key.
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


@db_periodic_task(crontab(minute="*"))
def tea_break_reminders():
    services.send_tea_break_reminders()


@db_periodic_task(crontab(minute="*"))
def progress_report_reminders():
    services.send_progress_report_reminders()
