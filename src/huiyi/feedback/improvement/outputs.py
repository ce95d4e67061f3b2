"""Phase-5 outputs (REQ-QLT-01): 服务优差分析表 and 改进措施计划书.

* ``strengths_weaknesses_analysis`` is present when the meeting's feedback analysis is completed: it then
  has its issues and at least one line of the strengths and weaknesses table (the service enforces both).
* ``improvement_plan`` is present when the meeting has at least one improvement action.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from huiyi.projects.outputs import Evidence, output

from .models import FeedbackAnalysis, ImprovementAction


@output("strengths_weaknesses_analysis")
def strengths_weaknesses_analysis(project):
    analysis = FeedbackAnalysis.objects.filter(
        project=project, status=FeedbackAnalysis.Status.COMPLETED
    ).first()
    if analysis is None:
        return None
    return Evidence(
        label=_("Analysis of %(issues)s issues, %(lines)s lines, completed %(date)s")
        % {
            "issues": analysis.issues.count(),
            "lines": analysis.lines.count(),
            "date": analysis.completed_at.date().isoformat(),
        },
        url=reverse("improvement:analysis_pdf", args=[project.pk]),
    )


@output("improvement_plan")
def improvement_plan(project):
    count = ImprovementAction.objects.filter(project=project).count()
    if not count:
        return None
    return Evidence(
        label=_("Improvement plan of %(count)s actions") % {"count": count},
        url=reverse("improvement:plan_pdf", args=[project.pk]),
    )
