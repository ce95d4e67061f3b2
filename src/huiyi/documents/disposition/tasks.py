"""Background work of disposition (huey), daily: tell the approvers of documents whose retention ended (once
per document, ``notify``'s dedupe key), and finish any destruction whose stored objects are not all deleted
(a run cut short between the commit and the deletes). Both are idempotent: a retried run changes nothing."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


@db_periodic_task(crontab(hour="7", minute="10"))
def disposition_due_notice():
    services.notify_due()


@db_periodic_task(crontab(hour="3", minute="40"))
def disposition_purge_leftovers():
    services.purge_leftovers()
