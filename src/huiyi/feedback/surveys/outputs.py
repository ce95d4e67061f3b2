"""Phase-4 output satisfaction_questionnaire 客户满意度调查问卷 (REQ-QLT-01): a closed attendee survey with
results (at least one response)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyi.projects.outputs import Evidence, output

from .models import Audience, Survey


@output("satisfaction_questionnaire")
def satisfaction_questionnaire(project):
    now = timezone.now()
    for survey in (
        Survey.objects.filter(project=project, audience=Audience.ATTENDEES, responses__isnull=False)
        .distinct()
        .select_related("template")
        .order_by("opens_at")
    ):
        if survey.is_closed(now):
            count = survey.responses.count()
            return Evidence(
                label=_("%(name)s: closed with %(count)s responses")
                % {"name": survey.template.name, "count": count},
                url=reverse("surveys:results", args=[survey.pk]),
            )
    return None
