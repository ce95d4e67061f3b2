"""Daily backup job (huey): create + verify, and tell superusers and quality officers when it fails.

The time is ``HUIYI_BACKUP_TIME`` (``HH:MM``, default 02:30), read at start-up.
"""

import logging
import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from huiyi.core.notifications import notify

from . import core

log = logging.getLogger(__name__)
NOTIFY_ROLES = ("quality_officer",)


def _schedule() -> tuple[str, str]:
    raw = str(getattr(settings, "HUIYI_BACKUP_TIME", None) or os.environ.get("HUIYI_BACKUP_TIME") or "02:30")
    try:
        hour, minute = (int(part) for part in raw.split(":"))
        if not (0 <= hour < 24 and 0 <= minute < 60):
            raise ValueError(raw)
    except ValueError:
        log.error("HUIYI_BACKUP_TIME=%r is not HH:MM; the daily backup runs at 02:30", raw)
        hour, minute = 2, 30
    return str(hour), str(minute)


def recipients():
    users = get_user_model().objects.filter(is_active=True)
    return list(users.filter(Q(is_superuser=True) | Q(memberships__role__key__in=NOTIFY_ROLES)).distinct())


def run_backup() -> tuple[bool, str]:
    """Create a backup and verify every copy; on failure notify. Returns (ok, summary)."""
    try:
        result = core.create_backup()
        name, reports = core.verify_backup(result.name)
        # A destination that got no copy shows in verify as missing; say why it failed at write time.
        written_failures = {r.destination: r.reason for r in result.failed}
        failed = [
            core.CopyReport(r.destination, False, written_failures.get(r.destination, r.reason))
            for r in reports
            if not r.ok
        ]
        if not failed:
            log.info("backup %s created and verified in %d copies", name, len(reports))
            return True, name
        reason = "; ".join(f"{r.destination}: {r.reason}" for r in failed)
    except Exception as error:  # any failure must reach a person, not only the log
        log.exception("backup failed")
        name, reason = "", f"{error.__class__.__name__}: {error}"
    title = _("Backup failed")
    body = _("The daily backup %(name)s did not complete in three verified copies: %(reason)s") % {
        "name": name,
        "reason": reason,
    }
    day = timezone.localdate().isoformat()
    for user in recipients():
        notify(user, title, body=body, kind="backup", dedupe_key=f"backup.failed.{day}.{user.pk}")
    return False, reason


_hour, _minute = _schedule()


@db_periodic_task(crontab(hour=_hour, minute=_minute))
def daily_backup():
    run_backup()
