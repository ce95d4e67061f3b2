"""State changes of plan versions: drafting, internal review, sending, client confirmation, archiving.

Every function is one business action in a transaction; records are validated with full_clean (errors name
the field, nothing is saved) and audited by the trail (plus record_event where the trail cannot see it).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from huiyi.core import links
from huiyi.core.audit import record_event
from huiyi.core.files import file_facts, safe_name
from huiyi.core.notifications import notify

from . import queries
from .models import (
    AgendaItem,
    BudgetLine,
    ClientResponse,
    PlanReview,
    PlanSection,
    PlanStatus,
    PlanVersion,
    ResourceLine,
    ReviewOutcome,
    RiskItem,
    SectionAnswer,
    SignedCopy,
)

LINK_PURPOSE = queries.LINK_PURPOSE
OPEN_STATUSES = (PlanStatus.DRAFT, PlanStatus.REVIEW)
GOAL_FIELDS = (
    "goals",
    "scale",
    "venue",
    "meeting_start",
    "meeting_end",
    "technical_support",
    "catering",
    "translation",
    "change_note",
)
LINE_MODELS = {
    "agenda": AgendaItem,
    "resources": ResourceLine,
    "budget": BudgetLine,
    "risks": RiskItem,
}
LINE_FIELDS = {
    "agenda": ("starts_at", "ends_at", "title", "notes"),
    "resources": ("kind", "name", "quantity", "start", "end", "notes"),
    "budget": ("category", "description", "amount"),
    "risks": ("risk", "description", "response", "owner"),
}
# REQ-PLN-04 (§2.2(3)): the risks every plan starts from; the planner edits them.
PRESET_RISKS = [
    {
        "zh-hans": (
            "设备故障",
            "投影、音响、同传或网络设备在会中失灵。",
            "会前联调测试；关键设备备份一套；技术支持全程驻场，5 分钟内切换备用设备。",
            "技术支持",
        ),
        "en": (
            "Device failure",
            "Projector, sound, interpretation or network equipment fails during the meeting.",
            "Test everything the day before; keep a spare of each key device; technical support on site "
            "throughout to switch to the spare.",
            "Technical support",
        ),
    },
    {
        "zh-hans": (
            "参会者迟到",
            "交通拥堵或航班延误导致参会者未能按时签到。",
            "提前发送交通指引与提醒；设置延时签到通道；议程预留缓冲时间。",
            "礼仪接待",
        ),
        "en": (
            "Late attendees",
            "Traffic or delayed flights keep attendees from checking in on time.",
            "Send directions and reminders in advance; keep a late check-in desk; leave buffer time in the "
            "agenda.",
            "Reception",
        ),
    },
    {
        "zh-hans": (
            "恶劣天气",
            "暴雨、台风或高温影响出行及室外环节。",
            "关注天气预报；室外环节准备室内备选场地；必要时调整议程并通知参会者。",
            "现场总控",
        ),
        "en": (
            "Bad weather",
            "Storms, typhoons or heat disrupt travel and outdoor parts of the programme.",
            "Watch the forecast; keep an indoor alternative for outdoor parts; adjust the agenda and tell "
            "attendees if needed.",
            "On-site director",
        ),
    },
]


def _refuse(field: str, message: str):
    raise ValidationError({field: [message]})


def _require_status(version: PlanVersion, *statuses: str, field: str = "status") -> None:
    if version.status not in statuses:
        if version.is_frozen:
            _refuse(field, _("Version %(label)s is frozen and cannot change.") % {"label": version.label})
        _refuse(
            field,
            _("Version %(label)s is %(status)s; this is not possible now.")
            % {"label": version.label, "status": version.get_status_display()},
        )


def _locked(version: PlanVersion) -> PlanVersion:
    return PlanVersion.objects.select_for_update().select_related("project").get(pk=version.pk)


def _preset_language() -> str:
    return "en" if (get_language() or "").startswith("en") else "zh-hans"


# --- drafting -----------------------------------------------------------------------------------------


@transaction.atomic
def create_version(project, *, by) -> PlanVersion:
    """A new draft: v1 prefilled from the project with the preset risks, or a copy of the latest version.

    Refused while a version is still being drafted or reviewed. A version sent to the client and not
    confirmed is superseded by the new one (its link is withdrawn); a confirmed version stays in force until
    its successor is confirmed.
    """
    versions = PlanVersion.objects.select_for_update().filter(project=project).order_by("-number")
    latest = versions.first()
    if latest is not None and latest.status in OPEN_STATUSES:
        _refuse(
            "version",
            _("Version %(label)s is still open; finish it before starting another.")
            % {"label": latest.label},
        )
    if latest is None:
        return _first_version(project, by)
    version = PlanVersion(
        project=project,
        number=latest.number + 1,
        based_on=latest,
        created_by=by,
        **{field: getattr(latest, field) for field in GOAL_FIELDS if field != "change_note"},
    )
    version.full_clean()
    version.save()
    for kind, model in LINE_MODELS.items():
        model.objects.bulk_create(
            model(version=version, position=line.position, **{f: getattr(line, f) for f in LINE_FIELDS[kind]})
            for line in model.objects.filter(version=latest).order_by("position", "pk")
        )
    for sent in versions.filter(status=PlanStatus.SENT):
        _withdraw_links(sent)
        sent.status = PlanStatus.SUPERSEDED
        sent.save(update_fields=["status", "updated_at"])
    return version


def _first_version(project, by) -> PlanVersion:
    version = PlanVersion(
        project=project,
        number=1,
        created_by=by,
        scale=project.expected_attendees,
        venue=project.venue_name,
        meeting_start=project.start,
        meeting_end=project.end,
    )
    version.full_clean()
    version.save()
    language = _preset_language()
    RiskItem.objects.bulk_create(
        RiskItem(version=version, position=index, risk=r, description=d, response=s, owner=o)
        for index, (r, d, s, o) in enumerate(preset[language] for preset in PRESET_RISKS)
    )
    return version


@transaction.atomic
def update_goals(version: PlanVersion, *, by, **fields) -> PlanVersion:
    """Research and goals of a draft (REQ-PLN-01)."""
    version = _locked(version)
    _require_status(version, PlanStatus.DRAFT)
    unknown = set(fields) - set(GOAL_FIELDS)
    if unknown:
        _refuse(sorted(unknown)[0], _("This field cannot be changed here."))
    for field, value in fields.items():
        setattr(version, field, value)
    version.full_clean()
    version.save()
    return version


def _save_line(line, version: PlanVersion, kind: str, fields: dict):
    allowed = set(LINE_FIELDS[kind]) | {"position"}
    unknown = set(fields) - allowed
    if unknown:
        _refuse(sorted(unknown)[0], _("Unknown field."))
    for field, value in fields.items():
        setattr(line, field, value)
    line.version = version
    line.full_clean()
    line.save()
    return line


def _next_position(version: PlanVersion, kind: str) -> int:
    last = LINE_MODELS[kind].objects.filter(version=version).order_by("-position").first()
    return last.position + 1 if last else 0


@transaction.atomic
def add_line(version: PlanVersion, kind: str, /, *, by, **fields):
    """Add an agenda item, resource line, budget line or risk (``kind``) to a draft."""
    version = _locked(version)
    _require_status(version, PlanStatus.DRAFT)
    fields.setdefault("position", _next_position(version, kind))
    return _save_line(LINE_MODELS[kind](), version, kind, fields)


@transaction.atomic
def update_line(line, *, by, **fields):
    version = _locked(line.version)
    _require_status(version, PlanStatus.DRAFT)
    return _save_line(line, version, kind_of(line), fields)


@transaction.atomic
def delete_line(line, *, by) -> None:
    version = _locked(line.version)
    _require_status(version, PlanStatus.DRAFT)
    record_event(version, by, {kind_of(line): [str(line), ""]})
    line.delete()


@transaction.atomic
def replace_lines(version: PlanVersion, kind: str, rows: list[dict], *, by) -> None:
    """Replace all lines of ``kind`` (API); all or nothing, an error names the row and field."""
    version = _locked(version)
    _require_status(version, PlanStatus.DRAFT)
    LINE_MODELS[kind].objects.filter(version=version).delete()
    for index, row in enumerate(rows):
        try:
            _save_line(LINE_MODELS[kind](position=index), version, kind, dict(row))
        except ValidationError as error:
            raise ValidationError(
                {f"{kind}[{index}].{field}": messages for field, messages in error.message_dict.items()}
            ) from error


def kind_of(line) -> str:
    return next(kind for kind, model in LINE_MODELS.items() if isinstance(line, model))


# --- internal review (REQ-PLN-03) ---------------------------------------------------------------------


@transaction.atomic
def submit_for_review(version: PlanVersion, *, by) -> PlanVersion:
    version = _locked(version)
    _require_status(version, PlanStatus.DRAFT)
    if not version.goals.strip():
        _refuse("goals", _("Describe the goals before the review."))
    if not version.budget_lines.exists():
        _refuse("budget", _("Add at least one budget line before the review."))
    if not version.risks.exists():
        _refuse("risks", _("Add at least one risk before the review."))
    version.status = PlanStatus.REVIEW
    version.submitted_at = timezone.now()
    version.review_outcome = ""
    version.review_note = ""
    version.reviewed_at = None
    version.reviewed_by = None
    version.save()
    url = reverse("planning:version", args=[version.pk])
    for member in version.project.members.select_related("user").filter(role__key="project_director"):
        if member.user != by:
            notify(
                member.user,
                _("Plan %(version)s is ready for review") % {"version": version},
                url=url,
                dedupe_key=f"planning.review.{version.pk}.{version.submitted_at.isoformat()}.{member.user_id}",
            )
    return version


@transaction.atomic
def review(version: PlanVersion, *, reviewer, score, comment: str = "", outcome: str) -> PlanReview:
    """A reviewer's creativity score and recommendation; a second review by the same person replaces it."""
    version = _locked(version)
    _require_status(version, PlanStatus.REVIEW)
    if version.review_outcome:
        _refuse("outcome", _("The review of this version is concluded."))
    if version.created_by_id and version.created_by_id == reviewer.pk:
        raise PermissionDenied(_("You wrote this version; someone else reviews it."))
    row = PlanReview.objects.filter(version=version, reviewer=reviewer).first() or PlanReview(
        version=version, reviewer=reviewer
    )
    row.score = score
    row.comment = comment
    row.outcome = outcome
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def conclude_review(version: PlanVersion, *, by, outcome: str, note: str = "") -> PlanVersion:
    """Approve (ready to send to the client) or return the version to its draft for rework."""
    version = _locked(version)
    _require_status(version, PlanStatus.REVIEW)
    if outcome not in ReviewOutcome.values:
        _refuse("outcome", _("Choose approve or return."))
    if not version.reviews.exists():
        _refuse("outcome", _("At least one reviewer must score the version first."))
    if outcome == ReviewOutcome.RETURN and not note.strip():
        _refuse("note", _("Say what needs rework."))
    version.review_outcome = outcome
    version.review_note = note
    version.reviewed_at = timezone.now()
    version.reviewed_by = by
    if outcome == ReviewOutcome.RETURN:
        version.status = PlanStatus.DRAFT
    version.full_clean()
    version.save()
    if version.created_by and version.created_by != by:
        notify(
            version.created_by,
            (
                _("Plan %(version)s approved")
                if outcome == ReviewOutcome.APPROVE
                else _("Plan %(version)s returned")
            )
            % {"version": version},
            body=note,
            url=reverse("planning:version", args=[version.pk]),
        )
    return version


# --- the client (REQ-PLN-02, CCP 2–3) -----------------------------------------------------------------


def _withdraw_links(version: PlanVersion) -> None:
    for link in queries.live_links(version):
        links.revoke(link)


@transaction.atomic
def send_to_client(version: PlanVersion, *, by, recipient: str = "") -> tuple[PlanVersion, str]:
    """Issue the client's confirmation link for an approved version; returns the token (shown once).

    Sending again (a lost link) withdraws the earlier unused link. The first version sent completes the
    intake key step "plan recommendation" (REQ-INT-02).
    """
    version = _locked(version)
    if version.status == PlanStatus.REVIEW and version.review_outcome != ReviewOutcome.APPROVE:
        _refuse("status", _("The internal review has not approved this version yet."))
    _require_status(version, PlanStatus.REVIEW, PlanStatus.SENT)
    first_send = not PlanVersion.objects.filter(project=version.project, sent_at__isnull=False).exists()
    _withdraw_links(version)
    link, token = links.issue(LINK_PURPOSE, version, created_by=by, recipient=recipient)
    if version.status != PlanStatus.SENT:
        version.status = PlanStatus.SENT
        version.sent_at = timezone.now()
        version.sent_by = by
        version.save()
    record_event(version, by, {"client_link": ["", f"{link.pk} → {recipient or '—'}"]})
    if first_send:
        _complete_intake_step(version.project, by)
    return version, token


def _complete_intake_step(project, by) -> None:
    try:
        from huiyi.projects.intake.services import complete_key_step
    except ImportError:  # the intake app has not published its key steps yet
        return
    complete_key_step(project, "plan_recommendation", by=by)


def confirmation_sections() -> list[str]:
    return list(PlanSection.values)


@transaction.atomic
def answer_as_client(
    token: str, *, answers: dict[str, tuple[bool, str]], signer_name: str, address: str = ""
) -> ClientResponse:
    """Record the client's answer through the link: each section accepted or commented, a typed name.

    All sections accepted → the version is confirmed and frozen (an earlier confirmed version is
    superseded). Otherwise the comments go back to the planner, who writes the next version. The link is
    single use; an expired or used link raises its LinkError and nothing changes.
    """
    link = links.resolve(token, LINK_PURPOSE)
    version = _locked(link.target)
    _require_status(version, PlanStatus.SENT)
    errors = {}
    signer_name = (signer_name or "").strip()
    if not signer_name:
        errors["signer_name"] = [_("Type your full name to sign.")]
    for section in PlanSection.values:
        if section not in answers:
            errors[section] = [_("Accept this section or comment on it.")]
        elif not answers[section][0] and not answers[section][1].strip():
            errors[section] = [_("Say what should change in this section.")]
    if errors:
        raise ValidationError(errors)
    link = links.consume(token, LINK_PURPOSE, note=signer_name, address=address)
    accepted = sum(1 for section in PlanSection.values if answers[section][0])
    all_accepted = accepted == len(PlanSection.values)
    now = timezone.now()
    response = ClientResponse(
        version=version,
        link=link,
        signer_name=signer_name,
        signed_at=now if all_accepted else None,
        address=address[:64],
        accepted_sections=accepted,
        total_sections=len(PlanSection.values),
    )
    response.full_clean()
    response.save()
    SectionAnswer.objects.bulk_create(
        SectionAnswer(response=response, section=s, accepted=answers[s][0], comment=answers[s][1].strip())
        for s in PlanSection.values
    )
    if all_accepted:
        for earlier in PlanVersion.objects.filter(project=version.project, status=PlanStatus.CONFIRMED):
            earlier.status = PlanStatus.SUPERSEDED
            earlier.save(update_fields=["status", "updated_at"])
        version.status = PlanStatus.CONFIRMED
        version.confirmed_at = now
        version.save()
    record_event(
        version, None, {"client_answer": ["", f"{signer_name}: {accepted}/{len(PlanSection.values)}"]}
    )
    if version.sent_by:
        notify(
            version.sent_by,
            (
                _("The client confirmed plan %(version)s")
                if all_accepted
                else _("The client commented on plan %(version)s")
            )
            % {"version": version},
            url=reverse("planning:version", args=[version.pk]),
        )
    return response


@transaction.atomic
def archive_signed_copy(version: PlanVersion, upload, *, by) -> SignedCopy:
    """Archive the client's e-signed copy of the confirmed version with its SHA-256 and size (CCP 3)."""
    version = _locked(version)
    if version.status != PlanStatus.CONFIRMED:
        _refuse("file", _("Only the confirmed version's signed copy is archived."))
    if upload is None or not upload.size:
        _refuse("file", _("Choose the signed file."))
    facts = file_facts(upload)
    copy = SignedCopy(
        version=version,
        original_name=(upload.name or "signed")[:255],
        sha256=facts.sha256,
        size=upload.size,
        uploaded_by=by,
    )
    # stored under a name of our own; the sender's name is kept only as text (issue 10)
    copy.file.save(safe_name(upload, facts), ContentFile(upload.read()), save=False)
    copy.full_clean()
    copy.save()
    return copy
