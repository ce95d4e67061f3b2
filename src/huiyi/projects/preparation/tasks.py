"""Background reminders (huey): tasks due soon or overdue, overdue review steps, overdue client replies.

Each notice carries a dedupe key, so a retried or repeated run never sends the same notice twice.
"""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from huiyi.core.notifications import notify

from . import queries
from .models import PreparationSettings


def _project_url(project) -> str:
    return reverse("projects:detail", args=[project.pk]) + "#preparation"


def send_reminders(now=None) -> int:
    """Send every notice that is due now; returns how many were sent."""
    now = now or timezone.now()
    lead = timedelta(hours=PreparationSettings.current().task_reminder_lead_hours)
    sent = 0
    for task in queries.tasks_to_remind(now, lead):
        overdue = task.due < now
        title = (
            _("Overdue: task #%(number)s %(title)s") if overdue else _("Due soon: task #%(number)s %(title)s")
        ) % {"number": task.number, "title": task.title}
        key = f"preparation.task.{task.pk}.{'overdue' if overdue else 'due'}.{task.due.isoformat()}"
        body = _("%(project)s — due %(due)s. Done when: %(criterion)s") % {
            "project": task.project,
            "due": timezone.localtime(task.due).strftime("%Y-%m-%d %H:%M"),
            "criterion": task.done_criterion,
        }
        if notify(task.owner, title, body=body, url=_project_url(task.project), kind="task", dedupe_key=key):
            sent += 1
    for step in queries.overdue_review_steps(now):
        title = _("Review step overdue: %(step)s") % {"step": step.get_department_display()}
        recipients = set(queries.managers_of(step.project))
        if step.reviewer is not None:
            recipients.add(step.reviewer)
        for user in recipients:
            key = f"preparation.review.{step.pk}.{step.due.isoformat()}"
            body = str(step.project)
            if notify(user, title, body=body, url=_project_url(step.project), kind="review", dedupe_key=key):
                sent += 1
    for message in queries.overdue_client_messages(now):
        title = _("Client reply overdue: %(summary)s") % {"summary": message.summary[:80]}
        recipients = set(queries.managers_of(message.project))
        if message.created_by is not None:
            recipients.add(message.created_by)
        for user in recipients:
            key = f"preparation.reply.{message.pk}"
            body = str(message.project)
            if notify(
                user, title, body=body, url=_project_url(message.project), kind="reply", dedupe_key=key
            ):
                sent += 1
    return sent


@db_periodic_task(crontab(minute="*/15"))
def preparation_reminders():
    send_reminders()
