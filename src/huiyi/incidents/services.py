"""Every change of incident records: one function per business action, in a transaction, audited.

Reporting an incident (REQ-INC-02) suggests its level (REQ-INC-01, :func:`.rules.suggest_level`), opens
the response plan of its type as a checklist (REQ-INC-04) and pages the command chain for its level
(REQ-INC-03) through the liaison chain director → host → security centre (REQ-ONS-09): each step gets a
notification and an acknowledgement timer (the rulebook's relay time). An acknowledgement relays to the next
step; a timer that runs out escalates to the next step and the missed step turns red. :func:`check_timers`
(a huey periodic task) does the escalation and is safe to run again at any time.

Only people in the command chain (or the project director) acknowledge pages and stop clocks; the signed
link in an e-mail acknowledges its own step for someone without a session.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from huiyi.core import links
from huiyi.core.audit import record_event
from huiyi.core.files import file_facts, safe_name
from huiyi.core.notifications import notify
from huiyi.projects.models import MeetingProject
from huiyi.rulebook.display import text
from huiyi.rulebook.services import rulebook_for

from . import clocks
from .default_plans import DEFAULT_PLANS
from .models import (
    LEVEL_RANK,
    CalmMeeting,
    ChainStep,
    Drill,
    Incident,
    IncidentTask,
    IncidentType,
    InformationRelease,
    Level,
    PlanReview,
    ResponsePlan,
    TimelineEntry,
)
from .rules import can_act_on_timers, suggest_level

log = logging.getLogger(__name__)

ACK_PURPOSE = "incidents.ack"
#: The service person paged for a type after the director (and host): who acts first on site.
SERVICE_ROLE = {
    "equipment_failure": "technical_support",
    "health": "medical",
}
#: The role of the security centre of REQ-ONS-09 and the last escalation target.
SECURITY_ROLE = "security"
DIRECTOR_ROLE = "on_site_director"
PROJECT_DIRECTOR_ROLE = "project_director"
HOST_ROLE = "host_principal"
GOVERNMENT_ROLE = "government_authority"
#: Photos: image types a phone produces; size bound keeps uploads sane.
PHOTO_TYPES = {"JPEG", "PNG", "WEBP", "GIF", "MPO", "HEIF"}
MAX_PHOTO_BYTES = int(getattr(settings, "HUIYI_INCIDENT_PHOTO_MAX_BYTES", 15 * 1024 * 1024))


def _save(instance):
    instance.full_clean()
    instance.save()
    return instance


def _entry(incident, kind, message, *, at=None, actor=None, **data) -> TimelineEntry:
    return TimelineEntry.objects.create(
        incident=incident, at=at or timezone.now(), kind=kind, text=message, actor=actor, data=data
    )


def _bilingual(render) -> str:
    """A timeline text in both languages (zh-Hans first), so the record reads the same for everyone."""
    with override("zh-hans"):
        zh = render()
    with override("en"):
        en = render()
    return zh if zh == en else f"{zh}\n{en}"


# -- response plans (REQ-INC-04, REQ-INC-06) -----------------------------------------------------------------


@transaction.atomic
def ensure_default_plans(*, by=None) -> dict[str, ResponsePlan]:
    """The plan of every type, creating the missing ones from the defaults (first use)."""
    plans = {plan.incident_type: plan for plan in ResponsePlan.objects.all()}
    now = timezone.now()
    for incident_type, definition in DEFAULT_PLANS.items():
        if incident_type not in plans:
            plans[incident_type], _created = ResponsePlan.objects.get_or_create(
                incident_type=incident_type,
                defaults={
                    "title": definition["title"],
                    "owner_role": definition["owner_role"],
                    "steps": definition["steps"],
                    "last_reviewed_at": now,
                    "created_by": by,
                },
            )
    return plans


def plan_for(incident_type: str) -> ResponsePlan:
    plan = ResponsePlan.objects.filter(incident_type=incident_type).first()
    return plan or ensure_default_plans()[incident_type]


def review_due(plan: ResponsePlan, rulebook, now=None):
    """When the plan must be reviewed again (REQ-INC-06, ``inc.plan.review_interval``)."""
    from dateutil.relativedelta import relativedelta

    rule = rulebook.rules_where(metric="response_plan_review_interval")[0]
    return plan.last_reviewed_at + relativedelta(months=int(rule.value))


@transaction.atomic
def open_plan_review(plan: ResponsePlan, *, by=None, incident=None) -> PlanReview:
    if incident is not None:
        existing = PlanReview.objects.filter(plan=plan, incident=incident).first()
        if existing is not None:
            return existing
    review = PlanReview.objects.create(
        plan=plan, incident=incident, version_before=plan.version, steps_before=plan.steps, created_by=by
    )
    return review


@transaction.atomic
def complete_plan_review(review: PlanReview, *, by, findings: str, steps: list | None = None) -> PlanReview:
    """Record the findings; changed steps make a new version of the plan. The plan counts as reviewed now."""
    review = PlanReview.objects.select_for_update().get(pk=review.pk)
    if review.status == PlanReview.Status.DONE:
        raise ValidationError({"status": _("This review is done already.")})
    if not (findings or "").strip():
        raise ValidationError({"findings": _("Write down what the review found.")})
    plan = ResponsePlan.objects.select_for_update().get(pk=review.plan_id)
    now = timezone.now()
    if steps is not None:
        cleaned = []
        for index, step in enumerate(steps, start=1):
            zh = str((step or {}).get("zh-hans", "")).strip()
            en = str((step or {}).get("en", "")).strip()
            if not zh and not en:
                continue
            if not zh or not en:
                raise ValidationError(
                    {"steps": _("Step %(n)s: give the text in Chinese and in English.") % {"n": index}}
                )
            cleaned.append({"zh-hans": zh, "en": en})
        if not cleaned:
            raise ValidationError({"steps": _("A plan needs at least one step.")})
        if cleaned != plan.steps:
            plan.steps = cleaned
            plan.version += 1
    plan.last_reviewed_at = now
    plan.save()
    review.status = PlanReview.Status.DONE
    review.findings = findings.strip()
    review.version_after = plan.version
    review.completed_at = now
    review.completed_by = by
    review.save()
    return review


# -- reporting (REQ-INC-01, REQ-INC-02) ----------------------------------------------------------------------


def _validate_photo(photo):
    if not photo:
        return None
    if photo.size > MAX_PHOTO_BYTES:
        raise ValidationError(
            {
                "photo": _("The photo is too large (at most %(mb)s MB).")
                % {"mb": MAX_PHOTO_BYTES // (1024 * 1024)}
            }
        )
    from PIL import Image, UnidentifiedImageError

    try:
        photo.seek(0)
        with Image.open(photo) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        # a "decompression bomb" declares more pixels than Pillow will decode (issue 10)
        raise ValidationError(
            {"photo": _("This file is not a photo we can read (JPEG, PNG or WebP).")}
        ) from None
    finally:
        photo.seek(0)
    if kind not in PHOTO_TYPES:
        raise ValidationError({"photo": _("This file is not a photo we can read (JPEG, PNG or WebP).")})
    return file_facts(photo)


def _clean_report(*, incident_type, place, impact, occurred_at, now, equipment):
    errors = {}
    if incident_type not in IncidentType.values:
        errors["type"] = _("Choose the type of incident.")
    if not (place or "").strip():
        errors["place"] = _("Say where it happened.")
    if not (impact or "").strip():
        errors["impact"] = _("Describe the initial impact in a few words.")
    if occurred_at is not None and occurred_at > now + timedelta(minutes=1):
        errors["occurred_at"] = _("The time lies in the future.")
    if equipment is not None and incident_type != IncidentType.EQUIPMENT_FAILURE:
        errors["equipment"] = _("A device is named only for an equipment failure.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def report_incident(
    project: MeetingProject,
    *,
    by,
    type: str,  # noqa: A002 — the API's field name
    place: str,
    impact: str,
    occurred_at=None,
    injuries: bool = False,
    attendees_affected: bool = False,
    meeting_interrupted: bool = False,
    photo=None,
    equipment=None,
    drill: Drill | None = None,
    now=None,
) -> Incident:
    """Record a report and start the procedure for its suggested level: checklist, clocks, chain paging."""
    now = now or timezone.now()
    _clean_report(
        incident_type=type, place=place, impact=impact, occurred_at=occurred_at, now=now, equipment=equipment
    )
    facts = _validate_photo(photo)
    MeetingProject.objects.select_for_update().filter(pk=project.pk).first()
    number = (Incident.objects.filter(project=project).aggregate(n=Max("number"))["n"] or 0) + 1
    level = suggest_level(
        type,
        injuries=injuries,
        attendees_affected=attendees_affected,
        meeting_interrupted=meeting_interrupted,
    )
    plan = plan_for(type)
    incident = Incident(
        project=project,
        number=number,
        type=type,
        place=place.strip(),
        occurred_at=occurred_at or now,
        reported_at=now,
        reporter=by,
        impact=impact.strip(),
        injuries=bool(injuries),
        attendees_affected=bool(attendees_affected),
        meeting_interrupted=bool(meeting_interrupted),
        equipment=equipment,
        suggested_level=level,
        level=level,
        is_drill=drill is not None,
        drill=drill,
        plan=plan,
        plan_version=plan.version,
        created_by=by,
    )
    if photo:
        # stored under a name of our own with the extension its bytes prove, never the sender's (issue 10)
        photo.name = safe_name(photo, facts)
        incident.photo = photo
        incident.photo_sha256 = facts.sha256
    _save(incident)
    rulebook = rulebook_for(project)
    _entry(
        incident,
        TimelineEntry.Kind.REPORT,
        _bilingual(
            lambda: (
                _("Reported by %(who)s: %(type)s at %(place)s — %(impact)s (suggested level %(level)s)")
                % {
                    "who": str(by),
                    "type": incident.get_type_display(),
                    "place": incident.place,
                    "impact": incident.impact,
                    "level": level,
                }
            )
        ),
        at=now,
        actor=by,
    )
    _open_checklist(incident, plan, rulebook)
    _build_chain(incident, rulebook, start_position=1)
    _page_next(incident, rulebook, now)
    if drill is not None:
        Drill.objects.filter(pk=drill.pk).update(status=Drill.Status.RUNNING)
    return incident


def _open_checklist(incident: Incident, plan: ResponsePlan, rulebook) -> None:
    steps = list(plan.steps)
    command = clocks.command_rule(rulebook, incident.level)
    if command is not None and GOVERNMENT_ROLE in command.command:
        role = rulebook.roles.get(GOVERNMENT_ROLE)
        name = role.name if role else None
        steps.append(
            {
                "zh-hans": _t(
                    "zh-hans", lambda: _("Report to %(who)s") % {"who": text(name, "zh-hans") if name else ""}
                ),
                "en": _t("en", lambda: _("Report to %(who)s") % {"who": text(name, "en") if name else ""}),
            }
        )
    IncidentTask.objects.bulk_create(
        IncidentTask(incident=incident, position=index, text=step)
        for index, step in enumerate(steps, start=1)
    )


def _t(language: str, render) -> str:
    with override(language):
        return render()


# -- the command chain (REQ-INC-03, REQ-ONS-09) --------------------------------------------------------------


def chain_roles(rulebook, incident_type: str, level: str) -> list[str]:
    """The liaison order for a level: director → host (when the level's command includes the host's principal)
    → the type's service role → security centre → project director (last escalation)."""
    command = clocks.command_rule(rulebook, level)
    roles = [DIRECTOR_ROLE]
    if command is not None and HOST_ROLE in command.command:
        roles.append(HOST_ROLE)
    roles.append(SERVICE_ROLE.get(incident_type, SECURITY_ROLE))
    roles.append(SECURITY_ROLE)
    roles.append(PROJECT_DIRECTOR_ROLE)
    return list(dict.fromkeys(roles))


def _person_for(project: MeetingProject, role: str):
    """(user, contact) who holds ``role`` for the project; (None, None) when nobody does."""
    if role == HOST_ROLE:
        contact = project.client.contacts.order_by("-is_primary", "pk").first()
        return None, contact
    member = project.members.filter(role__key=role).select_related("user").order_by("pk").first()
    if member is not None:
        return member.user, None
    if role == PROJECT_DIRECTOR_ROLE:
        from huiyi.accounts.models import OrgMembership

        path = project.org_unit.path
        for membership in (
            OrgMembership.objects.filter(role__key=role, user__is_active=True)
            .select_related("user", "org_unit")
            .order_by("pk")
        ):
            if path.startswith(membership.org_unit.path):
                return membership.user, None
    return None, None


def _build_chain(incident: Incident, rulebook, *, start_position: int) -> list[ChainStep]:
    present = set(incident.chain.values_list("role", flat=True))
    steps = []
    position = start_position
    for role in chain_roles(rulebook, incident.type, incident.level):
        if role in present:
            continue
        user, contact = _person_for(incident.project, role)
        name = ""
        phone = ""
        if user is not None:
            name = str(user)
            phone = getattr(user, "phone", "") or ""
        elif contact is not None:
            name = contact.name
            phone = contact.phone
        steps.append(
            ChainStep(
                incident=incident,
                position=position,
                role=role,
                user=user,
                contact=contact,
                name=name,
                phone=phone,
            )
        )
        position += 1
    ChainStep.objects.bulk_create(steps)
    return steps


def _role_name(rulebook, role: str, language: str | None = None) -> str:
    definition = rulebook.roles.get(role)
    return text(definition.name, language) if definition else role


def _incident_url(incident: Incident) -> str:
    return reverse("incidents:detail", args=[incident.pk])


def _page_next(incident: Incident, rulebook, now) -> ChainStep | None:
    """Page the first waiting step; steps nobody holds are skipped (red) and the next one is paged."""
    while True:
        step = incident.chain.filter(state=ChainStep.State.WAITING).order_by("position").first()
        if step is None:
            return None
        if step.user_id is None and step.contact_id is None:
            role = step.role
            step.state = ChainStep.State.SKIPPED
            step.save(update_fields=["state"])
            _entry(
                incident,
                TimelineEntry.Kind.ESCALATION,
                _bilingual(
                    lambda role=role: (
                        _("Nobody holds the role %(role)s on this project: skipped to the next step.")
                        % {"role": _role_name(rulebook, role, "zh-hans" if _is_zh() else "en")}
                    )
                ),
                at=now,
                step=step.pk,
            )
            continue
        _page(step, incident, rulebook, now)
        return step


def _is_zh() -> bool:
    from django.utils.translation import get_language

    return not (get_language() or "").lower().startswith("en")


def _page(step: ChainStep, incident: Incident, rulebook, now) -> None:
    step.state = ChainStep.State.PAGED
    step.paged_at = now
    step.ack_due = now + clocks.relay_window(rulebook)
    step.save(update_fields=["state", "paged_at", "ack_due"])
    _link, token = links.issue(ACK_PURPOSE, step, recipient=step.name)
    ack_url = settings.HUIYI_BASE_URL.rstrip("/") + reverse("incidents:ack_link", args=[token])
    drill = _("[DRILL] ") if incident.is_drill else ""
    title = _("%(drill)s[Level %(level)s] %(type)s — %(place)s") % {
        "drill": drill,
        "level": incident.level,
        "type": incident.get_type_display(),
        "place": incident.place,
    }
    body = _(
        "%(project)s: %(impact)s\nYou are step %(position)s of the command chain (%(role)s). "
        "Acknowledge by %(due)s, or it escalates to the next person.\nAcknowledge with one tap: %(link)s"
    ) % {
        "project": incident.project,
        "impact": incident.impact,
        "position": step.position,
        "role": _role_name(rulebook, step.role),
        "due": timezone.localtime(step.ack_due).strftime("%H:%M:%S"),
        "link": ack_url,
    }
    if step.user_id is not None:
        notify(
            step.user,
            title,
            body=body,
            url=_incident_url(incident),
            kind="incident",
            dedupe_key=f"incidents.page.{step.pk}",
        )
    elif step.contact is not None and step.contact.email:
        address = step.contact.email
        transaction.on_commit(
            lambda: send_mail(title[:200], body, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=True)
        )
    _entry(
        incident,
        TimelineEntry.Kind.PAGE,
        _bilingual(
            lambda: (
                _("Paged %(name)s (%(role)s), acknowledge by %(due)s")
                % {
                    "name": step.name,
                    "role": _role_name(rulebook, step.role, "zh-hans" if _is_zh() else "en"),
                    "due": timezone.localtime(step.ack_due).strftime("%H:%M:%S"),
                }
            )
        ),
        at=now,
        step=step.pk,
    )


def _require_timer_actor(incident: Incident, by) -> None:
    if by is None or not can_act_on_timers(by, incident):
        raise PermissionDenied(
            _("Only the people of this incident's command chain, or the project director, may do this.")
        )


@transaction.atomic
def acknowledge(step: ChainStep, *, by=None, via: str = "app", now=None) -> ChainStep:
    """Acknowledge a page. ``by`` None only for the signed link (the token stands for the step's person).

    In time: the information is relayed, the next step is paged. Late (escalated already): recorded as late.
    """
    now = now or timezone.now()
    step = ChainStep.objects.select_for_update().select_related("incident__project").get(pk=step.pk)
    incident = Incident.objects.select_for_update().get(pk=step.incident_id)
    if via != "link":
        _require_timer_actor(incident, by)
    if incident.status == Incident.Status.CLOSED:
        raise ValidationError({"step": _("The incident is closed.")})
    if step.state == ChainStep.State.ACKNOWLEDGED:
        raise ValidationError({"step": _("This page was acknowledged already; nothing was changed.")})
    if step.state not in (ChainStep.State.PAGED, ChainStep.State.ESCALATED):
        raise ValidationError({"step": _("This person has not been paged yet.")})
    was_escalated = step.state == ChainStep.State.ESCALATED
    step.state = ChainStep.State.ACKNOWLEDGED
    step.acknowledged_at = now
    step.acknowledged_by = by
    step.via = via if by is None or by.pk == step.user_id else "on_behalf"
    step.save(update_fields=["state", "acknowledged_at", "acknowledged_by", "via"])
    rulebook = rulebook_for(incident.project)
    seconds = int((now - step.paged_at).total_seconds())
    who = step.name
    if by is not None and by.pk != step.user_id:
        who = _("%(name)s (recorded by %(by)s)") % {"name": step.name, "by": str(by)}
    _entry(
        incident,
        TimelineEntry.Kind.ACK,
        _bilingual(
            lambda: (
                (
                    _("%(who)s acknowledged after %(seconds)s s (late: escalated already)")
                    if was_escalated
                    else _("%(who)s acknowledged after %(seconds)s s")
                )
                % {"who": who, "seconds": seconds}
            )
        ),
        at=now,
        actor=by,
        step=step.pk,
        seconds=seconds,
        late=was_escalated,
    )
    changed = []
    if incident.responded_at is None:
        incident.responded_at = now
        changed.append("responded_at")
        _entry(incident, TimelineEntry.Kind.CLOCK, _bilingual(lambda: _("Response clock stopped.")), at=now)
        _judge_response(incident, rulebook, now, by)
    if step.role == HOST_ROLE and incident.host_reported_at is None:
        incident.host_reported_at = now
        changed.append("host_reported_at")
    if changed:
        incident.save(update_fields=changed)
    if not was_escalated:
        _page_next(incident, rulebook, now)
    return step


def _judge_response(incident: Incident, rulebook, now, by) -> None:
    """A real critical incident answered later than CCP 8 allows opens a nonconformance (REQ-QLT-06)."""
    if incident.is_drill or not clocks.is_critical(rulebook, incident.level):
        return
    if clocks.CRITICAL_RESPONSE_RULE not in rulebook:
        return
    rule = rulebook.rule(clocks.CRITICAL_RESPONSE_RULE)
    end = incident.responded_at or now
    value = round(clocks.minutes(end - incident.reported_at), 2)
    if not rule.passes(value):
        from huiyi.quality.services import nonconformance_for_failed_rule

        nonconformance_for_failed_rule(incident.project, rule, value, by=by, source="incident")


def check_timers(now=None) -> int:
    """Escalate every page whose acknowledgement timer ran out (huey, every minute). Idempotent: a step is
    escalated once (row lock + state check), its page's notice carries a dedupe key. Returns escalations."""
    now = now or timezone.now()
    escalated = 0
    due = ChainStep.objects.filter(
        state=ChainStep.State.PAGED,
        ack_due__lt=now,
        incident__status__in=[Incident.Status.OPEN, Incident.Status.RESOLVED],
    ).values_list("pk", flat=True)
    for pk in list(due):
        if _escalate(pk, now):
            escalated += 1
    _flag_breaches(now)
    return escalated


@transaction.atomic
def _escalate(step_pk: int, now) -> bool:
    step = ChainStep.objects.select_for_update().filter(pk=step_pk).first()
    if step is None or step.state != ChainStep.State.PAGED or step.ack_due >= now:
        return False
    incident = Incident.objects.select_for_update().select_related("project").get(pk=step.incident_id)
    step.state = ChainStep.State.ESCALATED
    step.escalated_at = now
    step.save(update_fields=["state", "escalated_at"])
    rulebook = rulebook_for(incident.project)
    _entry(
        incident,
        TimelineEntry.Kind.ESCALATION,
        _bilingual(
            lambda: (
                _("%(name)s did not acknowledge in time: escalated to the next person.") % {"name": step.name}
            )
        ),
        at=now,
        step=step.pk,
    )
    nxt = _page_next(incident, rulebook, now)
    if nxt is None:
        # Nobody left: tell every person paged so far that the chain ran out.
        for other in incident.chain.exclude(user=None).select_related("user"):
            notify(
                other.user,
                _("Nobody acknowledged incident %(number)s") % {"number": incident.number},
                body=str(incident.project),
                url=_incident_url(incident),
                kind="incident",
                dedupe_key=f"incidents.exhausted.{incident.pk}",
            )
    return True


def _flag_breaches(now) -> None:
    """Record once in the timeline (and as a nonconformance for real incidents) a critical response clock
    that ran out before anyone acknowledged."""
    open_incidents = Incident.objects.filter(
        responded_at__isnull=True, status=Incident.Status.OPEN
    ).select_related("project")
    for incident in open_incidents:
        rulebook = rulebook_for(incident.project)
        if not clocks.is_critical(rulebook, incident.level) or clocks.CRITICAL_RESPONSE_RULE not in rulebook:
            continue
        rule = rulebook.rule(clocks.CRITICAL_RESPONSE_RULE)
        if incident.reported_at + clocks.rule_duration(rule) >= now:
            continue
        with transaction.atomic():
            locked = Incident.objects.select_for_update().get(pk=incident.pk)
            if locked.timeline.filter(kind=TimelineEntry.Kind.CLOCK, data__breach=rule.id).exists():
                continue
            _entry(
                locked,
                TimelineEntry.Kind.CLOCK,
                _bilingual(
                    lambda name=rule.name: (
                        _("%(clock)s exceeded: nobody has responded yet.") % {"clock": text(name)}
                    )
                ),
                at=now,
                breach=rule.id,
            )
            _judge_response(locked, rulebook, now, None)


def ack_by_link(token: str, *, address: str = "") -> ChainStep:
    """The signed link of a page (an e-mail to a phone without a session): acknowledges its own step."""
    with transaction.atomic():
        link = links.consume(token, ACK_PURPOSE, address=address)
        step = ChainStep.objects.get(pk=int(link.object_id))
        return acknowledge(step, by=None, via="link")


# -- level (REQ-INC-01) --------------------------------------------------------------------------------------


@transaction.atomic
def set_level(incident: Incident, *, level: str, by, reason: str = "", now=None) -> Incident:
    """The site lead confirms the suggested level, or changes it (a change always needs a reason).

    A higher level adds the command chain's missing roles (e.g. the host's principal) and pages them.
    """
    now = now or timezone.now()
    incident = Incident.objects.select_for_update().select_related("project").get(pk=incident.pk)
    if level not in Level.values:
        raise ValidationError({"level": _("Choose a level from I to IV.")})
    if incident.status == Incident.Status.CLOSED:
        raise ValidationError({"level": _("The incident is closed.")})
    reason = (reason or "").strip()
    changed = level != incident.level
    if changed and not reason:
        raise ValidationError({"reason": _("Give the reason for changing the level.")})
    if not changed and incident.level_confirmed_at is not None:
        raise ValidationError({"level": _("The level is %(level)s already.") % {"level": level}})
    before = incident.level
    incident.level = level
    incident.level_confirmed_at = now
    incident.level_confirmed_by = by
    incident.save(update_fields=["level", "level_confirmed_at", "level_confirmed_by"])
    who = str(by)
    if changed:
        message = _bilingual(
            lambda: (
                _("Level changed from %(before)s to %(after)s by %(who)s: %(reason)s")
                % {"before": before, "after": level, "who": who, "reason": reason}
            )
        )
    else:
        message = _bilingual(lambda: _("Level %(level)s confirmed by %(who)s") % {"level": level, "who": who})
    _entry(
        incident,
        TimelineEntry.Kind.LEVEL,
        message,
        at=now,
        actor=by,
        before=before,
        after=level,
        reason=reason,
    )
    if changed and LEVEL_RANK[level] < LEVEL_RANK[before]:
        rulebook = rulebook_for(incident.project)
        last = incident.chain.aggregate(n=Max("position"))["n"] or 0
        added = _build_chain(incident, rulebook, start_position=last + 1)
        busy = incident.chain.filter(state=ChainStep.State.PAGED).exists()
        if added and not busy:
            _page_next(incident, rulebook, now)
    return incident


# -- response work: checklist, actions, clocks, releases (REQ-INC-04, 05) ------------------------------------


def _require_open(incident: Incident, field: str = "status") -> None:
    """Asks the database, not the caller's copy: a copy loaded before the incident was closed must not let a
    task, note, clock or release be added to it afterwards."""
    status = Incident.objects.filter(pk=incident.pk).values_list("status", flat=True).first()
    if Incident.Status.CLOSED in (status, incident.status):
        raise ValidationError({field: _("The incident is closed.")})


@transaction.atomic
def tick_task(task: IncidentTask, *, by, done: bool = True, now=None) -> IncidentTask:
    task = IncidentTask.objects.select_for_update().select_related("incident").get(pk=task.pk)
    _require_open(task.incident, "task")
    now = now or timezone.now()
    if done == (task.done_at is not None):
        return task
    task.done_at = now if done else None
    task.done_by = by if done else None
    task.save(update_fields=["done_at", "done_by"])
    label = task.text
    _entry(
        task.incident,
        TimelineEntry.Kind.STEP,
        (
            ("✓ " if done else "↺ ")
            + f"{label.get('zh-hans', '')}"
            + (f"\n{label.get('en')}" if label.get("en") else "")
        ),
        at=now,
        actor=by,
        task=task.pk,
    )
    return task


@transaction.atomic
def record_action(
    incident: Incident, *, by, message: str, kind: str = TimelineEntry.Kind.ACTION, now=None
) -> TimelineEntry:
    _require_open(incident, "text")
    if kind not in (TimelineEntry.Kind.ACTION, TimelineEntry.Kind.MESSAGE):
        raise ValidationError({"kind": _("Choose action or message.")})
    message = (message or "").strip()
    if not message:
        raise ValidationError({"text": _("Write what was done or said.")})
    return _entry(incident, kind, message, actor=by, at=now)


#: Clocks a person stops by recording the moment (the response stops with the first acknowledgement).
STOPPABLE = {"diagnosis": "diagnosed_at", "host_report": "host_reported_at", "response": "responded_at"}


@transaction.atomic
def stop_clock(incident: Incident, clock: str, *, by, note: str = "", now=None) -> Incident:
    """Record that the director diagnosed / reported to the host / responded: the clock stops now."""
    now = now or timezone.now()
    incident = Incident.objects.select_for_update().select_related("project").get(pk=incident.pk)
    _require_timer_actor(incident, by)
    _require_open(incident, "clock")
    field = STOPPABLE.get(clock)
    rulebook = rulebook_for(incident.project)
    applicable = {c.key for c in clocks.incident_clocks(incident, rulebook, now)}
    if field is None or clock not in applicable:
        raise ValidationError({"clock": _("This incident has no such clock.")})
    if getattr(incident, field) is not None:
        raise ValidationError({"clock": _("This clock has stopped already.")})
    setattr(incident, field, now)
    incident.save(update_fields=[field])
    names = {
        "diagnosis": lambda: _("Diagnosis done"),
        "host_report": lambda: _("Reported to the host"),
        "response": lambda: _("Response started"),
    }
    message = _bilingual(names[clock])
    if note.strip():
        message = f"{message}: {note.strip()}"
    _entry(incident, TimelineEntry.Kind.CLOCK, message, at=now, actor=by, clock=clock)
    if clock == "response":
        _judge_response(incident, rulebook, now, by)
    return incident


@transaction.atomic
def resolve(incident: Incident, *, by, resolution: str, now=None) -> Incident:
    now = now or timezone.now()
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    _require_timer_actor(incident, by)
    if incident.status != Incident.Status.OPEN:
        raise ValidationError({"status": _("The incident is not open.")})
    if not (resolution or "").strip():
        raise ValidationError({"resolution": _("Say how it was resolved.")})
    incident.status = Incident.Status.RESOLVED
    incident.resolved_at = now
    incident.resolution = resolution.strip()
    incident.save(update_fields=["status", "resolved_at", "resolution"])
    _entry(
        incident,
        TimelineEntry.Kind.STATUS,
        _bilingual(lambda: _("Resolved: %(how)s") % {"how": incident.resolution}),
        at=now,
        actor=by,
    )
    return incident


@transaction.atomic
def release_information(
    incident: Incident,
    *,
    by,
    channel: str,
    facts: str,
    measures: str = "",
    progress: str = "",
    notes: str = "",
    now=None,
) -> InformationRelease:
    """Information released to the public (REQ-INC-05): channel, facts, measures, progress, notes."""
    _require_open(incident, "channel")
    if channel not in InformationRelease.Channel.values:
        raise ValidationError({"channel": _("Choose the channel.")})
    if not (facts or "").strip():
        raise ValidationError({"facts": _("State the facts released.")})
    release = InformationRelease.objects.create(
        incident=incident,
        channel=channel,
        facts=facts.strip(),
        measures=(measures or "").strip(),
        progress=(progress or "").strip(),
        notes=(notes or "").strip(),
        released_at=now or timezone.now(),
        released_by=by,
    )
    _entry(
        incident,
        TimelineEntry.Kind.RELEASE,
        f"{_bilingual(release.get_channel_display)}: {release.facts}",
        at=release.released_at,
        actor=by,
        release=release.pk,
    )
    return release


@transaction.atomic
def close_incident(incident: Incident, *, by, lessons: str = "", now=None) -> Incident:
    """Close: stops every clock, ends the paging, opens the review of the response plan (REQ-INC-06).

    The incident report (PDF) is generated from the closed record."""
    now = now or timezone.now()
    incident = Incident.objects.select_for_update().select_related("project").get(pk=incident.pk)
    if incident.status == Incident.Status.CLOSED:
        raise ValidationError({"status": _("The incident is closed already.")})
    if incident.resolved_at is None:
        raise ValidationError({"status": _("Record how it was resolved before closing.")})
    if incident.level_confirmed_at is None:
        raise ValidationError({"level": _("The site lead confirms the level before closing.")})
    incident.status = Incident.Status.CLOSED
    incident.closed_at = now
    incident.closed_by = by
    incident.lessons = (lessons or "").strip()
    incident.save(update_fields=["status", "closed_at", "closed_by", "lessons"])
    incident.chain.filter(state=ChainStep.State.WAITING).delete()
    _entry(incident, TimelineEntry.Kind.STATUS, _bilingual(lambda: _("Closed.")), at=now, actor=by)
    if incident.plan is not None:
        open_plan_review(incident.plan, by=by, incident=incident)
    record_event(incident, by, {"status": ["resolved", "closed"]})
    return incident


# -- drills (REQ-INC-07) -------------------------------------------------------------------------------------


@transaction.atomic
def plan_drill(
    project,
    *,
    by,
    scenario_type: str,
    scheduled_at,
    participants=(),
    scenario: str = "",
    place: str = "",
    resources: str = "",
) -> Drill:
    if scenario_type not in IncidentType.values:
        raise ValidationError({"scenario_type": _("Choose the scenario type.")})
    if scheduled_at is None:
        raise ValidationError({"scheduled_at": _("Give the date of the drill.")})
    members = set(project.members.values_list("user_id", flat=True))
    outsiders = [p for p in participants if p.pk not in members]
    if outsiders:
        raise ValidationError({"participants": _("Choose members of the project team.")})
    drill = Drill.objects.create(
        project=project,
        scenario_type=scenario_type,
        scheduled_at=scheduled_at,
        scenario=scenario.strip(),
        place=place.strip(),
        resources=resources.strip(),
        created_by=by,
    )
    drill.participants.set(participants)
    return drill


def run_drill(drill: Drill, *, by, place: str = "", impact: str = "", now=None) -> Incident:
    """Start the drill: an incident marked as a drill, through the same procedure as a real one."""
    if drill.status != Drill.Status.PLANNED or Incident.objects.filter(drill=drill).exists():
        raise ValidationError({"status": _("This drill has been run already.")})
    return report_incident(
        drill.project,
        by=by,
        type=drill.scenario_type,
        place=place or drill.place or drill.project.venue_name or "—",
        impact=impact or drill.scenario or _("Drill"),
        drill=drill,
        now=now,
    )


def drill_timeliness(incident: Incident, rulebook, now=None) -> dict:
    """Timeliness of each step of a run (REQ-INC-07): chain acknowledgements vs the relay timer, clocks."""
    now = now or timezone.now()
    window = clocks.relay_window(rulebook)
    steps = []
    for step in incident.chain.all().order_by("position"):
        seconds = step.relay_seconds
        steps.append(
            {
                "position": step.position,
                "role": step.role,
                "name": step.name,
                "state": step.state,
                "seconds": None if seconds is None else int(seconds),
                "limit_seconds": int(window.total_seconds()),
                "in_time": seconds is not None and seconds <= window.total_seconds(),
            }
        )
    clock_rows = [
        {
            "key": c.key,
            "name": c.name,
            "threshold": c.threshold,
            "minutes": c.elapsed_minutes,
            "status": c.status,
        }
        for c in clocks.incident_clocks(incident, rulebook, now)
    ]
    return {"steps": steps, "clocks": clock_rows}


@transaction.atomic
def evaluate_drill(drill: Drill, *, by, findings: str) -> Drill:
    drill = Drill.objects.select_for_update().get(pk=drill.pk)
    incident = Incident.objects.filter(drill=drill).first()
    if incident is None:
        raise ValidationError({"status": _("Run the drill before evaluating it.")})
    if drill.status == Drill.Status.EVALUATED:
        raise ValidationError({"status": _("This drill has been evaluated already.")})
    if not (findings or "").strip():
        raise ValidationError({"findings": _("Write down what the drill showed.")})
    drill.evaluation = drill_timeliness(incident, rulebook_for(drill.project))
    drill.findings = findings.strip()
    drill.status = Drill.Status.EVALUATED
    drill.evaluated_at = timezone.now()
    drill.evaluated_by = by
    drill.save()
    return drill


# -- phase output: a calm meeting ----------------------------------------------------------------------------


@transaction.atomic
def confirm_no_incident(project, *, by, note: str = "") -> CalmMeeting:
    """The site lead confirms that the meeting had no real incident (phase output ``incident_report``)."""
    if Incident.objects.filter(project=project, is_drill=False).exists():
        raise ValidationError({"project": _("This meeting had incidents: their reports are the evidence.")})
    if timezone.now() < project.start:
        raise ValidationError({"project": _("The meeting has not started yet.")})
    calm, _created = CalmMeeting.objects.get_or_create(
        project=project, defaults={"confirmed_by": by, "note": note.strip()}
    )
    return calm
