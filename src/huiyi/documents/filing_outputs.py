"""The phase outputs Huiyi files by itself, each built by its owning app's own renderer (REQ-QLT-01).

An output is built only when it is final — the same test the phase gate uses (``projects.outputs``: a
confirmed requirements list, a confirmed plan, a signed contract, every real incident closed …). The saves
that make an output final (a plan confirmed, a signed copy uploaded, a contract signed, an incident closed,
a summary report issued, an analysis completed, an action planned) file it after their commit.
"""

from __future__ import annotations

from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyi.projects.outputs import evidence_for
from huiyi.reports.pdf import PdfDocument

from .filing import Built, Output, frozen_clock, register


def _ready(project, key: str) -> bool:
    return evidence_for(project, key) is not None


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


def _stamp(value) -> str:
    return timezone.localtime(value).strftime("%Y%m%d%H%M%S") if value else "0"


def _changed(queryset) -> str:
    """The rows' count and last change: part of a generated file's name, so the name identifies its state."""
    facts = queryset.aggregate(n=Count("pk"), at=Max("updated_at"))
    return f"{facts['n']}-{_stamp(facts['at'])}"


def _generated(content: bytes, filename: str, note: str) -> Built:
    return Built(content, filename, note, named_by_source=True)


def _read(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()


def _project_of(instance):
    return instance.project


# -- P1 ------------------------------------------------------------------------------------------------------
def requirements_confirmation(project):
    from huiyi.projects.intake import pdf
    from huiyi.projects.intake.queries import confirmed_revision

    revision = confirmed_revision(project)
    if revision is None:
        return None
    with frozen_clock([pdf], revision.confirmed_at):
        content = pdf.render(revision, "zh-hans")
    return _generated(
        content,
        f"{project.code}-requirements-r{revision.number}-{_stamp(revision.confirmed_at)}.pdf",
        _("Requirements list r%(number)s confirmed by %(name)s")
        % {"number": revision.number, "name": revision.confirmed_by_name},
    )


def meeting_plan(project):
    from huiyi.projects.planning import pdf
    from huiyi.projects.planning.queries import confirmed_version

    version = confirmed_version(project)
    if version is None:
        return None
    with frozen_clock([pdf], version.confirmed_at):
        content = pdf.render(version, "zh-hans")
    return _generated(
        content,
        f"plan-{project.code}-{version.label}-{_stamp(version.confirmed_at)}.pdf",
        _("Plan %(label)s confirmed by the client") % {"label": version.label},
    )


def plan_signed_copies(project):
    from huiyi.projects.planning.models import SignedCopy

    copies = SignedCopy.objects.filter(version__project=project).select_related("version").order_by("pk")
    return [
        Built(
            _read(copy.file),
            copy.original_name,
            _("E-signed copy of plan %(label)s") % {"label": copy.version.label},
        )
        for copy in copies
    ]


def _signed_contract(project):
    from huiyi.contracts.models import Contract

    return (
        Contract.objects.filter(project=project, status__in=[Contract.Status.SIGNED, Contract.Status.CLOSED])
        .order_by("-version")
        .first()
    )


def service_contract(project):
    from huiyi.contracts import pdf

    contract = _signed_contract(project)
    if contract is None:
        return None
    with frozen_clock([pdf], contract.signed_at):
        content = pdf.contract_pdf(contract, "zh-hans")
    return _generated(
        content,
        f"{contract.number}-v{contract.version}-{contract.status}-{_stamp(contract.signed_at)}.pdf",
        _("%(contract)s, signed %(date)s") % {"contract": contract, "date": _when(contract.signed_at)},
    )


def contract_signed_copy(project):
    contract = _signed_contract(project)
    if contract is None or not contract.signed_copy:
        return []
    name = contract.signed_copy_name or f"{contract.number}-signed.pdf"
    return [
        Built(_read(contract.signed_copy), name, _("Signed copy of %(contract)s") % {"contract": contract})
    ]


# -- P2 ------------------------------------------------------------------------------------------------------
def layout_drawings(project):
    from huiyi.resources.models import Booking

    bookings = (
        Booking.objects.filter(project=project, kind=Booking.Kind.VENUE)
        .exclude(layout_drawing="")
        .select_related("room")
        .order_by("pk")
    )
    return [
        Built(
            _read(b.layout_drawing),
            b.layout_drawing.name.rsplit("/", 1)[-1],
            _("Layout drawing of %(room)s") % {"room": b.room},
        )
        for b in bookings
    ]


def equipment_list(project):
    from huiyi.resources.models import Booking

    if not _ready(project, "equipment_list"):
        return None
    bookings = (
        Booking.objects.filter(project=project, kind=Booking.Kind.EQUIPMENT)
        .select_related("equipment", "supplier")
        .order_by("starts_at", "pk")
    )
    doc = PdfDocument(title=_("Equipment list"), subtitle=f"{project.code} · {project.name}")
    doc.table(
        [
            [
                str(b.equipment or b.material or "—"),
                b.quantity,
                str(b.supplier or "—"),
                f"{_when(b.starts_at)} – {_when(b.ends_at)}",
                _("yes") if b.confirmed else _("no"),
            ]
            for b in bookings
        ],
        header=[_("Equipment"), _("Quantity"), _("Supplier"), _("Booked"), _("Confirmed")],
    )
    with frozen_clock([], None):
        content = doc.render()
    return _generated(
        content, f"{project.code}-equipment-{_changed(bookings)}.pdf", _("Equipment bookings of the meeting")
    )


def team_chart(project):
    if not _ready(project, "team_responsibility_chart"):
        return None
    members = project.members.select_related("user", "role").order_by("role__key", "user__username")
    doc = PdfDocument(title=_("Team responsibility chart"), subtitle=f"{project.code} · {project.name}")
    doc.table(
        [[m.user.get_full_name() or m.user.username, str(m.role)] for m in members],
        header=[_("Member"), _("Role")],
    )
    with frozen_clock([], None):
        content = doc.render()
    return _generated(
        content, f"{project.code}-team-{_changed(members)}.pdf", _("Team with roles and duties")
    )


# -- P3 ------------------------------------------------------------------------------------------------------
def service_record(project):
    from huiyi.onsite.agenda.models import AgendaItem, ProgressReport

    if not _ready(project, "in_meeting_service_record"):
        return None
    items = AgendaItem.objects.filter(project=project).order_by("planned_start", "pk")
    reports = (
        ProgressReport.objects.filter(project=project).select_related("reporter").order_by("reported_at")
    )
    doc = PdfDocument(title=_("In-meeting service record"), subtitle=f"{project.code} · {project.name}")
    doc.heading(_("Agenda as it ran"))
    doc.table(
        [
            [
                i.title,
                f"{_when(i.planned_start)} – {_when(i.planned_end)}",
                _when(i.actual_start),
                _when(i.actual_end),
            ]
            for i in items
        ],
        header=[_("Item"), _("Planned"), _("Started"), _("Ended")],
    )
    doc.heading(_("Progress reports"))
    doc.table(
        [
            [_when(r.reported_at), str(r.reporter or "—"), r.get_status_display(), r.issues, r.solutions]
            for r in reports
        ],
        header=[_("Time"), _("Reporter"), _("Status"), _("Issues"), _("Solutions")],
    )
    with frozen_clock([], None):
        content = doc.render()
    return _generated(
        content,
        f"{project.code}-service-record-{_changed(items)}-{_changed(reports)}.pdf",
        _("Agenda as it ran and progress reports"),
    )


def incident_report(project):
    from huiyi.incidents import report
    from huiyi.incidents.models import CalmMeeting, Incident

    if not _ready(project, "incident_report"):
        return None
    closed = list(Incident.objects.filter(project=project, is_drill=False).order_by("number"))
    if closed:
        at = max(i.closed_at for i in closed if i.closed_at)
        with frozen_clock([report], at):
            parts = [report.render(incident) for incident in closed]
        return _generated(
            _concatenate(parts),
            f"incident-{project.code}-{len(closed)}-{_stamp(at)}.pdf",
            _("%(count)s incident report(s)") % {"count": len(closed)},
        )
    calm = CalmMeeting.objects.filter(project=project).select_related("confirmed_by").first()
    doc = PdfDocument(title=_("Incident handling report"), subtitle=f"{project.code} · {project.name}")
    doc.paragraph(_("No incident, confirmed by %(who)s") % {"who": calm.confirmed_by})
    doc.key_values([(_("Confirmed at"), _when(calm.created_at)), (_("Note"), calm.note or "—")])
    with frozen_clock([], None):
        content = doc.render()
    return _generated(
        content,
        f"incident-{project.code}-calm-{_stamp(calm.updated_at)}.pdf",
        _("No incident, confirmed by %(who)s") % {"who": calm.confirmed_by},
    )


def _concatenate(parts: list[bytes]) -> bytes:
    if len(parts) == 1:
        return parts[0]
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(io.BytesIO(part))
    writer._ID = None  # no random file id: the same reports give the same bytes
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# -- P4 ------------------------------------------------------------------------------------------------------
def satisfaction_questionnaire(project):
    from huiyi.feedback.surveys import exports, queries
    from huiyi.feedback.surveys.models import Audience, Survey

    if not _ready(project, "satisfaction_questionnaire"):
        return None
    now = timezone.now()
    for survey in (
        Survey.objects.filter(project=project, audience=Audience.ATTENDEES, responses__isnull=False)
        .distinct()
        .select_related("template")
        .order_by("opens_at")
    ):
        if survey.is_closed(now):
            count = survey.responses.count()
            with frozen_clock([exports], None):
                content = exports.results_pdf(
                    survey, queries.results(survey, language="zh-hans"), language="zh-hans"
                )
            return _generated(
                content, f"survey-{project.code}-{survey.pk}-{count}.pdf", str(survey.template.name)
            )
    return None


def summary_report(project):
    from huiyi.closing.models import SummaryReport

    reports = SummaryReport.objects.filter(project=project).order_by("-version", "-pk")
    report = reports.filter(language__startswith="zh").first() or reports.first()
    if report is None:
        return None
    return Built(
        _read(report.file),
        report.file_name or f"summary-{project.code}-v{report.version}.pdf",
        _("Service summary report v%(version)s") % {"version": report.version},
    )


# -- P5 ------------------------------------------------------------------------------------------------------
def analysis(project):
    from huiyi.feedback.improvement import exports
    from huiyi.feedback.improvement.models import FeedbackAnalysis

    done = FeedbackAnalysis.objects.filter(project=project, status=FeedbackAnalysis.Status.COMPLETED).first()
    if done is None:
        return None
    with frozen_clock([exports], done.completed_at):
        content = exports.analysis_pdf(project, "zh-hans")
    return _generated(
        content,
        f"{project.code}-analysis-{_stamp(done.completed_at)}.pdf",
        _("Analysis completed %(date)s") % {"date": _when(done.completed_at)},
    )


def improvement_plan(project):
    from huiyi.feedback.improvement import exports
    from huiyi.feedback.improvement.models import ImprovementAction

    actions = ImprovementAction.objects.filter(project=project)
    latest = actions.aggregate(at=Max("updated_at"))["at"]
    if latest is None:
        return None
    with frozen_clock([exports], latest):
        content = exports.plan_pdf(project, "zh-hans")
    return _generated(
        content,
        f"{project.code}-improvement-plan-{actions.count()}-{_stamp(latest)}.pdf",
        _("Improvement plan of %(count)s actions") % {"count": actions.count()},
    )


# -- registrations -------------------------------------------------------------------------------------------
def _register_all():
    from huiyi.closing.models import SummaryReport
    from huiyi.contracts.models import Contract
    from huiyi.feedback.improvement.models import FeedbackAnalysis, ImprovementAction
    from huiyi.incidents.models import CalmMeeting, Incident
    from huiyi.projects.intake.models import RequirementsRevision
    from huiyi.projects.planning.models import PlanVersion, SignedCopy
    from huiyi.resources.models import Booking

    register(
        Output(
            "client_requirements_confirmation",
            build=requirements_confirmation,
            event=_("requirements list confirmed by the client"),
            retention_class="external_service_contract",
            senders=((RequirementsRevision, lambda r: r.status == "confirmed", _project_of),),
        )
    )
    register(
        Output(
            "meeting_plan",
            build=meeting_plan,
            event=_("plan confirmed by the client; e-signed copy uploaded"),
            retention_class="external_service_contract",
            uploads=plan_signed_copies,
            senders=(
                (PlanVersion, lambda v: v.status == "confirmed", _project_of),
                (SignedCopy, lambda c: True, lambda c: c.version.project),
            ),
        )
    )
    register(
        Output(
            "service_contract",
            build=service_contract,
            event=_("contract signed; signed copy uploaded"),
            uploads=contract_signed_copy,
            senders=(
                (
                    Contract,
                    lambda c: c.status in (Contract.Status.SIGNED, Contract.Status.CLOSED),
                    _project_of,
                ),
            ),
        )
    )
    register(
        Output(
            "venue_layout_drawing",
            build=lambda project: None,
            event=_("layout drawing uploaded to the venue booking"),
            uploads=layout_drawings,
            senders=((Booking, lambda b: bool(b.layout_drawing), _project_of),),
        )
    )
    register(Output("equipment_list", build=equipment_list, event=_("equipment booked")))
    register(Output("team_responsibility_chart", build=team_chart, event=_("every on-site role staffed")))
    register(
        Output("in_meeting_service_record", build=service_record, event=_("agenda run and progress reported"))
    )
    register(
        Output(
            "incident_report",
            build=incident_report,
            event=_("every incident closed, or the meeting confirmed calm"),
            senders=(
                (Incident, lambda i: i.status == Incident.Status.CLOSED, _project_of),
                (CalmMeeting, lambda c: True, _project_of),
            ),
        )
    )
    register(
        Output(
            "satisfaction_questionnaire", build=satisfaction_questionnaire, event=_("attendee survey closed")
        )
    )
    register(
        Output(
            "service_summary_report",
            build=summary_report,
            event=_("summary report issued"),
            senders=((SummaryReport, lambda r: True, _project_of),),
        )
    )
    register(
        Output(
            "strengths_weaknesses_analysis",
            build=analysis,
            event=_("feedback analysis completed"),
            senders=(
                (FeedbackAnalysis, lambda a: a.status == FeedbackAnalysis.Status.COMPLETED, _project_of),
            ),
        )
    )
    register(
        Output(
            "improvement_plan",
            build=improvement_plan,
            event=_("improvement actions planned"),
            senders=((ImprovementAction, lambda a: True, _project_of),),
        )
    )


_register_all()
