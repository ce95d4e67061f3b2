"""The incident report 突发事件处理报告 (REQ-INC-06) as a PDF, in the reader's language (zh-Hans or English).

Facts, level (suggested and confirmed), the command chain with its acknowledgements, the clocks with their
verdicts, the response steps, actions, information releases and lessons — all from the incident's records.
"""

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from huiyi.reports.pdf import PdfDocument

from . import queries
from .models import ChainStep


def _at(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else "—"


def _minutes(delta) -> str:
    if delta is None:
        return "—"
    return f"{delta.total_seconds() / 60:.1f}"


def _verdict(clock) -> str:
    return {
        "met": _("met"),
        "breached": _("breached"),
        "running": _("running"),
        "stopped": _("stopped"),
        "open": _("open"),
    }[clock.status]


def render(incident) -> bytes:
    board = queries.board(incident)
    roles = queries.role_names(incident.project)
    title = _("Incident handling report")
    if not (get_language() or "").lower().startswith("en"):
        title = "突发事件处理报告"
    else:
        title = f"{title} (突发事件处理报告)"
    doc = PdfDocument(
        title=title,
        subtitle=f"{incident.project.code} · {incident.project} · #{incident.number}"
        + (f" · {_('DRILL')}" if incident.is_drill else ""),
        footer=_("Huiyi · incident %(code)s-%(number)s · printed %(at)s")
        % {"code": incident.project.code, "number": incident.number, "at": _at(timezone.now())},
    )
    doc.heading(_("Facts"))
    doc.key_values(
        [
            (_("Type"), incident.get_type_display()),
            (_("Place"), incident.place),
            (_("Occurred at"), _at(incident.occurred_at)),
            (_("Reported at"), _at(incident.reported_at)),
            (_("Reporter"), str(incident.reporter)),
            (_("Initial impact"), incident.impact),
            (
                _("Impact flags"),
                ", ".join(
                    label
                    for flag, label in (
                        (incident.injuries, _("People injured")),
                        (incident.attendees_affected, _("Attendees affected")),
                        (incident.meeting_interrupted, _("Meeting interrupted")),
                    )
                    if flag
                )
                or "—",
            ),
            (_("Device"), str(incident.equipment) if incident.equipment else "—"),
            (_("Status"), incident.get_status_display()),
            (_("Resolved at"), _at(incident.resolved_at)),
            (_("How it was resolved"), incident.resolution or "—"),
            (_("Closed at"), _at(incident.closed_at)),
        ]
    )
    doc.heading(_("Level"))
    doc.key_values(
        [
            (_("Suggested level"), incident.suggested_level),
            (_("Confirmed level"), incident.level if incident.level_confirmed_at else _("not confirmed")),
            (_("Confirmed by"), str(incident.level_confirmed_by) if incident.level_confirmed_by else "—"),
        ]
    )
    doc.heading(_("Command chain"))
    doc.table(
        [
            [
                step.position,
                roles.get(step.role, step.role),
                step.name or "—",
                step.get_state_display(),
                _at(step.paged_at),
                _at(step.acknowledged_at),
                f"{int(step.relay_seconds)} s" if step.relay_seconds is not None else "—",
            ]
            for step in board.chain
        ],
        header=["#", _("Role"), _("Person"), _("State"), _("Paged"), _("Acknowledged"), _("Relay")],
    )
    doc.heading(_("Clocks"))
    doc.table(
        [
            [c.name, c.threshold, _at(c.due) if c.due else "—", _minutes(c.elapsed), _verdict(c)]
            for c in board.clocks
        ],
        header=[_("Clock"), _("Limit"), _("Deadline"), _("Minutes taken"), _("Verdict")],
    )
    doc.heading(_("Response plan steps"))
    if incident.plan is not None:
        doc.paragraph(f"{incident.plan.display_title} v{incident.plan_version}")
    doc.table(
        [
            [t.position, t.display_text, _at(t.done_at), str(t.done_by) if t.done_by else "—"]
            for t in board.tasks
        ],
        header=["#", _("Step"), _("Done at"), _("By")],
    )
    doc.heading(_("Timeline"))
    doc.table(
        [[_at(e.at), e.get_kind_display(), e.text, str(e.actor) if e.actor else "—"] for e in board.timeline],
        header=[_("Time"), _("Kind"), _("What"), _("Who")],
    )
    doc.heading(_("Information releases"))
    if board.releases:
        doc.table(
            [
                [
                    _at(r.released_at),
                    r.get_channel_display(),
                    r.facts,
                    r.measures or "—",
                    r.progress or "—",
                    r.notes or "—",
                ]
                for r in board.releases
            ],
            header=[_("Time"), _("Channel"), _("Facts"), _("Measures"), _("Progress"), _("Notes")],
        )
    else:
        doc.paragraph(_("No information was released."))
    doc.heading(_("Lessons learned"))
    doc.paragraph(incident.lessons or "—")
    escalated = sum(1 for s in board.chain if s.state == ChainStep.State.ESCALATED)
    if escalated:
        doc.paragraph(
            _("%(count)s step(s) of the command chain did not acknowledge in time and were escalated.")
            % {"count": escalated}
        )
    return doc.render()
