"""Background reminders (huey) of the improvement plan: actions due soon or overdue, effect evaluations due
soon or overdue (REQ-FBK-04). Each notice carries a dedupe key (action, kind, due date), so a retried or
repeated run never sends the same notice twice; a moved deadline is a new notice.

How long before a deadline the reminder goes out is an operating choice, not a number of the standard:
``settings.HUIYI_IMPROVEMENT_REMINDER_DAYS`` (default 3 days).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from huiyi.core.notifications import notify

from .models import ImprovementAction

Status = ImprovementAction.Status
MANAGER_ROLES = ("project_manager", "project_director")


def reminder_lead() -> dt.timedelta:
    return dt.timedelta(days=getattr(settings, "HUIYI_IMPROVEMENT_REMINDER_DAYS", 3))


def _managers(project) -> set:
    return {m.user for m in project.members.filter(role__key__in=MANAGER_ROLES).select_related("user")}


def _url(item) -> str:
    return reverse("improvement:project", args=[item.project_id]) + f"#action-{item.pk}"


def send_reminders(now: dt.datetime | None = None) -> int:
    """Send every notice that is due now; returns how many were sent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    lead = reminder_lead()
    sent = 0
    open_actions = ImprovementAction.objects.filter(
        status__in=ImprovementAction.OPEN_STATUSES, deadline__lte=timezone.localdate(now + lead)
    ).select_related("project", "owner")
    for item in open_actions:
        overdue = item.deadline < today
        title = (
            _("Overdue: improvement action %(code)s")
            if overdue
            else _("Due soon: improvement action %(code)s")
        ) % {"code": item.code}
        body = _("%(project)s — deadline %(deadline)s. %(problem)s") % {
            "project": item.project,
            "deadline": item.deadline.isoformat(),
            "problem": item.problem[:200],
        }
        recipients = {item.owner} | (_managers(item.project) if overdue else set())
        kind = "overdue" if overdue else "due"
        for user in recipients:
            key = f"improvement.action.{item.pk}.{kind}.{item.deadline.isoformat()}.{user.pk}"
            if notify(user, title, body=body, url=_url(item), kind="improvement", dedupe_key=key):
                sent += 1
    waiting = ImprovementAction.objects.filter(
        Q(status=Status.DONE), effect_due__isnull=False, effect_due__lte=now + lead
    ).select_related("project", "owner")
    for item in waiting:
        overdue = item.effect_due < now
        title = (
            _("Effect evaluation overdue: %(code)s") if overdue else _("Effect evaluation due soon: %(code)s")
        ) % {"code": item.code}
        body = _("%(project)s — evaluate the effect by %(due)s. Expected: %(effect)s") % {
            "project": item.project,
            "due": timezone.localtime(item.effect_due).strftime("%Y-%m-%d"),
            "effect": item.expected_effect[:200],
        }
        kind = "effect-overdue" if overdue else "effect-due"
        for user in {item.owner} | _managers(item.project):
            key = f"improvement.action.{item.pk}.{kind}.{item.effect_due.date().isoformat()}.{user.pk}"
            if notify(user, title, body=body, url=_url(item), kind="improvement", dedupe_key=key):
                sent += 1
    return sent


@db_periodic_task(crontab(minute="7", hour="*"))
def improvement_reminders():
    send_reminders()
