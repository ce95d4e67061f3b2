"""Every change of inspection records: one function per business action, in a transaction, audited.

A reading is judged against its rule the moment it is entered; a failed reading (or a set-up, tear-down or
reception time that misses its rule) opens the rule's nonconformance through the quality service, once per
rule, and the record links it. Bad input raises ``ValidationError`` naming the field (a reading's field is
its rule id) and nothing is saved: a round with one impossible reading is not created at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyi.quality.models import Nonconformance
from huiyi.quality.services import nonconformance_for_failed_rule
from huiyi.resources.models import Equipment, Room
from huiyi.rulebook.display import format_value
from huiyi.rulebook.loader import Rule
from huiyi.rulebook.services import rulebook_for

from . import items as sheet
from . import physics, queries, timing
from .display import format_reading, threshold_json
from .models import InspectionRound, Reading, RollCall, SiteMilestone, room_key

#: A phone's clock may run a little ahead of the server's: a time this far in the future is still accepted.
CLOCK_SKEW = dt.timedelta(minutes=5)
SOURCE = Nonconformance.Source.INSPECTION
PLACES = Decimal("0.0001")
_YES = {"1", "yes", "y", "true", "on", "是", "通过", "ok"}
_NO = {"0", "no", "n", "false", "off", "否", "不通过"}
_KEEP: Any = object()


def _require(user, permission: str, obj) -> None:
    if user is None or not user.is_authenticated or not user.has_perm(permission, obj):
        raise PermissionDenied(_("Your roles do not allow this."))


def _when(value, field: str, *, now: dt.datetime | None = None) -> dt.datetime:
    """A recorded moment: now when not given; never in the future (beyond a phone's clock skew)."""
    now = now or timezone.now()
    if value in (None, ""):
        return now
    if not isinstance(value, dt.datetime):
        raise ValidationError({field: _("Enter a date and time.")})
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > now + CLOCK_SKEW:
        raise ValidationError({field: _("This time is in the future; record what has happened.")})
    return value


def _room(project, room, room_name: str, *, required: bool = True) -> tuple[Room | None, str]:
    room_name = " ".join((room_name or "").split())[:200]
    if room is not None:
        if not isinstance(room, Room):
            room = Room.objects.filter(pk=room).first() if str(room).isdigit() else None
        if room is None or not queries.booked_rooms(project).filter(pk=room.pk).exists():
            raise ValidationError(
                {
                    "room": _(
                        "This room is not booked for the meeting; choose a booked room or write its name."
                    )
                }
            )
        return room, room_name or room.name
    if required and not room_name:
        raise ValidationError({"room_name": _("Choose the room or write its name.")})
    return None, room_name


# -- readings (REQ-ONS-03, REQ-ONS-04) --------------------------------------------------------------------


def parse_value(item: sheet.Item, raw, field: str | None = None) -> Decimal:
    """The reading as a number in the rule's unit; ``ValidationError`` naming the item when impossible."""
    field = field or item.id
    name = item.name
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise ValidationError({field: _("%(item)s: enter the reading.") % {"item": name}})
    if item.is_checklist:
        if isinstance(raw, bool):
            return Decimal(int(raw))
        token = str(raw).strip().lower()
        if token in _YES:
            return Decimal(1)
        if token in _NO:
            return Decimal(0)
        raise ValidationError({field: _("%(item)s: answer yes or no.") % {"item": name}})
    if isinstance(raw, bool):
        raise ValidationError({field: _("%(item)s: enter a number.") % {"item": name}})
    try:
        number = raw if isinstance(raw, Decimal) else Decimal(str(raw).strip().replace("−", "-"))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("%(item)s: enter a number.") % {"item": name}}) from None
    if not number.is_finite():
        raise ValidationError({field: _("%(item)s: enter a number.") % {"item": name}})
    unit = item.rule.unit
    if unit in physics.WHOLE_UNITS and number != number.to_integral_value():
        raise ValidationError({field: _("%(item)s: enter a whole number.") % {"item": name}})
    if not physics.is_possible(number, unit):
        low, high = physics.limits(unit)
        raise ValidationError(
            {
                field: _("%(item)s: %(value)s is impossible; a reading lies between %(low)s and %(high)s.")
                % {
                    "item": name,
                    "value": format_reading(number, unit),
                    "low": format_reading(low, unit),
                    "high": format_reading(high, unit),
                }
            }
        )
    return number.quantize(PLACES) if number.as_tuple().exponent < -4 else number


@dataclass(frozen=True)
class Verdict:
    """A reading judged against its rule (shown at once, before anything is saved)."""

    item: sheet.Item
    value: Decimal
    passed: bool

    @property
    def shown(self) -> str:
        return format_reading(self.value, self.item.rule.unit)

    @property
    def threshold(self) -> str:
        return format_value(self.item.rule)


def _item(rulebook, rule_id: str, *, main_hall: bool, field: str | None = None) -> sheet.Item:
    found = sheet.item(rulebook, str(rule_id or ""))
    if found is None:
        raise ValidationError(
            {field or "rule": _("%(rule)s is not an item of the inspection sheet.") % {"rule": rule_id}}
        )
    if found.main_hall_only and not main_hall:
        raise ValidationError(
            {field or found.id: _("%(item)s is checked in the main hall only.") % {"item": found.name}}
        )
    return found


def judge(project, rule_id: str, raw, *, main_hall: bool = True) -> Verdict:
    """Judge a reading without saving it (the instant verdict of the round form)."""
    item = _item(rulebook_for(project), rule_id, main_hall=main_hall)
    value = parse_value(item, raw)
    return Verdict(item, value, item.rule.passes(value))


@dataclass(frozen=True)
class _Prepared:
    item: sheet.Item
    value: Decimal
    equipment: Equipment | None
    note: str
    measured_at: dt.datetime | None


def _device(item: sheet.Item, given, field: str) -> Equipment | None:
    if given in (None, ""):
        return None
    device = (
        given
        if isinstance(given, Equipment)
        else Equipment.objects.filter(pk=given).first()
        if str(given).isdigit()
        else None
    )
    if device is None:
        raise ValidationError(
            {field: _("%(item)s: there is no such device in the register.") % {"item": item.name}}
        )
    if device.category not in item.section.categories:
        raise ValidationError(
            {
                field: _("%(item)s: %(device)s is a %(category)s, not a device this item measures.")
                % {"item": item.name, "device": device, "category": device.get_category_display()}
            }
        )
    if device.status == Equipment.Status.RETIRED:
        raise ValidationError(
            {field: _("%(item)s: %(device)s is retired.") % {"item": item.name, "device": device}}
        )
    return device


def _prepare(rulebook, entries, *, main_hall: bool) -> list[_Prepared]:
    """Validate every entry before anything is saved; all problems are reported at once."""
    errors: dict[str, list[str]] = {}
    prepared: list[_Prepared] = []
    seen: set[str] = set()
    for entry in entries:
        if not isinstance(entry, dict):
            errors.setdefault("readings", []).append(_("Each reading names its item and its value."))
            continue
        try:
            item = _item(rulebook, entry.get("rule"), main_hall=main_hall)
            if item.id in seen:
                raise ValidationError({item.id: _("%(item)s is given twice.") % {"item": item.name}})
            seen.add(item.id)
            value = parse_value(item, entry.get("value"))
            device = _device(item, entry.get("equipment"), item.id)
            measured_at = entry.get("measured_at")
            measured_at = _when(measured_at, item.id) if measured_at else None
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                errors.setdefault(key, []).extend(messages)
            continue
        prepared.append(_Prepared(item, value, device, str(entry.get("note") or "")[:300], measured_at))
    if errors:
        raise ValidationError(errors)
    return prepared


def _nonconformance(project, rule: Rule, value: Decimal, passed: bool, by):
    if passed:
        return None
    return nonconformance_for_failed_rule(project, rule, value, by=by, source=SOURCE)


def _save_reading(round_: InspectionRound, prepared: _Prepared, *, by, measured_at, corrects=None, reason=""):
    rule = prepared.item.rule
    passed = rule.passes(prepared.value)
    reading = Reading(
        round=round_,
        project_id=round_.project_id,
        rule_id=rule.id,
        metric=rule.metric,
        unit=rule.unit,
        op=rule.op,
        threshold=threshold_json(rule),
        rule_name=rule.name.as_dict(),
        value=prepared.value,
        passed=passed,
        equipment=prepared.equipment,
        measured_at=prepared.measured_at or measured_at,
        recorded_by=by,
        note=prepared.note,
        corrects=corrects,
        reason=reason,
        nonconformance=_nonconformance(round_.project, rule, prepared.value, passed, by),
    )
    try:
        with transaction.atomic():
            reading.save()
    except IntegrityError:
        if corrects is not None:
            raise ValidationError(
                {"reading": _("This reading has been corrected already; correct the latest one.")}
            ) from None
        raise ValidationError(
            {
                rule.id: _("%(item)s is recorded in this round already; correct that reading instead.")
                % {"item": prepared.item.name}
            }
        ) from None
    return reading


@transaction.atomic
def record_round(
    project,
    *,
    by,
    readings=(),
    room=None,
    room_name: str = "",
    is_main_hall: bool = True,
    held_at=None,
    note: str = "",
    complete: bool = False,
) -> InspectionRound:
    """An inspection round in a room with the readings taken (any subset of the sheet's items)."""
    _require(by, "inspections.record", project)
    errors: dict[str, list[str]] = {}
    try:
        room, room_name = _room(project, room, room_name)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        held_at = _when(held_at, "held_at")
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        prepared = _prepare(rulebook_for(project), list(readings or ()), main_hall=bool(is_main_hall))
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    round_ = InspectionRound(
        project=project,
        room=room,
        room_name=room_name,
        is_main_hall=bool(is_main_hall),
        held_at=held_at,
        inspector=by,
        note=(note or "")[:300],
        created_by=by,
    )
    round_.full_clean()
    round_.save()
    for one in prepared:
        _save_reading(round_, one, by=by, measured_at=held_at)
    if complete:
        round_.completed_at, round_.completed_by = timezone.now(), by
        round_.save(update_fields=["completed_at", "completed_by", "updated_at"])
    return round_


@transaction.atomic
def add_readings(round_: InspectionRound, *, by, readings) -> list[Reading]:
    """Readings of items not yet checked in an open round (a round is filled in as the walk goes on)."""
    _require(by, "inspections.record", round_.project)
    round_ = InspectionRound.objects.select_for_update().select_related("project").get(pk=round_.pk)
    if round_.is_complete:
        raise ValidationError({"round": _("This round is complete; start a new round or correct a reading.")})
    entries = list(readings or ())
    if not entries:
        raise ValidationError({"readings": _("Enter at least one reading.")})
    prepared = _prepare(rulebook_for(round_.project), entries, main_hall=round_.is_main_hall)
    done = set(round_.readings.values_list("rule_id", flat=True))
    clashes = {
        one.item.id: _("%(item)s is recorded in this round already; correct that reading instead.")
        % {"item": one.item.name}
        for one in prepared
        if one.item.id in done
    }
    if clashes:
        raise ValidationError(clashes)
    now = timezone.now()
    return [_save_reading(round_, one, by=by, measured_at=now) for one in prepared]


@transaction.atomic
def correct_reading(
    reading: Reading, *, by, value, reason: str, measured_at=None, equipment=_KEEP, note: str = ""
) -> Reading:
    """Replace a reading by a new one with the reason (a mistyped value, a re-measurement after a fix).

    The old reading stays, marked as corrected; the new one is judged like any reading.
    """
    reading = Reading.objects.select_for_update().select_related("round", "round__project").get(pk=reading.pk)
    round_ = reading.round
    _require(by, "inspections.record", round_.project)
    errors: dict[str, list[str]] = {}
    reason = " ".join((reason or "").split())[:300]
    if not reason:
        errors["reason"] = [_("Say why the reading is corrected.")]
    if Reading.objects.filter(corrects=reading).exists():
        errors["reading"] = [_("This reading has been corrected already; correct the latest one.")]
    try:
        item = _item(
            rulebook_for(round_.project), reading.rule_id, main_hall=round_.is_main_hall, field="reading"
        )
        number = parse_value(item, value, field="value")
        device = reading.equipment if equipment is _KEEP else _device(item, equipment, "equipment")
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        when = _when(measured_at, "measured_at")
        if when < reading.measured_at:
            errors["measured_at"] = [_("A correction cannot be older than the reading it corrects.")]
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    prepared = _Prepared(item, number, device, (note or "")[:300], when)
    return _save_reading(round_, prepared, by=by, measured_at=when, corrects=reading, reason=reason)


@transaction.atomic
def complete_round(round_: InspectionRound, *, by) -> InspectionRound:
    _require(by, "inspections.record", round_.project)
    round_ = InspectionRound.objects.select_for_update().get(pk=round_.pk)
    if round_.is_complete:
        raise ValidationError({"round": _("This round is complete already.")})
    round_.completed_at, round_.completed_by = timezone.now(), by
    round_.save(update_fields=["completed_at", "completed_by", "updated_at"])
    return round_


# -- set-up and tear-down (REQ-ONS-01, REQ-ONS-07) --------------------------------------------------------


def milestone_rule(rulebook, milestone: str) -> Rule | None:
    metric = queries.MILESTONE_METRICS.get(milestone)
    rule = queries.first_rule(rulebook, metric) if metric else None
    return rule if timing.is_timeable(rule) else None


@transaction.atomic
def record_milestone(
    project, *, milestone: str, by, at=None, room=None, room_name: str = "", note: str = "", reason: str = ""
) -> SiteMilestone:
    """Set-up complete / equipment recovered / venue restored, for the whole meeting or one room.

    Recording a milestone again for the same room (or the whole meeting) corrects the earlier record and
    needs a reason.
    """
    _require(by, "inspections.record_milestone", project)
    if milestone not in SiteMilestone.Milestone.values:
        raise ValidationError(
            {"milestone": _("Choose set-up complete, equipment recovered or venue restored.")}
        )
    rule = milestone_rule(rulebook_for(project), milestone)
    if rule is None:
        raise ValidationError(
            {"milestone": _("The project's rulebook has no timing rule for this milestone.")}
        )
    errors: dict[str, list[str]] = {}
    try:
        at = _when(at, "at")
        if milestone != SiteMilestone.Milestone.SETUP_DONE and at < project.start:
            errors["at"] = [_("Tear-down cannot happen before the meeting starts.")]
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        room, room_name = _room(project, room, room_name, required=False)
    except ValidationError as error:
        errors.update(error.message_dict)
        room = None  # still the id given: the lookup below must not take it for a room
    scope = room_key(room.pk if room else None, room_name)
    live = (
        SiteMilestone.objects.select_for_update(of=("self",))
        .filter(project=project, milestone=milestone, scope=scope, correction__isnull=True)
        .order_by("-pk")
        .first()
    )
    reason = " ".join((reason or "").split())[:300]
    if live is not None and not reason:
        errors["reason"] = [
            _("%(milestone)s is recorded already (%(time)s); say why you correct it.")
            % {
                "milestone": live.get_milestone_display(),
                "time": timezone.localtime(live.at).strftime("%Y-%m-%d %H:%M"),
            }
        ]
    if errors:
        raise ValidationError(errors)
    value = timing.elapsed(rule, project, at)
    passed = rule.passes(value)
    record = SiteMilestone(
        project=project,
        milestone=milestone,
        room=room,
        room_name=room_name,
        scope=scope,
        at=at,
        rule_id=rule.id,
        metric=rule.metric,
        unit=rule.unit,
        op=rule.op,
        threshold=threshold_json(rule),
        rule_name=rule.name.as_dict(),
        value=value,
        passed=passed,
        recorded_by=by,
        note=(note or "")[:300],
        corrects=live,
        reason=reason if live is not None else "",
        nonconformance=_nonconformance(project, rule, value, passed, by),
    )
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        raise ValidationError(
            {"milestone": _("Someone recorded this milestone at the same moment; reload the page and check.")}
        ) from None
    return record


# -- roll-call (REQ-PPL-04) -------------------------------------------------------------------------------


@transaction.atomic
def check_in(project, *, user, by, at=None, note: str = "") -> tuple[RollCall, bool]:
    """A staff member is in place: by themselves (the time of the tap) or by a lead (a time may be given).

    Tapping twice keeps the first time (returns ``(entry, False)``). Reception staff in place later than the
    rulebook asks (REQ-PPL-04) open its nonconformance.
    """
    if by is None or not by.is_authenticated:
        raise PermissionDenied(_("Sign in first."))
    if user is None:
        raise ValidationError({"user": _("Choose the staff member.")})
    if user.pk == by.pk:
        _require(by, "inspections.roll_call_self", project)
        at = timezone.now()
    else:
        _require(by, "inspections.roll_call_others", project)
        at = _when(at, "checked_in_at")
    roles = queries.roles_on_day(project, user)
    if roles is None:
        raise ValidationError({"user": _("%(name)s is not on the team of this meeting.") % {"name": user}})
    existing = RollCall.objects.filter(project=project, user=user).first()
    if existing is not None:
        return existing, False
    rulebook = rulebook_for(project)
    rule = queries.reception_rule(rulebook)
    nonconformance = None
    if rule is not None and rule.owner_role in roles:
        lead = timing.elapsed(rule, project, at)
        nonconformance = _nonconformance(project, rule, lead, rule.passes(lead), by)
    entry = RollCall(
        project=project,
        user=user,
        roles=roles,
        checked_in_at=at,
        recorded_by=by,
        note=(note or "")[:300],
        nonconformance=nonconformance,
    )
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        return RollCall.objects.get(project=project, user=user), False
    return entry, True
