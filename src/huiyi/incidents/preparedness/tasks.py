"""Background reminders (huey): risk reviews that are overdue go to the risk's owner, once per review date."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from huiyi.core.notifications import notify

from .models import Risk


def remind_overdue_reviews(today=None) -> int:
    """Tell each owner of an open risk whose review date has passed; returns how many were told."""
    today = today or timezone.localdate()
    sent = 0
    overdue = Risk.objects.filter(
        status=Risk.Status.OPEN, review_date__lt=today, owner__isnull=False, owner__is_active=True
    ).select_related("owner", "project")
    for risk in overdue:
        with override(risk.owner.language or settings.LANGUAGE_CODE):
            title = _("Risk review overdue: %(risk)s") % {"risk": risk.title[:120]}
            body = _("The review was due on %(date)s.") % {"date": risk.review_date.isoformat()}
        url = reverse("preparedness:risk_edit", args=[risk.pk])
        key = f"preparedness.risk_review.{risk.pk}.{risk.review_date.isoformat()}"
        if notify(risk.owner, title, body=body, url=url, kind="risk_review", dedupe_key=key):
            sent += 1
    return sent


@db_periodic_task(crontab(hour="8", minute="5"))
def risk_review_reminders():
    remind_overdue_reviews()
