"""Timeline sources of the records the projects app can see: its own history and its quality results."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.utils.translation import gettext as _

from huiyi.core.templatetags.huiyi import audit_action, audit_changes
from huiyi.core.translation import localize

from .timeline import Event, timeline_source


@timeline_source
def project_history(project):
    for entry in LogEntry.objects.get_for_object(project).select_related("actor")[:200]:
        changes = ", ".join(str(change["field"]) for change in audit_changes(entry)[:6])
        yield Event(
            at=entry.timestamp,
            kind="action",
            title=f"{audit_action(entry)} · {project.code}",
            detail=changes,
            actor=str(entry.actor or _("system")),
        )


@timeline_source
def phase_closures(project):
    for closure in project.phase_closures.select_related("closed_by"):
        detail = (
            _("overridden: %(reason)s") % {"reason": closure.override_reason}
            if closure.override_reason
            else ""
        )
        yield Event(
            at=closure.closed_at,
            kind="action",
            title=_("Phase closed: %(phase)s") % {"phase": closure.get_phase_display()},
            detail=detail,
            actor=str(closure.closed_by),
            state="overridden" if detail else "done",
        )


@timeline_source
def control_point_results(project):
    from huiyi.quality.models import ControlPointResult

    results = ControlPointResult.objects.filter(project=project).exclude(verdict="not_measurable")
    for result in results.order_by("-evaluated_at")[:200]:
        name = localize(getattr(result, "name", None) or {}) or result.rule_id
        yield Event(
            at=result.evaluated_at,
            kind="result",
            title=f"{result.control_point} · {name}",
            detail=f"{result.value} {result.op} {result.threshold}",
            state=result.verdict,
        )
