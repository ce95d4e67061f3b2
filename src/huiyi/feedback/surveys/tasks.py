"""Background work (huey): personal survey links sent by e-mail, with retries.

Each invitation is its own task: a mail server that refuses one address does not hold up the others. A
failure is recorded on the invitation (attempts, last error) and raised so that huey retries it; a retry
issues a fresh link (the one in the failed mail is withdrawn). A sent invitation is never sent again.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import services
from .models import Invitation

RETRIES = 3
RETRY_DELAY_SECONDS = 120


def deliver(invitation_pk: int) -> bool:
    """Send one invitation now; returns False when there is nothing to send. Raises when sending fails."""
    invitation = (
        Invitation.objects.select_related("survey__project", "survey__template")
        .filter(pk=invitation_pk)
        .first()
    )
    if invitation is None or invitation.sent_at is not None or not invitation.email:
        return False
    survey = invitation.survey
    if survey.is_closed():
        return False
    token = services.personal_link(invitation)
    url = settings.HUIYI_BASE_URL.rstrip("/") + reverse("surveys:personal", args=[token])
    language = invitation.language if invitation.language in ("en", "zh-hans") else "zh-hans"
    with translation.override(language):
        project = survey.project
        meeting = project.name_en if language == "en" and project.name_en else project.name
        subject = _("Your opinion on %(meeting)s") % {"meeting": meeting}
        body = _(
            "Dear %(name)s,\n\n%(intro)s\n\nAnswer here (about two minutes; you can change your answers "
            "until %(closes)s):\n%(url)s\n\n%(organiser)s"
        ) % {
            "name": invitation.name,
            "intro": survey.template.localized_intro(language),
            "closes": timezone.localtime(survey.closes_at).strftime("%Y-%m-%d %H:%M"),
            "url": url,
            "organiser": _("The meeting service team"),
        }
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email], fail_silently=False)
    except Exception as error:
        services.mark_sent(invitation.pk, error=f"{type(error).__name__}: {error}")
        raise
    services.mark_sent(invitation.pk)
    return True


@db_task(retries=RETRIES, retry_delay=RETRY_DELAY_SECONDS)
def send_invitation(invitation_pk: int) -> bool:
    return deliver(invitation_pk)


@db_periodic_task(crontab(minute="*/10"))
def record_final_counts() -> int:
    """The collection figures of surveys that ended (REQ-FBK-02), for the KPIs."""
    return services.record_final_counts()
