"""Background work of people (huey): every morning, tell HR about certificates expiring or expired.

``services.notify_expiring_certificates`` sends each notice once per certificate and expiry date, so a
retried or repeated run changes nothing.
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


@db_periodic_task(crontab(hour="8", minute="5"))
def certificate_expiry_check():
    services.notify_expiring_certificates()
