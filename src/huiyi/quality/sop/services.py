"""Every state change of the SOP library (REQ-QLT-10): one function per business action, audited.

create_procedure(*, code, title, by, requirements=(), rule_ids=(), …) -> Procedure
add_version(procedure, *, change_note, effective_from, approved_by, by, text="", file=None,
            meeting=None, improvement_actions=()) -> ProcedureVersion
record_meeting(*, held_on, title, decisions, by, attendees=(), …) -> OptimisationMeeting
"""

from __future__ import annotations

from contextlib import contextmanager

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyi.core.files import safe_name
from huiyi.rulebook.requirements import REQUIREMENTS
from huiyi.rulebook.services import active_rulebook

from .models import OptimisationMeeting, Procedure, ProcedureVersion


@contextmanager
def _actor(user):
    if user is not None and getattr(user, "is_authenticated", False):
        with set_actor(user):
            yield
    else:
        yield


def _refuse(message: str, field: str):
    raise ValidationError({field: message})


def _require_person(by):
    if by is None or not getattr(by, "is_authenticated", False):
        _refuse(_("This step needs the person who does it."), "by")


def _clauses(requirements, rule_ids) -> tuple[list[str], list[str]]:
    requirements = [r.strip().upper() for r in requirements or [] if str(r).strip()]
    rule_ids = [r.strip() for r in rule_ids or [] if str(r).strip()]
    unknown = [r for r in requirements if r not in REQUIREMENTS]
    if unknown:
        _refuse(_("Unknown requirement: %(ids)s.") % {"ids": ", ".join(unknown)}, "requirements")
    rulebook = active_rulebook()
    unknown = [r for r in rule_ids if r not in rulebook]
    if unknown:
        _refuse(_("Unknown criterion: %(ids)s.") % {"ids": ", ".join(unknown)}, "rule_ids")
    if not requirements and not rule_ids:
        _refuse(_("Link the procedure to at least one clause of the rulebook."), "requirements")
    for rule_id in rule_ids:
        req = rulebook.rule(rule_id).req
        if req not in requirements:
            requirements.append(req)
    return list(dict.fromkeys(requirements)), list(dict.fromkeys(rule_ids))


def create_procedure(
    *,
    code: str,
    title,
    by,
    requirements=(),
    rule_ids=(),
    purpose: str = "",
    owner_unit=None,
    owner=None,
) -> Procedure:
    _require_person(by)
    code = (code or "").strip()
    if not code:
        _refuse(_("Give the procedure a code."), "code")
    if isinstance(title, str):
        title = {"zh-hans": title, "en": title}
    if not any(str(v).strip() for v in (title or {}).values()):
        _refuse(_("Give the procedure a title."), "title")
    requirements, rule_ids = _clauses(requirements, rule_ids)
    with transaction.atomic(), _actor(by):
        if Procedure.objects.filter(code=code).exists():
            _refuse(_("A procedure with this code exists."), "code")
        return Procedure.objects.create(
            code=code,
            title={k: v.strip() for k, v in title.items() if v},
            purpose=(purpose or "").strip(),
            requirements=requirements,
            rule_ids=rule_ids,
            owner_unit=owner_unit,
            owner=owner,
            created_by=by,
        )


def add_version(
    procedure: Procedure,
    *,
    change_note: str,
    effective_from,
    approved_by,
    by,
    text: str = "",
    file=None,
    meeting: OptimisationMeeting | None = None,
    improvement_actions=(),
) -> ProcedureVersion:
    """A new approved version of a procedure (text and/or a file), with why it changed."""
    _require_person(by)
    text = (text or "").strip()
    change_note = (change_note or "").strip()
    if not text and not file:
        _refuse(_("Give the text of the procedure or attach its file."), "text")
    if not change_note:
        _refuse(_("Say what changed and why."), "change_note")
    if approved_by is None:
        _refuse(_("Name who approved the version."), "approved_by")
    if not approved_by.has_perm("sop.approve_procedure"):
        _refuse(_("%(person)s may not approve procedures.") % {"person": approved_by}, "approved_by")
    if effective_from is None:
        _refuse(_("Give the date the version takes effect."), "effective_from")
    if meeting is not None and meeting.held_on > effective_from:
        _refuse(_("A version decided at a meeting cannot take effect before the meeting."), "effective_from")
    if file:
        file.name = safe_name(file)  # a name of our own, never the sender's (issue 10)
    with transaction.atomic(), _actor(by):
        Procedure.objects.select_for_update().filter(pk=procedure.pk).first()
        number = (procedure.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = ProcedureVersion.objects.create(
            procedure=procedure,
            number=number,
            text=text,
            file=file or "",
            change_note=change_note,
            effective_from=effective_from,
            approved_by=approved_by,
            approved_at=timezone.now(),
            meeting=meeting,
            created_by=by,
        )
        version.improvement_actions.set(list(improvement_actions))
        return version


def record_meeting(
    *,
    held_on,
    title: str,
    decisions: str,
    by,
    attendees=(),
    other_attendees: str = "",
    minutes: str = "",
    improvement_actions=(),
) -> OptimisationMeeting:
    """Record a process-optimisation meeting (§3.1(3): held every quarter, it updates the SOP library)."""
    _require_person(by)
    title, decisions = (title or "").strip(), (decisions or "").strip()
    if held_on is None:
        _refuse(_("Give the date of the meeting."), "held_on")
    if held_on > timezone.localdate():
        _refuse(_("Record a meeting once it has been held."), "held_on")
    if not title:
        _refuse(_("Give the meeting a title."), "title")
    if not decisions:
        _refuse(_("Write down the decisions."), "decisions")
    attendees = list(attendees)
    if not attendees and not (other_attendees or "").strip():
        _refuse(_("List who attended."), "attendees")
    with transaction.atomic(), _actor(by):
        meeting = OptimisationMeeting.objects.create(
            held_on=held_on,
            title=title,
            decisions=decisions,
            minutes=(minutes or "").strip(),
            other_attendees=(other_attendees or "").strip(),
            created_by=by,
        )
        meeting.attendees.set(attendees)
        meeting.improvement_actions.set(list(improvement_actions))
        return meeting
