"""Phase output `service_summary_report` (REQ-QLT-01, phase 4): the latest generated summary report."""

from django.urls import reverse
from django.utils.translation import gettext as _

from huiyi.projects.outputs import Evidence, output

from .models import SummaryReport


@output("service_summary_report")
def service_summary_report(project):
    report = SummaryReport.objects.filter(project=project).order_by("-version").first()
    if report is None:
        return None
    return Evidence(
        label=_("Service summary report v%(version)s, %(date)s")
        % {"version": report.version, "date": f"{report.generated_at:%Y-%m-%d}"},
        url=reverse("closing:report_download", args=[report.pk]),
    )
