"""Background work of kpis (huey): the monthly report on the first working day of the month, and every
night the kept figures of ended periods (``stored``) computed again for the whole view.

The job runs every morning and does nothing unless today is the month's first working day (by the working
calendar, 调休 included); a retried run sends nothing twice (one report a month, notices deduplicated).
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


@db_periodic_task(crontab(hour="8", minute="30"))
def monthly_kpi_report():
    services.send_monthly_report()


@db_periodic_task(crontab(hour="3", minute="20"))
def refresh_stored_figures():
    services.refresh_stored_figures()
