"""Background work of intake (huey): overdue key-step notices (REQ-INT-02)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


@db_periodic_task(crontab(minute="*/15"))
def notify_overdue_key_steps():
    """Every quarter of an hour: tell account managers about key steps that ran out (once per step)."""
    return services.notify_overdue_key_steps()
